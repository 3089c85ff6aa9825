/**
 * The plan report: what a stack will create, what it will cost per month and what it can carry,
 * offline. It reads the one list the harness records (the program under mocks with the real
 * stack file), the policy gate's verdicts and the pricing table in pricing/aws-prices.json.
 */
import { DeployedService, deployedServices, findProfile } from "../../vocabulary/stack";
import { ProgramRun, runProgram, RunOptions } from "../harness";
import { readPackConfig } from "../pack-config";
import { evaluate, GateResult, requireKnownStack } from "../policy-gate";
import { addonCosts } from "./addon-costs";
import { capacityOf } from "./capacity";
import { componentOf } from "./component";
import { costLines } from "./cost";
import { loadCostOf } from "./load";
import { Prices, PricingTable, readPricing } from "./pricing";
import type { PlanReport } from "./report";
import { serviceCosts } from "./service-costs";
import { teardownOf } from "./teardown";

export { architectureMermaid, writeArchitecture } from "./diagram";
export { inExtendedSupport } from "./extended-support";
export { formatPlan } from "./format";
export { MissingPriceError, Prices, readPricing } from "./pricing";
export type { PricingTable } from "./pricing";
export type { PlanReport } from "./report";

/** Builds the report from a program run and its gate result. */
export function planFromRun(run: ProgramRun, gate: GateResult, pricing: PricingTable): PlanReport {
    const region = String(run.config["aws:region"]);
    const prices = new Prices(pricing, region);
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    const byComponent: Record<string, Record<string, number>> = {};
    for (const r of run.resources) {
        const component = componentOf(r, byUrn);
        byComponent[component] ??= {};
        byComponent[component][r.type] = (byComponent[component][r.type] ?? 0) + 1;
    }
    const byPolicy: PlanReport["policy"]["byPolicy"] = {};
    for (const v of gate.violations) {
        byPolicy[v.policy] ??= { enforcementLevel: v.enforcementLevel, violations: 0 };
        byPolicy[v.policy].violations++;
    }

    const profile = findProfile(gate.resources);
    const services = deployedServices(gate.resources);
    const { lines, unpriced, poolNodes } = costLines(run, prices, profile, services, gate.resources);
    const costByComponent: Record<string, { min: number; max: number }> = {};
    for (const line of lines) {
        costByComponent[line.component] ??= { min: 0, max: 0 };
        costByComponent[line.component].min += line.min;
        costByComponent[line.component].max += line.max;
    }

    return {
        stack: run.stack,
        region,
        inventory: { total: run.resources.length, byComponent },
        policy: {
            mandatory: gate.mandatory.length,
            advisory: gate.violations.length - gate.mandatory.length,
            byPolicy,
            violations: gate.violations,
        },
        cost: {
            currency: pricing.currency,
            lines,
            byComponent: costByComponent,
            byService: serviceCosts(prices, services, gate.resources),
            byAddon: addonCosts(prices, gate.resources, poolNodes),
            totalMin: lines.reduce((sum, l) => sum + l.min, 0),
            totalMax: lines.reduce((sum, l) => sum + l.max, 0),
            unpriced,
            load: loadCostOf(run, profile, prices, lines),
        },
        capacity: capacityOf(profile, services, gate.resources),
        teardown: teardownOf(run.resources),
    };
}

/** The monthly compute of `services` (their pods at the node they fill) in a run's stack, at min and max replicas. */
export function serviceCostsOf(
    run: ProgramRun,
    gate: GateResult,
    services: DeployedService[],
    pricing = readPricing(),
): Record<string, { min: number; max: number }> {
    return serviceCosts(new Prices(pricing, String(run.config["aws:region"])), services, gate.resources);
}

/** Runs the program for `stack` (with `options`' secrets, test secrets by default), the gate, and builds the report. */
export async function buildPlan(
    stack: string,
    editConfig?: (config: Record<string, any>) => void,
    pricing = readPricing(),
    options: RunOptions = {},
): Promise<{ report: PlanReport; run: ProgramRun; gate: GateResult }> {
    requireKnownStack(stack, "plan");
    const run = await runProgram(stack, editConfig, options);
    if (run.error) {
        throw run.error;
    }
    const gate = await evaluate(run, readPackConfig(stack));
    return { report: planFromRun(run, gate, pricing), run, gate };
}
