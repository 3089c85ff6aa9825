/**
 * The cost model: a monthly cost line per priced resource (at minimum and maximum scale, spot
 * against on-demand), and the usage neither it nor the load model (load.ts) prices. Each
 * service's and add-on's compute share is in service-costs.ts and addon-costs.ts.
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

/** Usage the load model (load.ts) leaves out, with why: listed, never counted as free. */
const NOT_MODELLED = [
    {
        item: "data transfer between zones",
        why: "calls between pods and to Redis in another zone ($0.01/GB each way): depends on placement, not modelled",
    },
    {
        item: "CloudWatch Logs storage",
        why: "compressed archive per GB-month over each group's retention: small against ingestion, not modelled",
    },
    {
        item: "KMS and Secrets Manager requests",
        why: "per 10,000 API calls, made at start-up and cached: not modelled",
    },
    { item: "CodeBuild build minutes", why: "CI use, not the platform's load" },
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
                basis: `${prices.hoursPerMonth} h; LCUs in the load lines`,
            }),
        );
    }
    unpriced.push(...NOT_MODELLED);
    lines.sort((a, b) => a.component.localeCompare(b.component) || b.max - a.max);
    return { lines, unpriced, poolNodes: pools.nodes };
}
