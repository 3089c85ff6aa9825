/**
 * Each stack's plan report, built once per test process from the stack's cached run (the one
 * useStackRuns shares) and shared by the plan, gate and docs suites.
 */
import { ProgramRun, stackRun } from "../tools/harness";
import { readPackConfig } from "../tools/pack-config";
import { PlanReport, planFromRun, readPricing } from "../tools/plan";
import { evaluate, GateResult } from "../tools/policy-gate";
import { STACKS } from "./stacks";

/** A stack's plan report with the program run and gate result it was built from. */
export interface StackPlan {
    report: PlanReport;
    run: ProgramRun;
    gate: GateResult;
}

const built = new Map<string, Promise<StackPlan>>();

/** The plan of `stack`, as buildPlan makes it, from the stack's cached run. */
async function planOf(stack: string): Promise<StackPlan> {
    const run = await stackRun(stack);
    if (run.error) throw run.error;
    const gate = await evaluate(run, readPackConfig(stack));
    return { report: planFromRun(run, gate, readPricing()), run, gate };
}

/** Registers a hook that fills the returned record with each stack's plan. */
export function usePlans(): Record<string, StackPlan> {
    const plans: Record<string, StackPlan> = {};
    before(async function () {
        this.timeout(120000);
        for (const stack of STACKS) {
            if (!built.has(stack)) built.set(stack, planOf(stack));
            plans[stack] = await built.get(stack)!;
        }
    });
    return plans;
}
