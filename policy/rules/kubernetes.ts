/**
 * Reading Kubernetes objects as policies see them: a `kubernetes:<group>/<version>:<Kind>`
 * resource's props are the object (metadata, spec). Workload kinds expose their pod spec here.
 */

/** Workload kinds whose pod template the security rules inspect. */
export const WORKLOAD_KINDS = ["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"] as const;

/** The Kind of a `kubernetes:` type token, e.g. `Deployment` for `kubernetes:apps/v1:Deployment`. */
export function kindOf(type: string): string | undefined {
    const match = /^kubernetes:[^:]+:([A-Za-z]+)$/.exec(type);
    return match ? match[1] : undefined;
}

/** True for a Kubernetes object of one of `kinds` (Helm releases and YAML bundles are not objects). */
export function isKind(type: string, ...kinds: readonly string[]): boolean {
    const kind = kindOf(type);
    return kind !== undefined && kinds.includes(kind) && !type.startsWith("kubernetes:helm.sh") && !type.startsWith("kubernetes:yaml");
}

/** The pod template's metadata and spec of a workload object, or undefined for other kinds. */
export function podTemplate(type: string, props: Record<string, any>): { metadata: Record<string, any>; spec: Record<string, any> } | undefined {
    switch (kindOf(type)) {
        case "Pod":
            return { metadata: props.metadata ?? {}, spec: props.spec ?? {} };
        case "CronJob":
            return props.spec?.jobTemplate?.spec?.template;
        case "Deployment":
        case "StatefulSet":
        case "DaemonSet":
        case "ReplicaSet":
        case "Job":
            return props.spec?.template;
        default:
            return undefined;
    }
}

/** Every container of a pod spec (init and regular), with its kind for messages. */
export function containersOf(spec: Record<string, any>): { name: string; container: Record<string, any> }[] {
    return [...(spec.initContainers ?? []), ...(spec.containers ?? [])].map((container: Record<string, any>) => ({ name: container.name, container }));
}

/** `namespace/name` of an object, for messages. */
export function objectName(props: Record<string, any>): string {
    const meta = props.metadata ?? {};
    return meta.namespace ? `${meta.namespace}/${meta.name}` : String(meta.name);
}

/** True when a label selector's matchLabels all appear in `labels`. */
export function selects(selector: Record<string, any> | undefined, labels: Record<string, string> | undefined): boolean {
    const match = selector?.matchLabels ?? {};
    return Object.keys(match).length > 0 && Object.entries(match).every(([k, v]) => labels?.[k] === v);
}
