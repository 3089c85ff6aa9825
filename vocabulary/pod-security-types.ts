/**
 * The Kubernetes Pod Security Standards, `baseline` and `restricted`, as Kubernetes v1.35 enforces
 * them: one check per control of kubernetes.io/docs/concepts/security/pod-security-standards,
 * with the checks, overrides and user-namespace and Windows relaxations of the Pod Security
 * Admission library (k8s.io/pod-security-admission/policy at v0.35). Each violation names the
 * check (PSA's check id), the pod or container and the field, so that a report reads like the
 * admission controller's own refusal. One engine serves `npm run render:addons` (every rendered
 * add-on at its namespace's level) and the policy pack's workload rules (each reporting the checks
 * it names).
 *
 * Written here because no maintained npm package implements the standards.
 *
 * This module: the pod fields the checks read, and what a check and a violation are.
 */
/** The Pod Security Standards' levels, from least to most restrictive. */
export const POD_SECURITY_LEVELS = ["privileged", "baseline", "restricted"] as const;
/** A Pod Security level, as the `pod-security.kubernetes.io/*` namespace labels name it. */
export type PodSecurityLevel = (typeof POD_SECURITY_LEVELS)[number];

/** The fields of a container's security context that the standards read. */
export interface ContainerSecurityContext {
    privileged?: boolean;
    allowPrivilegeEscalation?: boolean;
    runAsNonRoot?: boolean;
    runAsUser?: number;
    capabilities?: { add?: string[]; drop?: string[] };
    seccompProfile?: { type?: string };
    appArmorProfile?: { type?: string };
    seLinuxOptions?: { type?: string; user?: string; role?: string; level?: string };
    procMount?: string;
    windowsOptions?: { hostProcess?: boolean };
}

/** The fields of a pod's security context that the standards read. */
export interface PodSecurityContext {
    runAsNonRoot?: boolean;
    runAsUser?: number;
    seccompProfile?: { type?: string };
    appArmorProfile?: { type?: string };
    seLinuxOptions?: { type?: string; user?: string; role?: string; level?: string };
    sysctls?: { name: string; value?: string }[];
    windowsOptions?: { hostProcess?: boolean };
}

/** A probe or lifecycle handler (only its host matters here). */
export interface Handler {
    httpGet?: { host?: string };
    tcpSocket?: { host?: string };
}

export interface Container {
    name: string;
    securityContext?: ContainerSecurityContext;
    ports?: { containerPort?: number; hostPort?: number }[];
    livenessProbe?: Handler;
    readinessProbe?: Handler;
    startupProbe?: Handler;
    lifecycle?: { postStart?: Handler; preStop?: Handler };
}

/** A pod volume: its name and one volume source key (configMap, hostPath, nfs...). */
export interface Volume {
    name: string;
    [source: string]: unknown;
}

/** The parts of a pod spec the standards read. */
export interface PodSpec {
    hostNetwork?: boolean;
    hostPID?: boolean;
    hostIPC?: boolean;
    /** `false` puts the pod in a user namespace, which relaxes runAsNonRoot, runAsUser and (baseline) procMount. */
    hostUsers?: boolean;
    os?: { name?: string };
    securityContext?: PodSecurityContext;
    initContainers?: Container[];
    containers?: Container[];
    ephemeralContainers?: Container[];
    volumes?: Volume[];
}

export interface PodMetadata {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
}

/** One failed control. */
export interface PodSecurityViolation {
    /** PSA's check id, e.g. `allowPrivilegeEscalation`, `capabilities_restricted`. */
    check: string;
    /** The lowest level the check belongs to. */
    level: Exclude<PodSecurityLevel, "privileged">;
    /** The offending container, or undefined for the pod itself. */
    container?: string;
    /** `<check>: <who> <what is wrong>`. */
    message: string;
}

/** What one check found wrong: the container (none for the pod itself) and what, naming the field. */
export interface Finding {
    container?: string;
    /** `<who> <what is wrong>`, e.g. `container "app" must set securityContext.allowPrivilegeEscalation=false`. */
    detail: string;
}

/** One control of the standards. */
export interface Check {
    id: string;
    level: Exclude<PodSecurityLevel, "privileged">;
    /** Baseline checks a restricted check replaces (PSA's OverrideCheckIDs). */
    overrides?: string[];
    run(metadata: PodMetadata, spec: PodSpec): Finding[];
}
