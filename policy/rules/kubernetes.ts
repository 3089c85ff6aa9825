/**
 * Reading Kubernetes objects as policies see them: a `kubernetes:<group>/<version>:<Kind>`
 * resource's props are the object (metadata, spec). Workload kinds expose their pod spec here.
 */
import { podContainers, PodTemplateOf, podTemplateOfKind, WORKLOAD_KINDS } from "../../vocabulary/workloads";

export { WORKLOAD_KINDS };

/** The Kind of a `kubernetes:` type token, e.g. `Deployment` for `kubernetes:apps/v1:Deployment`. */
export function kindOf(type: string): string | undefined {
    const match = /^kubernetes:[^:]+:([A-Za-z]+)$/.exec(type);
    return match ? match[1] : undefined;
}

/** True for a Kubernetes object of one of `kinds` (Helm releases and YAML bundles are not objects). */
export function isKind(type: string, ...kinds: readonly string[]): boolean {
    const kind = kindOf(type);
    return (
        kind !== undefined &&
        kinds.includes(kind) &&
        !type.startsWith("kubernetes:helm.sh") &&
        !type.startsWith("kubernetes:yaml")
    );
}

/** The pod template's metadata and spec of a workload object, or undefined for other kinds. */
export function podTemplate(type: string, props: Record<string, any>): PodTemplateOf | undefined {
    return podTemplateOfKind(kindOf(type), props);
}

/** Every container of a pod spec (init, regular, ephemeral), with its name for messages. */
export function containersOf(spec: Record<string, any>): { name: string; container: Record<string, any> }[] {
    return podContainers(spec).map((container) => ({ name: container.name, container }));
}

/** `namespace/name` of an object, for messages. */
export function objectName(props: Record<string, any>): string {
    const meta = props.metadata ?? {};
    return meta.namespace ? `${meta.namespace}/${meta.name}` : String(meta.name);
}

/** True when a label selector's matchLabels all appear in `labels`. */
export function selects(
    selector: Record<string, any> | undefined,
    labels: Record<string, string> | undefined,
): boolean {
    const match = selector?.matchLabels ?? {};
    return Object.keys(match).length > 0 && Object.entries(match).every(([k, v]) => labels?.[k] === v);
}
