/**
 * The load model: the request-driven charges of a month at the PerformanceProfile's target RPS
 * for tacos:load's peak hours and at its off-peak share for the rest, next to the fixed and
 * compute lines; the month at minimum scale and at target load, and its five largest lines.
 */
import { loadSchema } from "../../components/config/load";
import { observabilitySchema } from "../../components/config/observability";
import { SERVICE_NAMES } from "../../vocabulary/platform";
import type { PlatformProfile } from "../../vocabulary/stack";
import type { ProgramRun } from "../harness";
import { GB, hourlyLines, LOAD_APIS, LoadApi, LoadInputs, Route, serviceRps } from "./load-usage";
import { Prices } from "./pricing";
import type { CostLine, LoadCost, LoadLine } from "./report";

/** Internet data transfer out's monthly tiers (GB of 2^30 bytes; the tier's upper bound in TB of 1024 GB). */
const EGRESS_TIERS: [key: string, upToTb: number][] = [
    ["transfer.internet-out.first-10tb", 10],
    ["transfer.internet-out.next-40tb", 50],
    ["transfer.internet-out.next-100tb", 150],
    ["transfer.internet-out.over-150tb", Infinity],
];

/** The cost of a month's `gb` of data transfer out, tier by tier. */
export function egressCost(prices: Prices, gb: number): number {
    let cost = 0;
    let from = 0;
    for (const [key, upToTb] of EGRESS_TIERS) {
        const to = upToTb * 1024;
        cost += Math.max(0, Math.min(gb, to) - from) * prices.row(key).usd;
        from = to;
    }
    return cost;
}

/** How each API is reached: a gateway or interface endpoint the run registers, else NAT. */
function routesOf(run: ProgramRun): Record<LoadApi, Route> {
    const endpoints = run.resources.filter((r) => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint");
    return Object.fromEntries(
        LOAD_APIS.map((api) => {
            const e = endpoints.find((r) => String(r.inputs.serviceName).endsWith(`.${api}`));
            const route: Route = !e
                ? "NAT"
                : e.inputs.vpcEndpointType === "Gateway"
                  ? "gateway endpoint"
                  : "interface endpoint";
            return [api, route];
        }),
    ) as Record<LoadApi, Route>;
}

/** The load model's inputs from a run (its tacos:load and tracing, with their defaults) and its profile. */
export function loadInputs(run: ProgramRun, profile: PlatformProfile): LoadInputs {
    const observability = run.config["tacos:observability"] as { tracing?: unknown } | undefined;
    return {
        load: loadSchema.parse(run.config["tacos:load"] ?? {}),
        tracing: observabilitySchema.shape.tracing.parse(observability?.tracing),
        shares: Object.fromEntries(
            SERVICE_NAMES.map((s) => [s, profile.performanceProfile.services[s]?.shareOfTarget ?? 0]),
        ) as LoadInputs["shares"],
        routes: routesOf(run),
        flowLogs: run.resources.some((r) => r.type === "aws:ec2/flowLog:FlowLog"),
    };
}

/** The month's load lines, the totals at minimum scale and at target load, and the five largest lines. */
export function loadCost(
    inputs: LoadInputs,
    targetRps: number,
    prices: Prices,
    costLines: CostLine[],
): LoadCost {
    const { peakHoursPerMonth: peakHours, offPeakPercentOfTarget } = inputs.load;
    const offPeakHours = prices.hoursPerMonth - peakHours;
    const offPeakRps = (targetRps * offPeakPercentOfTarget) / 100;
    const lines: LoadLine[] = hourlyLines(inputs, prices).map(({ item, hourly }) => {
        const peak = hourly(targetRps).usd * peakHours;
        const offPeak = hourly(offPeakRps).usd * offPeakHours;
        return { item, peak, offPeak, monthly: peak + offPeak, basis: hourly(targetRps).basis };
    });
    // Responses to the internet: tiered by the month's total, split between peak and off-peak by bytes.
    const egressGb = (rps: number, hours: number) =>
        (serviceRps(inputs, rps)["gateway-api"] * inputs.load.alb.responseBytes * 3600 * hours) / GB;
    const peakGb = egressGb(targetRps, peakHours);
    const offPeakGb = egressGb(offPeakRps, offPeakHours);
    const egress = egressCost(prices, peakGb + offPeakGb);
    const peakShare = peakGb + offPeakGb > 0 ? peakGb / (peakGb + offPeakGb) : 0;
    lines.push({
        item: "data transfer out to the internet",
        peak: egress * peakShare,
        offPeak: egress * (1 - peakShare),
        monthly: egress,
        basis: `${Math.round(peakGb + offPeakGb).toLocaleString("en-US")} GB/month of responses, tiered`,
    });
    lines.sort((a, b) => b.monthly - a.monthly);

    const atTarget = costLines.map((l) => ({
        item: l.item,
        monthly: l.min + ((l.max - l.min) * peakHours) / prices.hoursPerMonth,
    }));
    const minimumScale = costLines.reduce((sum, l) => sum + l.min, 0);
    const targetLoad = [...atTarget, ...lines].reduce((sum, l) => sum + l.monthly, 0);
    const largest = [...atTarget, ...lines.map(({ item, monthly }) => ({ item, monthly }))]
        .sort((a, b) => b.monthly - a.monthly)
        .slice(0, 5);
    return {
        targetRps,
        peakHours,
        offPeakRps,
        offPeakHours,
        routes: inputs.routes,
        lines,
        minimumScale,
        targetLoad,
        largest,
    };
}

/** The stack's load cost; undefined when the stack registers no PerformanceProfile. */
export function loadCostOf(
    run: ProgramRun,
    profile: PlatformProfile | undefined,
    prices: Prices,
    costLines: CostLine[],
): LoadCost | undefined {
    if (!profile) return undefined;
    return loadCost(loadInputs(run, profile), profile.performanceProfile.targetRps, prices, costLines);
}
