/** What a pod costs on a node: its share of the node's hourly price, by whichever of CPU and memory binds. */
import type { Amount } from "../../vocabulary/footprint";
import { INSTANCE_CAPACITY } from "../../vocabulary/instances";
import { Prices } from "./pricing";

/** A node's hourly price and size: what a pod on it costs by the share of it the pod requests. */
export interface NodeRate {
    hourly: number;
    size: { vcpu: number; memoryGiB: number };
}

/** Monthly cost of a pod requesting `amount`: its share of the node, by whichever of CPU and memory binds. */
export const podMonthly = (node: NodeRate, amount: Amount, prices: Prices): number =>
    node.hourly *
    Math.max(amount.vcpu / node.size.vcpu, amount.memoryGiB / node.size.memoryGiB) *
    prices.hoursPerMonth;

/** The hourly rate of a managed node group's first type. */
export function groupRate(group: { props: Record<string, any> }, prices: Prices): NodeRate {
    const type = group.props.instanceTypes[0];
    return {
        hourly: prices.row(`ec2.${type}.${group.props.capacityType === "SPOT" ? "spot" : "ondemand"}`).usd,
        size: INSTANCE_CAPACITY[type],
    };
}
