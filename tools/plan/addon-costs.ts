/** Each add-on's share of the node lines: its system pods, and its DaemonSet pods on every node. */
import type { PolicyResource } from "@pulumi/policy";
import {
    perNodeDaemonSets,
    platformFootprints,
    systemNodeGroup,
    systemPods,
} from "../../vocabulary/footprint";
import { INSTANCE_CAPACITY } from "../../vocabulary/instances";
import { applicationNodeGroups } from "../../vocabulary/capacity";
import type { PoolNodes } from "./node-pools";
import { poolRates } from "./node-pools";
import { groupRate, NodeRate, podMonthly } from "./node-rate";
import { Prices } from "./pricing";

/** Nodes of one rate, counted at minimum and at maximum scale. */
interface NodeSet {
    rate: NodeRate;
    min: number;
    max: number;
}

/**
 * Every node of the stack by rate: the system group at its desired and maximum size, application
 * groups at their minimum and maximum, each NodePool's nodes as the pool lines count them.
 */
function nodeSets(resources: PolicyResource[], prices: Prices, poolNodes: PoolNodes[]): NodeSet[] {
    const groupSet = (group: PolicyResource, min: "desiredSize" | "minSize"): NodeSet => ({
        rate: groupRate(group, prices),
        min: Number(group.props.scalingConfig?.[min] ?? 0),
        max: Number(group.props.scalingConfig?.maxSize ?? 0),
    });
    const system = systemNodeGroup(resources);
    const sets: NodeSet[] = system ? [groupSet(system, "desiredSize")] : [];
    for (const group of applicationNodeGroups(resources)) sets.push(groupSet(group, "minSize"));
    for (const rate of poolRates(resources, prices)) {
        const nodes = poolNodes.find((n) => n.name === rate.name);
        if (nodes)
            sets.push({
                rate: { hourly: rate.hourly, size: INSTANCE_CAPACITY[rate.type] },
                min: nodes.min,
                max: nodes.max,
            });
    }
    return sets;
}

/**
 * Per-add-on compute (the EKS add-ons' pods included): its system pods at the system node group's
 * rate, its DaemonSet pods on every node at that node's rate, the nodes counted at minimum and
 * maximum scale (see `nodeSets`). A share of the node lines, not a cost of its own.
 */
export function addonCosts(
    prices: Prices,
    resources: PolicyResource[],
    poolNodes: PoolNodes[],
): Record<string, { min: number; max: number }> {
    const records = platformFootprints(resources);
    const costs: Record<string, { min: number; max: number }> = {};
    const add = (addon: string, min: number, max: number) => {
        costs[addon] ??= { min: 0, max: 0 };
        costs[addon].min += min;
        costs[addon].max += max;
    };
    const system = systemNodeGroup(resources);
    if (system) {
        const rate = groupRate(system, prices);
        for (const pod of systemPods(records)) {
            const monthly = podMonthly(rate, pod, prices);
            add(pod.addon, monthly, monthly);
        }
    }
    const sets = nodeSets(resources, prices, poolNodes);
    for (const pod of perNodeDaemonSets(records).pods) {
        add(
            pod.addon,
            ...sets.reduce<[number, number]>(
                ([min, max], set) => {
                    const monthly = podMonthly(set.rate, pod, prices);
                    return [min + monthly * set.min, max + monthly * set.max];
                },
                [0, 0],
            ),
        );
    }
    return costs;
}
