/** Checking pods against the Pod Security Standards, and finding pod templates in workload objects. */
import { podTemplateOfKind } from "../../vocabulary/workloads";
import { checksFor } from "./checks";
import type { PodMetadata, PodSecurityLevel, PodSecurityViolation, PodSpec } from "./types";

export * from "./types";
export { containersOf } from "./checks";

/** Every control of `level` the pod fails, structured (check, level, container). */
export function podSecurityFindings(
    podSpec: PodSpec,
    podMetadata: PodMetadata,
    level: PodSecurityLevel,
): PodSecurityViolation[] {
    return checksFor(level).flatMap((check) =>
        check.run(podMetadata ?? {}, podSpec ?? {}).map(({ container, detail }) => ({
            check: check.id,
            level: check.level,
            container,
            message: `${check.id}: ${detail}`,
        })),
    );
}

/** Every control of `level` the pod fails, one message each (`<check>: <who> <what>`); empty when it passes. */
export function podSecurityViolations(
    podSpec: PodSpec,
    podMetadata: PodMetadata,
    level: PodSecurityLevel,
): string[] {
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

/** The pod (metadata and spec) an object runs (vocabulary/workloads.ts's reading), or undefined for any other object. */
export function podTemplateOf(object: KubeObject): PodTemplate | undefined {
    return podTemplateOfKind(object.kind, object as Record<string, any>) as PodTemplate | undefined;
}

/** True for a Pod Security level name. */
export function isPodSecurityLevel(value: unknown): value is PodSecurityLevel {
    return value === "privileged" || value === "baseline" || value === "restricted";
}
