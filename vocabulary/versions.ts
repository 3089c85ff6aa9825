/** The EKS control plane: Kubernetes versions the platform is built for, and its log types. */

/**
 * Kubernetes versions the platform is built and tested for, with the day EKS standard support
 * ends for each (after it, a cluster on STANDARD support type is upgraded; on EXTENDED it is
 * billed at six times the control-plane price). Source: the EKS Kubernetes version calendar,
 * read 2026-11; 1.35 and 1.36 dates are from release notes, to confirm with
 * `aws eks describe-cluster-versions`.
 */
export const KUBERNETES_VERSIONS = {
    "1.33": { endOfStandardSupport: "2026-07-29", amiRelease: "1.33.13-20260714" },
    "1.34": { endOfStandardSupport: "2026-12-02", amiRelease: "1.34.9-20260714" },
    "1.35": { endOfStandardSupport: "2027-03-27", amiRelease: "1.35.6-20260714" },
    "1.36": { endOfStandardSupport: "2027-08-02", amiRelease: "1.36.2-20260714" },
} as const satisfies Record<string, { endOfStandardSupport: string; amiRelease: string }>;

/**
 * The EKS-optimized Amazon Linux 2023 AMI every node runs, pinned: `amiRelease` above is the
 * managed node groups' release version, and Karpenter's EC2NodeClass selects the same release by
 * its alias `al2023@v<date>` (which also follows the control plane's version). Read from
 * awslabs/amazon-eks-ami CHANGELOG.md at tag v20260724: release v20260714 ships
 * amazon-eks-node-al2023-arm64-standard-<version>-v20260714 for 1.30 to 1.36.
 */
export function amiAlias(version: KubernetesVersion): string {
    return `al2023@v${KUBERNETES_VERSIONS[version].amiRelease.split("-").pop()}`;
}

export type KubernetesVersion = keyof typeof KUBERNETES_VERSIONS;
export const SUPPORTED_KUBERNETES_VERSIONS = Object.keys(KUBERNETES_VERSIONS) as [
    KubernetesVersion,
    ...KubernetesVersion[],
];

/** Whole days from `asOf` until `version` leaves standard support (negative once it has); undefined for a version not in the table. */
export function daysOfStandardSupportLeft(version: string, asOf: Date): number | undefined {
    const entry = (KUBERNETES_VERSIONS as Record<string, { endOfStandardSupport: string }>)[version];
    return entry
        ? Math.floor((Date.parse(`${entry.endOfStandardSupport}T00:00:00Z`) - asOf.getTime()) / 86_400_000)
        : undefined;
}

/** The five EKS control-plane log types. */
export const CONTROL_PLANE_LOG_TYPES = [
    "api",
    "audit",
    "authenticator",
    "controllerManager",
    "scheduler",
] as const;
