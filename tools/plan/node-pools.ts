/**
 * Karpenter's NodePools in the cost model: each pool priced at its cheapest type per vCPU, and the
 * nodes it runs at minimum scale (what the services' minimum replicas need beyond the application
 * node groups) and at maximum (its limits).
 */
import type { PolicyResource } from "@pulumi/policy";
import { Amount, podAllocatable, stackDaemonSets } from "../../vocabulary/footprint";
import { INSTANCE_CAPACITY, nodeGroupNode } from "../../vocabulary/instances";
import { gibibytes } from "../../vocabulary/quantity";
import { DeployedService, serviceDemand } from "../../vocabulary/stack";
import {
    applicationNodeGroups,
    applicationNodePools,
    nodePoolAllows,
    nodePoolLimits,
} from "../../vocabulary/capacity";
import type { RecordedResource } from "../harness";
import { componentOf } from "./component";
import { Prices } from "./pricing";
import type { CostLine } from "./report";

/** How a NodePool is priced: the cheapest type per vCPU it allows, at spot price where it allows spot. */
export interface PoolRate {
    name: string;
    weight: number;
    type: string;
    spot: boolean;
    hourly: number;
    vcpu: number;
    memoryGiB: number;
    limitVcpu: number;
    limitMemoryGiB: number;
    urn: string;
}

/** The rate of every application NodePool that sets its limits and allows a type of known size. */
export function poolRates(resources: PolicyResource[], prices: Prices): PoolRate[] {
    return applicationNodePools(resources).flatMap((pool) => {
        const limits = nodePoolLimits(pool);
        const types = (nodePoolAllows(pool, "node.kubernetes.io/instance-type") ?? []).filter(
            (t) => INSTANCE_CAPACITY[t],
        );
        if (types.length === 0 || limits.vcpu === undefined || limits.memoryGiB === undefined) return [];
        const spot = nodePoolAllows(pool, "karpenter.sh/capacity-type")?.includes("spot") ?? false;
        const hourlyOf = (t: string) => prices.row(`ec2.${t}.${spot ? "spot" : "ondemand"}`).usd;
        const type = types.reduce((best, t) =>
            hourlyOf(t) / INSTANCE_CAPACITY[t].vcpu < hourlyOf(best) / INSTANCE_CAPACITY[best].vcpu
                ? t
                : best,
        );
        return [
            {
                name: limits.name,
                weight: Number(pool.props.spec?.weight ?? 0),
                type,
                spot,
                hourly: hourlyOf(type),
                vcpu: INSTANCE_CAPACITY[type].vcpu,
                memoryGiB: INSTANCE_CAPACITY[type].memoryGiB,
                limitVcpu: limits.vcpu,
                limitMemoryGiB: limits.memoryGiB,
                urn: pool.urn,
            },
        ];
    });
}

/** Nodes a priced NodePool runs at minimum and maximum scale. */
export interface PoolNodes {
    name: string;
    min: number;
    max: number;
}

/** What the application node groups at their minimum size leave allocatable to pods: the on-demand floor. */
function applicationFloor(resources: PolicyResource[], daemonSets: Amount): Amount {
    return applicationNodeGroups(resources).reduce(
        (sum, g) => {
            const node = nodeGroupNode(g);
            const nodes = Number(g.props.scalingConfig?.minSize ?? 0);
            const free = node && podAllocatable(node, daemonSets);
            return free
                ? { vcpu: sum.vcpu + nodes * free.vcpu, memoryGiB: sum.memoryGiB + nodes * free.memoryGiB }
                : sum;
        },
        { vcpu: 0, memoryGiB: 0 },
    );
}

/**
 * The nodes each pool runs: at minimum scale, `demand` filled into the pools in the order given
 * (each node offering what kubelet and the DaemonSets leave of it); at maximum, each pool at its limits.
 */
function poolNodeCounts(rates: PoolRate[], demand: Amount, daemonSets: Amount): PoolNodes[] {
    let cpuLeft = demand.vcpu;
    let memoryLeft = demand.memoryGiB;
    return rates.map((rate) => {
        const maxNodes = Math.min(
            Math.floor(rate.limitVcpu / rate.vcpu),
            Math.floor(rate.limitMemoryGiB / rate.memoryGiB),
        );
        const free = podAllocatable(rate, daemonSets);
        const minNodes = Math.min(
            maxNodes,
            Math.max(0, Math.ceil(cpuLeft / free.vcpu - 1e-9), Math.ceil(memoryLeft / free.memoryGiB - 1e-9)),
        );
        cpuLeft = Math.max(0, cpuLeft - minNodes * free.vcpu);
        memoryLeft = Math.max(0, memoryLeft - minNodes * free.memoryGiB);
        return { name: rate.name, min: minNodes, max: maxNodes };
    });
}

/**
 * Karpenter's nodes: at minimum scale, the nodes the services' minimum replicas need (their
 * requests over what a node leaves allocatable after kubelet and the DaemonSets) beyond the
 * application node groups' minimum, filled into the heaviest pools first as Karpenter does; at
 * maximum, every pool at its limits. Each pool is priced at its cheapest type per vCPU.
 */
export function nodePoolLines(
    resources: PolicyResource[],
    prices: Prices,
    services: DeployedService[],
    byUrn: Map<string, RecordedResource>,
): { lines: CostLine[]; nodes: PoolNodes[] } {
    const rates = poolRates(resources, prices).sort((a, b) => b.weight - a.weight);
    const nodeClass = resources.find((r) => r.type === "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass");
    const diskGiB = gibibytes(
        String(nodeClass?.props.spec?.blockDeviceMappings?.[0]?.ebs?.volumeSize ?? "0"),
    );
    const disk = diskGiB * prices.monthly("ebs.gp3");
    const daemonSets = stackDaemonSets(resources);
    const atMin = serviceDemand(services, "minReplicas");
    // Application node groups (an on-demand floor) are always there: the pools carry what they cannot.
    const floor = applicationFloor(resources, daemonSets);
    const beyondFloor = {
        vcpu: Math.max(0, atMin.vcpu - floor.vcpu),
        memoryGiB: Math.max(0, atMin.memoryGiB - floor.memoryGiB),
    };
    const nodes = poolNodeCounts(rates, beyondFloor, daemonSets);
    const h = prices.hoursPerMonth;
    const lines = rates.map((rate, i): CostLine => {
        const { min: minNodes, max: maxNodes } = nodes[i];
        const node = rate.hourly * h + disk;
        return {
            component: componentOf(byUrn.get(rate.urn)!, byUrn),
            item: `NodePool ${rate.name} (${rate.spot ? "spot" : "on-demand"}, priced as ${rate.type}, ${minNodes}-${maxNodes} nodes)`,
            min: minNodes * node,
            max: maxNodes * node,
            onDemandMax: rate.spot
                ? maxNodes * (prices.row(`ec2.${rate.type}.ondemand`).usd * h + disk)
                : undefined,
            basis: `${rate.type} ${rate.spot ? "spot" : "on-demand"} $${rate.hourly}/h + ${diskGiB} GiB gp3 per node; limits ${rate.limitVcpu} vCPU, ${rate.limitMemoryGiB} GiB`,
        };
    });
    return { lines, nodes };
}
