/** The add-on releases of a program run, the stacks, and the Pod Security levels of the namespaces the program creates. */
import type { FootprintCheck, NamespaceRequests } from "./footprint";
import * as path from "path";
import { isRecord } from "../../vocabulary/values";
import { CHART_DIR, kubeVersionIn } from "../helm";
import { isPodSecurityLevel, PodSecurityLevel, PodSecurityViolation } from "../../vocabulary/pod-security";
import { ofType, ProgramRun, RecordedResource, REPO_ROOT } from "../harness";

export const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";
export const NAMESPACE = "kubernetes:core/v1:Namespace";
/** Where pulled charts are looked for by default (git-ignored). */
export const DEFAULT_CHARTS_DIR = path.join(REPO_ROOT, ".charts");
const ENFORCE_LABEL = "pod-security.kubernetes.io/enforce";
const WARN_LABEL = "pod-security.kubernetes.io/warn";
/** How long one `helm pull` may take before its repository counts as unreachable. */
export const PULL_TIMEOUT_MS = 120_000;

/** A Helm release of a third-party chart, as the program registered it. */
export interface AddonRelease {
    /** The Pulumi resource name. */
    resource: string;
    releaseName: string;
    namespace: string;
    /** Chart name (the last path segment of an `oci://` reference). */
    chart: string;
    /** The chart reference as recorded: a name with `repo`, an `oci://` URL or a local directory. */
    chartRef: string;
    version?: string;
    repo?: string;
    /** The release's `values` input, resolved. */
    values: Record<string, unknown>;
    skipCrds: boolean;
    /** Release inputs that change the rendering and that this tool does not reproduce. */
    unsupported: string[];
}

/** Pod Security labels of a namespace the program creates. */
export interface NamespaceLevels {
    enforce: PodSecurityLevel;
    warn?: PodSecurityLevel;
}

export interface PodReport {
    /** `Kind namespace/name` of the object that runs the pod. */
    object: string;
    namespace: string;
    /** Level enforced in the namespace; undefined when the program does not create the namespace. */
    enforce?: PodSecurityLevel;
    violations: PodSecurityViolation[];
    /** Violations of the namespace's warn level that the enforced level lets through (not failures). */
    advisory: PodSecurityViolation[];
}

export interface ReleaseReport {
    stack: string;
    resource: string;
    releaseName: string;
    namespace: string;
    /** The Pod Security labels of the release's namespace; undefined when the program does not create it. */
    podSecurity?: NamespaceLevels;
    chart: string;
    version?: string;
    repo?: string;
    /** `rendered`; `missing` (chart not at hand at the pinned version); `failed` (helm or the release's inputs). */
    status: "rendered" | "missing" | "failed";
    error?: string;
    chartDir?: string;
    /** The helm command line, for a person to repeat it. */
    command?: string;
    objects: number;
    /** Objects that fail their schema, with the fault. */
    schemaErrors: string[];
    /** `apiVersion Kind xN` of objects tools/k8s-schema.ts has no schema for (reported, not failed). */
    noSchema: string[];
    pods: PodReport[];
    /** What the rendered workloads request while running, by namespace (tools/render-addons/footprint.ts). */
    running: Record<string, NamespaceRequests>;
}

export interface StackReport {
    stack: string;
    kubeVersion: string;
    releases: ReleaseReport[];
    /** The rendered requests against the footprint records, per namespace whose releases all rendered. */
    footprints: FootprintCheck[];
}

export interface RenderAddonsReport {
    chartsDir: string;
    stacks: StackReport[];
}

export interface RenderAddonsOptions {
    stacks: string[];
    chartsDir: string;
    /** Try `helm pull` for a chart that is not in `chartsDir`. */
    pull: boolean;
}

/** The Kubernetes version a stack pins (`tacos:cluster.kubernetesVersion`), as helm's `--kube-version` takes it. */
export function kubeVersionOf(run: ProgramRun): string {
    return kubeVersionIn(run.config, `stack ${run.stack}`);
}

/** True for a release of this repository's own chart (charts/tacos-service), which apps.test.ts renders. */
function isOwnChart(chart: string): boolean {
    return path.resolve(REPO_ROOT, chart) === CHART_DIR;
}

/** The Helm releases of third-party charts in a program run. */
export function addonReleases(run: ProgramRun): AddonRelease[] {
    return ofType(run, HELM_RELEASE)
        .filter((r) => typeof r.inputs.chart === "string" && !isOwnChart(r.inputs.chart))
        .map(toRelease);
}

function toRelease(r: RecordedResource): AddonRelease {
    const inputs = r.inputs;
    const chartRef = String(inputs.chart);
    const repo =
        isRecord(inputs.repositoryOpts) && typeof inputs.repositoryOpts.repo === "string"
            ? inputs.repositoryOpts.repo
            : undefined;
    const unsupported = [
        ...(Array.isArray(inputs.valueYamlFiles) && inputs.valueYamlFiles.length > 0
            ? ["valueYamlFiles"]
            : []),
        ...(typeof inputs.postrender === "string" && inputs.postrender !== "" ? ["postrender"] : []),
    ];
    return {
        resource: r.name,
        releaseName: typeof inputs.name === "string" ? inputs.name : r.name,
        namespace: typeof inputs.namespace === "string" ? inputs.namespace : "default",
        chart:
            chartRef.startsWith("oci://") || (!repo && chartRef.includes("/"))
                ? path.basename(chartRef)
                : chartRef,
        chartRef,
        version: typeof inputs.version === "string" ? inputs.version : undefined,
        repo,
        values: isRecord(inputs.values) ? inputs.values : {},
        skipCrds: inputs.skipCrds === true,
        unsupported,
    };
}

/** The Pod Security labels of every namespace the program creates, by name. */
export function namespaceLevels(run: ProgramRun): Map<string, NamespaceLevels> {
    const levels = new Map<string, NamespaceLevels>();
    for (const ns of ofType(run, NAMESPACE)) {
        const metadata = isRecord(ns.inputs.metadata) ? ns.inputs.metadata : {};
        const labels = isRecord(metadata.labels) ? metadata.labels : {};
        if (typeof metadata.name !== "string") continue;
        // Without an enforce label the cluster default applies, which on EKS is privileged.
        const enforce = isPodSecurityLevel(labels[ENFORCE_LABEL]) ? labels[ENFORCE_LABEL] : "privileged";
        const warn = isPodSecurityLevel(labels[WARN_LABEL]) ? labels[WARN_LABEL] : undefined;
        levels.set(metadata.name, { enforce, warn });
    }
    return levels;
}
