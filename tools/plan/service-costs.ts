/** Each service's compute: its pods at the share of the node they fill. */
import type { PolicyResource } from "@pulumi/policy";
import { INSTANCE_CAPACITY } from "../../vocabulary/instances";
import { DeployedService, podRequest } from "../../vocabulary/stack";
import { applicationNodeGroups } from "../../vocabulary/capacity";
import { poolRates } from "./node-pools";
import { groupRate, NodeRate, podMonthly } from "./node-rate";
import { Prices } from "./pricing";

/**
 * Per-service compute: pods priced at the per-vCPU or per-GiB rate of the node they fill, whichever
 * binds: the largest NodePool's priced type, or else the first application node group's.
 */
export function serviceCosts(
    prices: Prices,
    services: DeployedService[],
    resources: PolicyResource[],
): Record<string, { min: number; max: number }> {
    const largest = poolRates(resources, prices).sort((a, b) => b.limitVcpu - a.limitVcpu)[0];
    const group = applicationNodeGroups(resources)[0];
    const node: NodeRate | undefined = largest
        ? { hourly: largest.hourly, size: INSTANCE_CAPACITY[largest.type] }
        : group
          ? groupRate(group, prices)
          : undefined;
    if (!node) return {};
    const pod = (s: DeployedService) => podMonthly(node, podRequest(s), prices);
    return Object.fromEntries(
        services.map((s) => [s.name, { min: pod(s) * s.minReplicas, max: pod(s) * s.maxReplicas }]),
    );
}
