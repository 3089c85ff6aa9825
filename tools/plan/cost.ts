/**
 * The cost model: a monthly cost line per priced resource (at minimum and maximum scale, spot
 * against on-demand), the traffic-driven items it cannot price. Each service's and add-on's
 * compute share is in service-costs.ts and addon-costs.ts.
 */
import type { PolicyResource } from "@pulumi/policy";
import { DeployedService, PlatformProfile } from "../../vocabulary/stack";
import type { ProgramRun } from "../harness";
import { nodePoolLines, PoolNodes } from "./node-pools";
import { Prices } from "./pricing";
import type { CostLine } from "./report";
import { componentOf } from "./component";
import { fixedLine, resourceLines } from "./resource-lines";
import { sqsLines } from "./sqs-lines";

/** Charges that grow with traffic: never a baseline, always listed as unpriced. */
const TRAFFIC_DRIVEN = [
    "NAT and endpoint data processing",
    "ALB LCUs",
    "DynamoDB and SQS requests under load",
    "CloudWatch log ingestion and storage",
    "data transfer",
];

/**
 * Every cost line of a run, sorted by component and then by cost at maximum scale; what it cannot
 * price; and the nodes each NodePool runs at minimum and maximum scale (the add-ons' shares count them).
 * `asOf` decides whether a cluster is in extended support.
 */
export function costLines(
    run: ProgramRun,
    prices: Prices,
    profile: PlatformProfile | undefined,
    services: DeployedService[],
    resources: PolicyResource[],
    asOf = new Date(),
): { lines: CostLine[]; unpriced: { item: string; why: string }[]; poolNodes: PoolNodes[] } {
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    const { lines, unpriced } = resourceLines(run, prices, asOf);
    lines.push(...sqsLines(run, prices, profile, byUrn));
    const pools = nodePoolLines(resources, prices, services, byUrn);
    lines.push(...pools.lines);
    // The Gateway's ALB, created by the load balancer controller.
    for (const gateway of resources.filter(
        (r) => r.type === "kubernetes:gateway.networking.k8s.io/v1:Gateway",
    )) {
        lines.push(
            fixedLine(componentOf(byUrn.get(gateway.urn)!, byUrn), {
                item: "Application Load Balancer (Gateway)",
                monthly: prices.monthly("elb.alb"),
                basis: `${prices.hoursPerMonth} h; LCUs unpriced`,
            }),
        );
    }
    unpriced.push(...TRAFFIC_DRIVEN.map((item) => ({ item, why: "traffic-driven, not a baseline" })));
    lines.sort((a, b) => a.component.localeCompare(b.component) || b.max - a.max);
    return { lines, unpriced, poolNodes: pools.nodes };
}
