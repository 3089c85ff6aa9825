/** Checking pods against the Pod Security Standards, and finding pod templates in workload objects. */
import { checksFor } from "./checks";
import type { PodMetadata, PodSecurityLevel, PodSecurityViolation, PodSpec } from "./types";

export * from "./types";
export { containersOf } from "./checks";

/** Every control of `level` the pod fails, structured (check, level, container). */
export function podSecurityFindings(podSpec: PodSpec, podMetadata: PodMetadata, level: PodSecurityLevel): PodSecurityViolation[] {
    return checksFor(level).flatMap((check) => check.run(podMetadata ?? {}, podSpec ?? {}).map(({ container, detail }) => ({
        check: check.id,
        level: check.level,
        container,
        message: `${check.id}: ${detail}`,
    })));
}

/** Every control of `level` the pod fails, one message each (`<check>: <who> <what>`); empty when it passes. */
export function podSecurityViolations(podSpec: PodSpec, podMetadata: PodMetadata, level: PodSecurityLevel): string[] {
    return podSecurityFindings(podSpec, podMetadata, level).map((v) => v.message);
}

/** A Kubernetes object as parsed from YAML: only what locating a pod template needs. */
export interface KubeObject {
    apiVersion?: string;
    kind?: string;
    metadata?: PodMetadata;
    spec?: unknown;
    template?: unknown;
}

export interface PodTemplate {
    metadata: PodMetadata;
    spec: PodSpec;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function asTemplate(value: unknown): PodTemplate | undefined {
    if (!isRecord(value) || !isRecord(value.spec)) return undefined;
    return { metadata: (isRecord(value.metadata) ? value.metadata : {}) as PodMetadata, spec: value.spec as PodSpec };
}

/** Kinds that carry a pod (or a pod template) that Pod Security Admission checks. */
export const POD_KINDS = ["Pod", "PodTemplate", "ReplicationController", "ReplicaSet", "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"] as const;

/**
 * The pod (metadata and spec) an object runs: a Pod itself, a PodTemplate's `template`, the
 * `spec.template` of a ReplicationController, ReplicaSet, Deployment, StatefulSet, DaemonSet or
 * Job, a CronJob's `spec.jobTemplate.spec.template`; undefined for any other object.
 */
export function podTemplateOf(object: KubeObject): PodTemplate | undefined {
    const spec = isRecord(object.spec) ? object.spec : {};
    switch (object.kind) {
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
            return asTemplate(spec.template);
        case "CronJob":
            return isRecord(spec.jobTemplate) && isRecord(spec.jobTemplate.spec) ? asTemplate(spec.jobTemplate.spec.template) : undefined;
        default:
            return undefined;
    }
}

/** True for a Pod Security level name. */
export function isPodSecurityLevel(value: unknown): value is PodSecurityLevel {
    return value === "privileged" || value === "baseline" || value === "restricted";
}
