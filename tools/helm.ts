/**
 * The real helm binary (pinned; found or built by scripts/ensure-helm.sh) applied to the
 * tacos-service chart: lint and template with a values object, rendered objects parsed.
 */
import { execFile, execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as jsyaml from "js-yaml";
import { REPO_ROOT } from "./harness";
import { readStackConfig } from "./stack-files";

export const CHART_DIR = path.join(REPO_ROOT, "charts", "tacos-service");

/**
 * The Kubernetes version a stack runs (its stack file's `tacos:cluster.kubernetesVersion`), as
 * helm's `--kube-version` takes it: the chart is rendered for the cluster it will run on.
 */
export function stackKubeVersion(stack: string): string {
    return kubeVersionIn(readStackConfig(stack), `Pulumi.${stack}.yaml`);
}

/**
 * The `tacos:cluster.kubernetesVersion` of a stack's config (`where` names it in the error): a
 * quoted "<major>.<minor>", as the program's own config check takes it.
 */
export function kubeVersionIn(config: Record<string, unknown>, where: string): string {
    const cluster = config["tacos:cluster"] as { kubernetesVersion?: unknown } | undefined;
    const version = cluster?.kubernetesVersion;
    if (typeof version !== "string" || !/^\d+\.\d+$/.test(version)) {
        throw new Error(
            `${where}: tacos:cluster.kubernetesVersion must be a quoted "<major>.<minor>" version, not ${JSON.stringify(version)}`,
        );
    }
    return version;
}

/** Where `template` takes the chart from and which Kubernetes version it renders for. */
export interface TemplateOptions {
    /** The chart's directory. @default this checkout's charts/tacos-service */
    chartDir?: string;
    /** helm's `--kube-version`. @default the stack's own (`stackKubeVersion`) */
    kubeVersion?: string;
}

const ENSURE_HELM = path.join(REPO_ROOT, "scripts", "ensure-helm.sh");

let helmPath: string | undefined;
/** The pinned helm: the copy in .tools when its stamp matches the pin, else whatever ensure-helm.sh finds or builds. */
export function helm(): string {
    if (!helmPath) {
        const pinned = /HELM_VERSION="([^"]+)"/.exec(fs.readFileSync(ENSURE_HELM, "utf8"))?.[1];
        const local = path.join(REPO_ROOT, ".tools", "bin", "helm");
        const stamp = path.join(REPO_ROOT, ".tools", "helm.version");
        if (
            fs.existsSync(local) &&
            fs.existsSync(stamp) &&
            fs.readFileSync(stamp, "utf8").trim() === pinned
        ) {
            helmPath = local;
        } else {
            const out = execFileSync("bash", [ENSURE_HELM], { encoding: "utf8" }).trim().split("\n");
            helmPath = out[out.length - 1];
        }
    }
    return helmPath;
}

export interface HelmResult {
    ok: boolean;
    stdout: string;
    stderr: string;
}

/** The service's values go to helm on its standard input (`-f -`), so that no file is left behind. */
const VALUES_FROM_STDIN = ["-f", "-"];

function run(args: string[], values: unknown): HelmResult {
    const result = spawnSync(helm(), args, { encoding: "utf8", input: JSON.stringify(values) });
    return { ok: result.status === 0, stdout: result.stdout, stderr: result.stderr };
}

/** `helm lint --strict` of the chart with a stack's values file and a service's values. */
export function lint(stack: string, values: unknown): HelmResult {
    return run(
        [
            "lint",
            "--strict",
            "--kube-version",
            stackKubeVersion(stack),
            CHART_DIR,
            "-f",
            path.join(CHART_DIR, `values-${stack}.yaml`),
            ...VALUES_FROM_STDIN,
        ],
        values,
    );
}

/** `helm template` of one service, with the stack's values file and the service's values; the raw result. */
export function template(
    release: string,
    stack: string,
    values: unknown,
    options: TemplateOptions = {},
): HelmResult {
    return run(templateArgs(release, stack, options), values);
}

function templateArgs(
    release: string,
    stack: string,
    { chartDir = CHART_DIR, kubeVersion = stackKubeVersion(stack) }: TemplateOptions = {},
): string[] {
    return [
        "template",
        release,
        chartDir,
        "--namespace",
        "tacos",
        "--kube-version",
        kubeVersion,
        "-f",
        path.join(chartDir, `values-${stack}.yaml`),
        ...VALUES_FROM_STDIN,
    ];
}

/**
 * The objects in helm's rendered output, one per YAML document. js-yaml with YAML 1.2's core schema
 * (no timestamps, no merge keys) and `json` (a repeated key keeps its last value), so it reads
 * helm's output as the `yaml` library did (a test compares both on every prod service's chart);
 * the two differ only in corners helm does not print (`!!binary`, `!!set`, `0b` integers). In one
 * plan, prod's five charts parse in about 40 ms where `yaml` took about 140 ms.
 */
export function parseObjects(stdout: string): any[] {
    return jsyaml
        .loadAll(stdout, undefined, { schema: jsyaml.CORE_SCHEMA, json: true })
        .filter((o): o is object => o !== null && typeof o === "object");
}

/** The objects `helm template` renders for one service; throws with helm's message on failure. */
export function render(release: string, stack: string, values: unknown): any[] {
    const result = template(release, stack, values);
    if (!result.ok) {
        throw new Error(`helm template ${release} (${stack}) failed: ${result.stderr}`);
    }
    return parseObjects(result.stdout);
}

/** `render` without blocking, so that several services render at once. */
export function renderAsync(release: string, stack: string, values: unknown): Promise<any[]> {
    return new Promise((resolve, reject) => {
        const child = execFile(
            helm(),
            templateArgs(release, stack),
            { encoding: "utf8", maxBuffer: 64 * 2 ** 20 },
            (error, stdout, stderr) => {
                if (error)
                    reject(
                        new Error(`helm template ${release} (${stack}) failed: ${stderr || error.message}`),
                    );
                else resolve(parseObjects(stdout));
            },
        );
        child.stdin?.end(JSON.stringify(values));
    });
}
