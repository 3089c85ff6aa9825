/** One release rendered with the real helm, its objects validated and its pods checked against their namespace's level. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { spawnSync } from "child_process";
import { isRecord } from "../../vocabulary/values";
import { AddonRelease, NamespaceLevels, PodReport, ReleaseReport, RenderAddonsOptions } from "./releases";
import { helm } from "../helm";
import { KubeObject, podSecurityFindings, podTemplateOf } from "../../vocabulary/pod-security";
import { locateChart } from "./charts";
import { validateObject } from "../k8s-schema";
import { addRenderedRequests, NamespaceRequests } from "./footprint";

/** The `helm template` arguments of a release: its name, namespace and values, CRDs unless it skips them. */
export function templateArgs(
    release: AddonRelease,
    chartDir: string,
    valuesFile: string,
    kubeVersion: string,
): string[] {
    return [
        "template",
        release.releaseName,
        chartDir,
        "--namespace",
        release.namespace,
        "--values",
        valuesFile,
        "--kube-version",
        kubeVersion,
        // The monitoring add-on installs the Prometheus Operator's CRDs first: charts that render a
        // ServiceMonitor only when the API exists (Karpenter, Argo CD, Fluent Bit) render it, as in the cluster.
        "--api-versions",
        "monitoring.coreos.com/v1",
        ...(release.skipCrds ? [] : ["--include-crds"]),
        // A Pulumi Release never runs `helm test`, so test hooks are never created.
        "--skip-tests",
    ];
}

/** The objects of a multi-document YAML stream; a `v1 List` counts as its items, as helm installs them. */
export function parseObjects(stdout: string): KubeObject[] {
    const objects: KubeObject[] = [];
    for (const doc of YAML.parseAllDocuments(stdout)) {
        if (doc.errors.length > 0)
            throw new Error(`helm printed YAML that does not parse: ${doc.errors[0].message}`);
        const value: unknown = doc.toJS();
        if (!isRecord(value)) continue;
        if (value.apiVersion === "v1" && value.kind === "List" && Array.isArray(value.items)) {
            objects.push(...value.items.filter(isRecord));
        } else {
            objects.push(value);
        }
    }
    return objects;
}

/** `Kind namespace/name` of an object. */
export function describe(object: KubeObject, namespace?: string): string {
    const name = object.metadata?.name ?? "(unnamed)";
    return `${object.kind ?? "(no kind)"} ${namespace ? `${namespace}/` : ""}${name}`;
}

/** True for a validateObject failure that means "no schema for this kind", not "invalid". */
const NO_SCHEMA =
    /no schema known for API group|no model for|Cannot find module|ERR_PACKAGE_PATH_NOT_EXPORTED|not defined by "exports"/;

async function checkSchemas(objects: KubeObject[]): Promise<{ schemaErrors: string[]; noSchema: string[] }> {
    const schemaErrors: string[] = [];
    const unknown = new Map<string, number>();
    for (const object of objects) {
        const { apiVersion, kind } = object;
        if (typeof apiVersion !== "string" || typeof kind !== "string") {
            schemaErrors.push(`${describe(object)}: no apiVersion or kind`);
            continue;
        }
        try {
            await validateObject({ ...object, apiVersion, kind });
        } catch (e) {
            const message = (e as Error).message;
            if (NO_SCHEMA.test(message)) {
                const key = `${object.apiVersion} ${object.kind}`;
                unknown.set(key, (unknown.get(key) ?? 0) + 1);
            } else {
                schemaErrors.push(message);
            }
        }
    }
    return { schemaErrors, noSchema: [...unknown].map(([kind, n]) => `${kind} x${n}`) };
}

function checkPods(
    objects: KubeObject[],
    releaseNamespace: string,
    levels: Map<string, NamespaceLevels>,
): PodReport[] {
    const pods: PodReport[] = [];
    for (const object of objects) {
        const template = podTemplateOf(object);
        if (!template) continue;
        const namespace = object.metadata?.namespace ?? releaseNamespace;
        const ns = levels.get(namespace);
        const where = describe(object, namespace);
        if (!ns) {
            pods.push({
                object: where,
                namespace,
                violations: [
                    {
                        check: "namespace",
                        level: "baseline",
                        message: `namespace: ${namespace} is not created by the program, so its enforced Pod Security level is unknown`,
                    },
                ],
                advisory: [],
            });
            continue;
        }
        const violations = podSecurityFindings(template.spec, template.metadata, ns.enforce);
        const seen = new Set(violations.map((v) => v.message));
        const advisory =
            ns.warn && ns.warn !== ns.enforce
                ? podSecurityFindings(template.spec, template.metadata, ns.warn).filter(
                      (v) => !seen.has(v.message),
                  )
                : [];
        pods.push({ object: where, namespace, enforce: ns.enforce, violations, advisory });
    }
    return pods;
}

function runningRequests(objects: KubeObject[], releaseNamespace: string): Record<string, NamespaceRequests> {
    const byNamespace = new Map<string, NamespaceRequests>();
    for (const object of objects) addRenderedRequests(object, releaseNamespace, byNamespace);
    return Object.fromEntries(byNamespace);
}

function runHelm(args: string[]): { ok: boolean; stdout: string; stderr: string } {
    const result = spawnSync(helm(), args, { encoding: "utf8", maxBuffer: 256 * 2 ** 20 });
    return {
        ok: result.status === 0,
        stdout: result.stdout ?? "",
        stderr: (result.stderr || result.error?.message) ?? "",
    };
}

/** Renders and checks one release; never throws for a chart's own faults, which land in the report. */
export async function checkRelease(
    stack: string,
    release: AddonRelease,
    kubeVersion: string,
    levels: Map<string, NamespaceLevels>,
    options: RenderAddonsOptions,
): Promise<ReleaseReport> {
    const report: ReleaseReport = {
        stack,
        resource: release.resource,
        releaseName: release.releaseName,
        namespace: release.namespace,
        podSecurity: levels.get(release.namespace),
        chart: release.chart,
        version: release.version,
        repo: release.repo,
        status: "failed",
        objects: 0,
        schemaErrors: [],
        noSchema: [],
        pods: [],
        running: {},
    };
    if (release.unsupported.length > 0) {
        return {
            ...report,
            error: `the release sets ${release.unsupported.join(", ")}, which render:addons does not reproduce`,
        };
    }
    const location = locateChart(release, options.chartsDir, options.pull);
    if ("missing" in location) {
        return { ...report, status: "missing", error: location.missing };
    }
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "render-addons-"));
    try {
        const valuesFile = path.join(tmp, "values.json");
        fs.writeFileSync(valuesFile, JSON.stringify(release.values, null, 2), { mode: 0o600 });
        const args = templateArgs(release, location.dir, valuesFile, kubeVersion);
        const command = `helm ${args.join(" ").replace(valuesFile, "<the release's values input, as JSON>")}`;
        const result = runHelm(args);
        if (!result.ok) {
            return {
                ...report,
                chartDir: location.dir,
                command,
                error: `helm template failed: ${result.stderr.trim()}`,
            };
        }
        const objects = parseObjects(result.stdout);
        const schemas = await checkSchemas(objects);
        return {
            ...report,
            ...schemas,
            status: "rendered",
            chartDir: location.dir,
            command,
            objects: objects.length,
            pods: checkPods(objects, release.namespace, levels),
            running: runningRequests(objects, release.namespace),
        };
    } catch (e) {
        return { ...report, chartDir: location.dir, error: (e as Error).message };
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}
