/**
 * The Kubernetes Pod Security Standards, `baseline` and `restricted`, as Kubernetes v1.35 enforces
 * them: one check per control of kubernetes.io/docs/concepts/security/pod-security-standards,
 * with the checks, overrides and user-namespace and Windows relaxations of the Pod Security
 * Admission library (k8s.io/pod-security-admission/policy at v0.35). Each violation names the
 * check (PSA's check id), the pod or container and the field, so that a report reads like the
 * admission controller's own refusal.
 *
 * Written here because no maintained npm package implements the standards; the policy pack's
 * restricted-profile rules (policy/rules) cover only the tacos services' profile, not the
 * baseline controls nor PSA's exact semantics (pod-level defaults, overrides, relaxations).
 */
import type { PodSecurityLevel } from "../../components/k8s/namespace";

export type { PodSecurityLevel };

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

export interface Check {
    id: string;
    level: Exclude<PodSecurityLevel, "privileged">;
    /** Baseline checks a restricted check replaces (PSA's OverrideCheckIDs). */
    overrides?: string[];
    run(metadata: PodMetadata, spec: PodSpec): { container?: string; detail: string }[];
}
