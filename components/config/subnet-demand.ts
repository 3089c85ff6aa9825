/**
 * How many addresses one zone's private subnet may have to hand out, against how many its CIDR
 * holds. With the Amazon VPC CNI every pod takes an address of its node's subnet, so a subnet too
 * small for the nodes the stack may place in it leaves pods Pending with no error anywhere but
 * the CNI's log.
 */
import * as ipaddr from "ipaddr.js";
import { EniLimits, INSTANCE_CAPACITY } from "../../vocabulary/instances";
import { karpenterSchema } from "./capacity";
import { clusterInputSchema, dataSchema } from "./infrastructure";
import { networkSchema } from "./network";

/** Network interfaces and IPv4 addresses per interface of each type in vocabulary/instances.ts. */
export const ENI_LIMITS: Record<string, EniLimits> = Object.fromEntries(
    Object.entries(INSTANCE_CAPACITY).map(([type, capacity]) => [type, capacity.eni]),
);

/** Addresses AWS keeps in every subnet: the first four and the last (EC2 API, CreateSubnet). */
export const AWS_RESERVED_PER_SUBNET = 5;

/** Network interfaces EKS creates for the control plane, "up to four" across the cluster's subnets (EKS user guide, network requirements). */
export const EKS_CONTROL_PLANE_INTERFACES = 4;

/** Pods the VPC CNI lets a node of `type` run (misc/eni-max-pods.txt's formula); undefined for an unknown type. */
export function maxPods(type: string): number | undefined {
    const limits = ENI_LIMITS[type];
    return limits && limits.interfaces * (limits.ipv4PerInterface - 1) + 2;
}

/** Addresses one node of `type` may hold: every address of every interface it can attach. */
function nodeAddresses(type: string): number {
    const limits = ENI_LIMITS[type];
    return limits ? limits.interfaces * limits.ipv4PerInterface : 0;
}

/** Addresses a subnet's CIDR leaves for use: its size less the 5 AWS reserves. */
export function usableAddresses(cidr: string): number {
    return 2 ** (32 - ipaddr.IPv4.parseCIDR(cidr)[1]) - AWS_RESERVED_PER_SUBNET;
}

/** The parts of the stack config the demand depends on. */
export interface SubnetDemandInput {
    nodeGroups: Record<string, { instanceTypes: string[]; maxSize: number }>;
    nodePools: Record<string, { instanceTypes: string[]; limits: { cpu: number; memoryGiB: number } }>;
    interfaceEndpoints: readonly string[];
    redisNodes: number;
}

/** The most addresses one zone's private subnet may need, and the terms it adds up. */
export interface SubnetDemand {
    total: number;
    /** One line per term, e.g. `Karpenter pool apps: 8 x m7g.xlarge x 60 = 480`. */
    terms: string[];
}

/**
 * The most addresses one zone's private subnet may have to hold:
 *
 *   sum over managed node groups of  maxSize x addresses(largest type)
 * + sum over Karpenter NodePools of  max over its types t of
 *                                   floor(min(limits.cpu / vCPU(t), limits.memoryGiB / GiB(t))) x addresses(t)
 * + one address per interface endpoint, per Redis node, and the 4 EKS control-plane interfaces
 *
 * where addresses(t) = interfaces(t) x IPv4 per interface(t): the VPC CNI (secondary IP mode, no
 * prefix delegation) gives every pod that is not on the host network an address of its node's
 * subnet, and with its default WARM_ENI_TARGET=1 keeps one whole spare interface's addresses
 * attached, so a full node holds every address of every interface it may attach
 * (aws/amazon-vpc-cni-k8s, docs/eni-and-ip-target.md). Karpenter's limits count instance
 * capacity, so the type that yields the most addresses within them bounds the pool.
 *
 * Every node may land in one zone: Karpenter launches where capacity is cheapest or available,
 * and a managed group's Auto Scaling group refills the remaining zones when one is impaired.
 * The services' maxReplicas need no term of their own: every pod sits on one of these nodes,
 * whose addresses bound them. E.g. dev: system 3 x m7g.xlarge x 60 = 180, pool apps
 * 8 x m7g.xlarge x 60 = 480, 5 endpoints, 1 Redis node, 4 EKS interfaces: 670 addresses, which a
 * /22 (1019 usable) holds and a /28 (11 usable) does not.
 */
