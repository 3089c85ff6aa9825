/**
 * The pod a Kubernetes object runs, read one way for the pack's rules and the offline tools:
 * which kinds carry a pod (or a pod template), where its template sits, and its containers.
 */

import { isRecord } from "./values";

/** Kinds that carry a pod or a pod template (what Pod Security Admission checks). */
export const WORKLOAD_KINDS = [
    "Pod",
    "PodTemplate",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "Job",
    "CronJob",
    "Rollout",
] as const;

/** A pod's metadata and spec, as an object carries them. */
export interface PodTemplateOf {
    metadata: Record<string, any>;
    spec: Record<string, any>;
}

function asTemplate(value: unknown): PodTemplateOf | undefined {
    if (!isRecord(value) || !isRecord(value.spec)) return undefined;
    return { metadata: isRecord(value.metadata) ? value.metadata : {}, spec: value.spec };
}

/**
 * The pod an object of `kind` runs: a Pod itself, a PodTemplate's `template`, the `spec.template`
 * of a ReplicationController, ReplicaSet, Deployment, StatefulSet, DaemonSet or Job, a CronJob's
 * `spec.jobTemplate.spec.template`; undefined for any other kind or a template without a spec.
 */
export function podTemplateOfKind(
    kind: string | undefined,
    object: Record<string, any>,
): PodTemplateOf | undefined {
    const spec = isRecord(object.spec) ? object.spec : {};
    switch (kind) {
        case "Pod":
            return asTemplate(object);
        case "PodTemplate":
            return asTemplate(object.template);
        case "ReplicationController":
        case "ReplicaSet":
        case "Deployment":
        case "StatefulSet":
        case "DaemonSet":
        case "Job":
        case "Rollout": // Argo Rollouts: a Deployment's pod template, released in steps
            return asTemplate(spec.template);
        case "CronJob":
            return isRecord(spec.jobTemplate) ? asTemplate(spec.jobTemplate.spec?.template) : undefined;
        default:
            return undefined;
    }
}

/** A list field, or empty when absent. */
export const list = <T>(value: T[] | undefined): T[] => (Array.isArray(value) ? value : []);

/** Every container of a pod spec: init containers, then containers, then ephemeral containers. */
export function podContainers<C = Record<string, any>>(spec: {
    initContainers?: C[];
    containers?: C[];
    ephemeralContainers?: C[];
}): C[] {
    return [...list(spec.initContainers), ...list(spec.containers), ...list(spec.ephemeralContainers)];
}
