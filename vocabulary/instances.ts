/**
 * The EC2 instance types node groups may use: vCPU, memory (GiB), CPU architecture, and network
 * interfaces with IPv4 addresses per interface (EC2's "IP addresses per network interface per
 * instance type" table; the VPC CNI's max pods per node follow from them: aws/amazon-vpc-cni-k8s,
 * misc/eni-max-pods.txt, interfaces x (addresses per interface - 1) + 2).
 */

export type Architecture = "arm64" | "x86_64";

/** Network interfaces an instance type takes, and IPv4 addresses per interface. */
export interface EniLimits {
    interfaces: number;
    ipv4PerInterface: number;
}

export interface InstanceCapacity {
    vcpu: number;
    memoryGiB: number;
    architecture: Architecture;
    eni: EniLimits;
}

const graviton = (
    vcpu: number,
    memoryGiB: number,
    interfaces: number,
    ipv4PerInterface: number,
): InstanceCapacity => ({
    vcpu,
    memoryGiB,
    architecture: "arm64",
    eni: { interfaces, ipv4PerInterface },
});
const x86 = (
    vcpu: number,
    memoryGiB: number,
    interfaces: number,
    ipv4PerInterface: number,
): InstanceCapacity => ({
    vcpu,
    memoryGiB,
    architecture: "x86_64",
    eni: { interfaces, ipv4PerInterface },
});

export const INSTANCE_CAPACITY: Record<string, InstanceCapacity> = {
    "t4g.medium": graviton(2, 4, 3, 6),
    "t4g.large": graviton(2, 8, 3, 12),
    "m7g.large": graviton(2, 8, 3, 10),
    "m7g.xlarge": graviton(4, 16, 4, 15),
    "m7g.2xlarge": graviton(8, 32, 4, 15),
    "m7g.4xlarge": graviton(16, 64, 8, 30),
    "m6g.large": graviton(2, 8, 3, 10),
    "m6g.xlarge": graviton(4, 16, 4, 15),
    "m6g.2xlarge": graviton(8, 32, 4, 15),
    "m6g.4xlarge": graviton(16, 64, 8, 30),
    "c7g.xlarge": graviton(4, 8, 4, 15),
    "c7g.2xlarge": graviton(8, 16, 4, 15),
    "c7g.4xlarge": graviton(16, 32, 8, 30),
    "c6g.2xlarge": graviton(8, 16, 4, 15),
    "r7g.xlarge": graviton(4, 32, 4, 15),
    "m7i.large": x86(2, 8, 3, 10),
    "m7i.xlarge": x86(4, 16, 4, 15),
    "m7i.2xlarge": x86(8, 32, 4, 15),
    "c7i.2xlarge": x86(8, 16, 4, 15),
};

/**
 * The share of a node's capacity that kubelet leaves allocatable, on the Graviton types of the
 * table (AL2023, nodeadm at v20260724, internal/kubelet/config.go). CPU: kube-reserved is 6% of
 * the first core, 1% of the second, 0.5% of the next two, 0.25% above: 70m on 2 vCPU (3.5%), 80m
 * on 4, 90m on 8, so 0.96. Memory: the 7.5% VM overhead Karpenter subtracts (vmMemoryOverheadPercent,
 * chart 1.14.1), kube-reserved (11 MiB x max pods + 255 MiB: 574 MiB on an m7g.large, 893 MiB on
 * 4 and 8 vCPU types) and the 100 MiB eviction threshold leave 0.84 of an m7g.large, 0.86 of a
 * c7g.2xlarge; 0.83. The DaemonSets come off separately (vocabulary/footprint.ts).
 */
export const ALLOCATABLE_SHARE = { cpu: 0.96, memory: 0.83 } as const;

/** One node of a group, counted as its smallest type; undefined when a type is missing from the instance table. */
export function nodeGroupNode(group: {
    props: Record<string, any>;
}): { vcpu: number; memoryGiB: number } | undefined {
    const types: string[] = group.props.instanceTypes ?? [];
    const known = types.map((t) => INSTANCE_CAPACITY[t]).filter(Boolean);
    if (known.length !== types.length || known.length === 0) return undefined;
    return {
        vcpu: Math.min(...known.map((k) => k.vcpu)),
        memoryGiB: Math.min(...known.map((k) => k.memoryGiB)),
    };
}