export function privateSubnetDemand(input: SubnetDemandInput): SubnetDemand {
    const terms: { label: string; addresses: number }[] = [];
    for (const [name, group] of Object.entries(input.nodeGroups)) {
        const type = [...group.instanceTypes].sort((a, b) => nodeAddresses(b) - nodeAddresses(a))[0];
        const each = nodeAddresses(type);
        terms.push({
            label: `node group ${name}: ${group.maxSize} x ${type} x ${each}`,
            addresses: group.maxSize * each,
        });
    }
    for (const [name, pool] of Object.entries(input.nodePools)) {
        const options = pool.instanceTypes
            .filter((type) => INSTANCE_CAPACITY[type])
            .map((type) => {
                const { vcpu, memoryGiB } = INSTANCE_CAPACITY[type];
                const nodes = Math.floor(Math.min(pool.limits.cpu / vcpu, pool.limits.memoryGiB / memoryGiB));
                return { type, nodes, each: nodeAddresses(type) };
            })
            .sort((a, b) => b.nodes * b.each - a.nodes * a.each);
        if (options.length > 0) {
            const { type, nodes, each } = options[0];
            terms.push({
                label: `Karpenter pool ${name}: ${nodes} x ${type} x ${each}`,
                addresses: nodes * each,
            });
        }
    }
    terms.push({ label: "interface endpoints", addresses: input.interfaceEndpoints.length });
    terms.push({ label: "Redis nodes", addresses: input.redisNodes });
    terms.push({ label: "EKS control-plane interfaces", addresses: EKS_CONTROL_PLANE_INTERFACES });
    return {
        total: terms.reduce((sum, t) => sum + t.addresses, 0),
        terms: terms.map((t) => `${t.label} = ${t.addresses}`),
    };
}

/** The problem a too-small private subnet is reported as, or undefined when it holds the demand. */
export function subnetTooSmall(cidr: string, demand: SubnetDemand): string | undefined {
    const usable = usableAddresses(cidr);
    if (usable >= demand.total) return undefined;
    return (
        `${cidr} is too small: it holds ${usable} usable addresses (${usable + AWS_RESERVED_PER_SUBNET} less the ` +
        `${AWS_RESERVED_PER_SUBNET} AWS reserves), but the stack may need ${demand.total} in one zone ` +
        `(${demand.terms.join("; ")}), since every pod takes an address of its node's subnet`
    );
}

/**
 * The too-small private subnets of a raw `tacos:*` namespace, by field path. Judged on its own,
 * whenever the sections it reads are valid, so that it is reported with every other bad field.
 */
export function privateSubnetProblems(
    platform: Record<string, unknown>,
): { path: PropertyKey[]; message: string }[] {
    const network = networkSchema.safeParse(platform.network);
    const cluster = clusterInputSchema.shape.nodeGroups.safeParse(
        (platform.cluster as { nodeGroups?: unknown })?.nodeGroups,
    );
    const karpenter = karpenterSchema.shape.nodePools.safeParse(
        (platform.karpenter as { nodePools?: unknown })?.nodePools,
    );
    const data = dataSchema.safeParse(platform.data);
    if (!network.success || !cluster.success || !karpenter.success || !data.success) return [];
    const demand = privateSubnetDemand({
        nodeGroups: cluster.data,
        nodePools: karpenter.data,
        interfaceEndpoints: network.data.interfaceEndpoints,
        redisNodes: data.data.redis.numCacheClusters,
    });
    return network.data.zones.flatMap((zone, i) => {
        const message = subnetTooSmall(zone.privateSubnetCidr, demand);
        return message ? [{ path: ["network", "zones", i, "privateSubnetCidr"], message }] : [];
    });
}
