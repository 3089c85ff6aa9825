/**
 * What the application nodes of a stack can hold: its Karpenter NodePools at their limits and its
 * application node groups at their maximum size, less what every node keeps for kubelet and the
 * DaemonSets.
 */
import { managedNodeGroups } from "./eks";
import { INSTANCE_CAPACITY, nodeGroupNode } from "./instances";
import { SYSTEM_TAINT } from "./placement";
import { cores, gibibytes } from "./quantity";
import { podAllocatable, stackDaemonSets } from "./footprint";

/** Node groups that run applications: those without the system node group's taint. */
export function applicationNodeGroups<
    T extends { type: string; props: Record<string, any>; parent?: { type: string } },
>(resources: T[]): T[] {
    return managedNodeGroups(resources).filter(
        (r) => !(r.props.taints ?? []).some((t: Record<string, any>) => t.key === SYSTEM_TAINT.key),
    );
}

/** Resource type of a Karpenter NodePool as the program registers it. */
export const NODE_POOL_TYPE = "kubernetes:karpenter.sh/v1:NodePool";

/** The application capacity one NodePool may grow to: its `spec.limits`; a pool without limits is unbounded. */
export function nodePoolLimits(pool: { name: string; props: Record<string, any> }): {
    name: string;
    vcpu?: number;
    memoryGiB?: number;
} {
    const limits = pool.props.spec?.limits ?? {};
    return {
        name: pool.props.metadata?.name ?? pool.name,
        vcpu: limits.cpu !== undefined ? cores(String(limits.cpu)) : undefined,
        memoryGiB: limits.memory !== undefined ? gibibytes(String(limits.memory)) : undefined,
    };
}

/** The values a NodePool's `In` requirement on `key` allows; undefined when it does not constrain `key`. */
export function nodePoolAllows(pool: { props: Record<string, any> }, key: string): string[] | undefined {
    const requirement = (pool.props.spec?.template?.spec?.requirements ?? []).find(
        (r: Record<string, any>) => r.key === key && r.operator === "In",
    );
    return requirement?.values;
}

/** Application NodePools: every NodePool the stack registers (the system nodes are a managed group). */
export function applicationNodePools<T extends { type: string }>(resources: T[]): T[] {
    return resources.filter((r) => r.type === NODE_POOL_TYPE);
}

/** One part of the application capacity: a NodePool at its limits or a node group at its maximum size. */
export interface CapacitySource {
    kind: "NodePool" | "node group";
    name: string;
    vcpu: number;
    memoryGiB: number;
    /** The most nodes it may have (a NodePool's limits over its smallest type): each runs the DaemonSets. */
    nodes: number;
}

/**
 * The capacity the applications may grow to: each NodePool's limits and each application node
 * group at its maximum size (a mixed group counts its smallest type). What pods can request of it
 * is ALLOCATABLE_SHARE of it less the DaemonSets on each of its nodes (the add-ons' footprints and
 * the EKS add-ons'). A NodePool without limits or a group with a type missing from the instance
 * table is a problem, counted as nothing.
 */
export function applicationCapacity<
    T extends { type: string; name: string; urn?: string; props: Record<string, any> },
>(
    resources: T[],
): {
    vcpu: number;
    memoryGiB: number;
    /** What pods can request of it (ALLOCATABLE_SHARE, less the DaemonSets). */
    allocatableVcpu: number;
    allocatableMemoryGiB: number;
    sources: CapacitySource[];
    problems: { message: string; urn?: string }[];
} {
    const sources: CapacitySource[] = [];
    const problems: { message: string; urn?: string }[] = [];
    for (const pool of applicationNodePools(resources)) {
        const limits = nodePoolLimits(pool);
        if (limits.vcpu === undefined || limits.memoryGiB === undefined) {
            problems.push({
                message: `NodePool ${limits.name} must set spec.limits.cpu and spec.limits.memory: without them it grows without bound and its capacity cannot be planned.`,
                urn: pool.urn,
            });
            continue;
        }
        const smallest = Math.min(
            ...(nodePoolAllows(pool, "node.kubernetes.io/instance-type") ?? []).map(
                (t) => INSTANCE_CAPACITY[t]?.vcpu ?? Infinity,
            ),
        );
        const nodes = Number.isFinite(smallest) ? Math.ceil(limits.vcpu / smallest) : 0;
        sources.push({
            kind: "NodePool",
            name: limits.name,
            vcpu: limits.vcpu,
            memoryGiB: limits.memoryGiB,
            nodes,
        });
    }
    for (const group of applicationNodeGroups(resources)) {
        const node = nodeGroupNode(group);
        if (!node) {
            const types: string[] = group.props.instanceTypes ?? [];
            problems.push({
                message: `Node group ${group.name} uses instance types missing from the capacity table: ${types.filter((t) => !INSTANCE_CAPACITY[t]).join(", ") || "(none)"}.`,
                urn: group.urn,
            });
            continue;
        }
        const max = Number(group.props.scalingConfig?.maxSize ?? 0);
        sources.push({
            kind: "node group",
            name: group.name,
            vcpu: max * node.vcpu,
            memoryGiB: max * node.memoryGiB,
            nodes: max,
        });
    }
    const vcpu = sources.reduce((sum, s) => sum + s.vcpu, 0);
    const memoryGiB = sources.reduce((sum, s) => sum + s.memoryGiB, 0);
    const nodes = sources.reduce((sum, s) => sum + s.nodes, 0);
    // Every node keeps kubelet's reserve and runs the DaemonSets: the sum of podAllocatable over the nodes.
    const daemonSets = stackDaemonSets(resources);
    const free = podAllocatable(
        { vcpu, memoryGiB },
        { vcpu: nodes * daemonSets.vcpu, memoryGiB: nodes * daemonSets.memoryGiB },
    );
    return {
        vcpu,
        memoryGiB,
        allocatableVcpu: free.vcpu,
        allocatableMemoryGiB: free.memoryGiB,
        sources,
        problems,
    };
}
