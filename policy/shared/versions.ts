/** The EKS control plane: Kubernetes versions the platform is built for, and its log types. */

/**
 * Kubernetes versions the platform is built and tested for, with the day EKS standard support
 * ends for each (after it, a cluster on STANDARD support type is upgraded; on EXTENDED it is
 * billed at six times the control-plane price). Source: the EKS Kubernetes version calendar,
 * read 2026-11; 1.35 and 1.36 dates are from release notes, to confirm with
 * `aws eks describe-cluster-versions`.
 */
export const KUBERNETES_VERSIONS = {
    "1.33": { endOfStandardSupport: "2026-07-29" },
    "1.34": { endOfStandardSupport: "2026-12-02" },
    "1.35": { endOfStandardSupport: "2027-03-27" },
    "1.36": { endOfStandardSupport: "2027-08-02" },
} as const satisfies Record<string, { endOfStandardSupport: string }>;

export type KubernetesVersion = keyof typeof KUBERNETES_VERSIONS;
export const SUPPORTED_KUBERNETES_VERSIONS = Object.keys(KUBERNETES_VERSIONS) as [KubernetesVersion, ...KubernetesVersion[]];

/** Whole days from `asOf` until `version` leaves standard support (negative once it has); undefined for a version not in the table. */
export function daysOfStandardSupportLeft(version: string, asOf: Date): number | undefined {
    const entry = (KUBERNETES_VERSIONS as Record<string, { endOfStandardSupport: string }>)[version];
    return entry ? Math.floor((Date.parse(`${entry.endOfStandardSupport}T00:00:00Z`) - asOf.getTime()) / 86_400_000) : undefined;
}

/** The five EKS control-plane log types. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;
