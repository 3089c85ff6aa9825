/**
 * Checking pods against the Pod Security Standards (vocabulary/pod-security-types.ts names the
 * sources), and finding pod templates in workload objects: one engine for `npm run render:addons`
 * and the policy pack's workload rules.
 */
import { BASELINE_CHECKS } from "./pod-security-baseline";
import { RESTRICTED_CHECKS } from "./pod-security-restricted";
import {
    Check,
    POD_SECURITY_LEVELS,
    PodMetadata,
    PodSecurityLevel,
    PodSecurityViolation,
    PodSpec,
} from "./pod-security-types";
import { podTemplateOfKind } from "./workloads";

export type { PodMetadata, PodSecurityLevel, PodSecurityViolation, PodSpec };

/** Every check of both levels, in the order of the published standard. */
const CHECKS: Check[] = [...BASELINE_CHECKS, ...RESTRICTED_CHECKS];

/** The checks that apply at `level`: none at privileged; at restricted, baseline's minus those a restricted check overrides. */
function checksFor(level: PodSecurityLevel): Check[] {
    if (level === "privileged") return [];
    if (level === "baseline") return BASELINE_CHECKS;
    const overridden = new Set(CHECKS.flatMap((c) => c.overrides ?? []));
    return CHECKS.filter((c) => !overridden.has(c.id));
}

/** What `checks` find wrong with the pod, structured (check, level, container). */
function run(checks: Check[], podSpec: PodSpec, podMetadata: PodMetadata): PodSecurityViolation[] {
    return checks.flatMap((check) =>
        check.run(podMetadata ?? {}, podSpec ?? {}).map(({ container, detail }) => ({
            check: check.id,
            level: check.level,
            container,
            message: `${check.id}: ${detail}`,
        })),
    );
}

/** Every control of `level` the pod fails, structured (check, level, container). */
export function podSecurityFindings(
    podSpec: PodSpec,
    podMetadata: PodMetadata,
    level: PodSecurityLevel,
): PodSecurityViolation[] {
    return run(checksFor(level), podSpec, podMetadata);
}

/** Every control of `level` the pod fails, one message each (`<check>: <who> <what>`); empty when it passes. */
export function podSecurityViolations(
    podSpec: PodSpec,
    podMetadata: PodMetadata,
    level: PodSecurityLevel,
): string[] {
    return podSecurityFindings(podSpec, podMetadata, level).map((v) => v.message);
}

/**
 * What the checks named `checkIds` (PSA's check ids, of either level) find wrong with the pod,
 * whatever level overrides them: for a rule that enforces some controls of the standards.
 */
export function podSecurityCheckFindings(
    checkIds: readonly string[],
    podSpec: PodSpec,
    podMetadata: PodMetadata,
): PodSecurityViolation[] {
    const unknown = checkIds.filter((id) => !CHECKS.some((c) => c.id === id));
    if (unknown.length > 0) throw new Error(`No Pod Security check ${unknown.join(", ")}`);
    return run(
        CHECKS.filter((c) => checkIds.includes(c.id)),
        podSpec,
        podMetadata,
    );
}

/** A Kubernetes object as parsed from YAML: only what locating a pod template needs. */
export interface KubeObject {
    apiVersion?: string;
    kind?: string;
    metadata?: PodMetadata;
    spec?: unknown;
    template?: unknown;
}

/** A pod's metadata and spec, typed as the checks read them. */
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
    return (POD_SECURITY_LEVELS as readonly unknown[]).includes(value);
}
