/**
 * The EKS control plane: the Kubernetes versions the platform is built for and, for each, every
 * version-specific pin (end of standard support, managed add-ons, node AMI); and its log types.
 * Changing `tacos:cluster.kubernetesVersion` is the only edit an upgrade needs: everything else
 * that follows the version is read from this table.
 */

/** The EKS managed add-ons the cluster installs, as `tacos:cluster.addons` names them. */
export const EKS_ADDONS = ["vpcCni", "coreDns", "kubeProxy", "podIdentityAgent", "ebsCsiDriver"] as const;
export type EksAddon = (typeof EKS_ADDONS)[number];

/** Each managed add-on's name in the EKS API (`aws eks describe-addon-versions --addon-name`). */
export const EKS_ADDON_NAMES: Record<EksAddon, string> = {
    vpcCni: "vpc-cni",
    coreDns: "coredns",
    kubeProxy: "kube-proxy",
    podIdentityAgent: "eks-pod-identity-agent",
    ebsCsiDriver: "aws-ebs-csi-driver",
};

/** The add-on versions built for one Kubernetes version: the first is the one installed, the rest may be pinned instead. */
type AddonVersions = Record<EksAddon, readonly [string, ...string[]]>;

/**
 * Add-ons whose AWS page lists one version for every Kubernetes version (the VPC CNI's table,
 * read for 1.23 to 1.32), or no table per version at all (Pod Identity agent, EBS CSI driver):
 * the same build in every row. The 1.35 pins were chosen before this table, second-hand; the
 * rows for 1.33, 1.34 and 1.36 could not be read on an AWS page: to confirm with
 * `aws eks describe-addon-versions --kubernetes-version X --addon-name vpc-cni` (and
 * `eks-pod-identity-agent`, `aws-ebs-csi-driver`).
 */
const VERSIONLESS = {
    vpcCni: ["v1.22.4-eksbuild.3"],
    podIdentityAgent: ["v1.3.10-eksbuild.3"],
    ebsCsiDriver: ["v1.60.0-eksbuild.1"],
} as const;

/**
 * Kubernetes versions the platform is built and tested for, with the day EKS standard support
 * ends for each (after it, a cluster on STANDARD support type is upgraded; on EXTENDED it is
 * billed at six times the control-plane price). Source: the EKS Kubernetes version calendar,
 * read 2026-11; 1.35 and 1.36 dates are from release notes, to confirm with
 * `aws eks describe-cluster-versions`.
 *
 * `addons`: the EKS managed add-on versions built for the version.
 * - kube-proxy: the EKS user guide's "Manage kube-proxy in Amazon EKS clusters" table of the
 *   add-on type (read in its Japanese Markdown rendering, docs.aws.amazon.com/ja_jp/eks/latest/
 *   userguide/managing-kube-proxy.md): 1.36 v1.36.0-eksbuild.14, 1.35 v1.35.3-eksbuild.13,
 *   1.34 v1.34.6-eksbuild.13, 1.33 v1.33.10-eksbuild.13. For 1.35 the stacks' earlier pin
 *   v1.35.3-eksbuild.29 (a later build of the same release) stays the one installed.
 * - CoreDNS: the EKS user guide's "Manage CoreDNS" table (managing-coredns.md, two renderings
 *   read: docs.amazonaws.cn/zh_cn lists v1.13.2-eksbuild.4 for 1.33 to 1.35; docs.amazonaws.cn/
 *   en_us, later, lists 1.35 v1.14.2-eksbuild.4 and 1.34 v1.13.2-eksbuild.7). For 1.35 the
 *   stacks' earlier pin v1.13.2-eksbuild.31 stays the one installed. No rendering with a 1.36
 *   row could be read: 1.36 takes v1.14.2-eksbuild.4, the newest build AWS lists (for 1.35),
 *   to confirm with `aws eks describe-addon-versions --kubernetes-version 1.36 --addon-name coredns`.
 * - The others: see VERSIONLESS above.
 *
 * `amiRelease`: see amiAlias below.
 */
export const KUBERNETES_VERSIONS = {
    "1.33": {
        endOfStandardSupport: "2026-07-29",
        amiRelease: "1.33.13-20260714",
        addons: { ...VERSIONLESS, coreDns: ["v1.13.2-eksbuild.4"], kubeProxy: ["v1.33.10-eksbuild.13"] },
    },
    "1.34": {
        endOfStandardSupport: "2026-12-02",
        amiRelease: "1.34.9-20260714",
        addons: {
            ...VERSIONLESS,
            coreDns: ["v1.13.2-eksbuild.7", "v1.13.2-eksbuild.4"],
            kubeProxy: ["v1.34.6-eksbuild.13"],
        },
    },
    "1.35": {
        endOfStandardSupport: "2027-03-27",
        amiRelease: "1.35.6-20260714",
        addons: {
            ...VERSIONLESS,
            coreDns: ["v1.13.2-eksbuild.31", "v1.14.2-eksbuild.4", "v1.13.2-eksbuild.4"],
            kubeProxy: ["v1.35.3-eksbuild.29", "v1.35.3-eksbuild.13"],
        },
    },
    "1.36": {
        endOfStandardSupport: "2027-08-02",
        amiRelease: "1.36.2-20260714",
        addons: { ...VERSIONLESS, coreDns: ["v1.14.2-eksbuild.4"], kubeProxy: ["v1.36.0-eksbuild.14"] },
    },
} as const satisfies Record<
    string,
    { endOfStandardSupport: string; amiRelease: string; addons: AddonVersions }
>;

export type KubernetesVersion = keyof typeof KUBERNETES_VERSIONS;
export const SUPPORTED_KUBERNETES_VERSIONS = Object.keys(KUBERNETES_VERSIONS) as [
    KubernetesVersion,
    ...KubernetesVersion[],
];

/** Whether `version` is a row of the table. */
export function isKubernetesVersion(version: unknown): version is KubernetesVersion {
    return typeof version === "string" && Object.hasOwn(KUBERNETES_VERSIONS, version);
}

/** The add-on version the table installs on `version`. */
export function defaultAddonVersion(version: KubernetesVersion, addon: EksAddon): string {
    return KUBERNETES_VERSIONS[version].addons[addon][0];
}

/** Every version of `addon` built for `version` (the one installed first). */
export function addonVersionsBuiltFor(version: KubernetesVersion, addon: EksAddon): readonly string[] {
    return KUBERNETES_VERSIONS[version].addons[addon];
}

/** `a` compared with `b` as Kubernetes minors (`1.9` < `1.10`): negative, zero or positive. */
export function compareMinors(a: string, b: string): number {
    const [am, an] = a.split(".").map(Number);
    const [bm, bn] = b.split(".").map(Number);
    return am - bm || an - bn;
}

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

/** Whole days from `asOf` until `version` leaves standard support (negative once it has); undefined for a version not in the table. */
export function daysOfStandardSupportLeft(version: string, asOf: Date): number | undefined {
    return isKubernetesVersion(version)
        ? Math.floor(
              (Date.parse(`${KUBERNETES_VERSIONS[version].endOfStandardSupport}T00:00:00Z`) -
                  asOf.getTime()) /
                  86_400_000,
          )
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
