/** Each stack's plan report, built once per test process and shared by the plan suites. */
import type { ProgramRun } from "../tools/harness";
import { buildPlan, PlanReport } from "../tools/plan";
import type { GateResult } from "../tools/policy-gate";
import { STACKS } from "./stacks";

/** A stack's plan report with the program run and gate result it was built from. */
export interface StackPlan {
    report: PlanReport;
    run: ProgramRun;
    gate: GateResult;
}

const built = new Map<string, Promise<StackPlan>>();

/** Registers a hook that fills the returned record with each stack's plan. */
export function usePlans(): Record<string, StackPlan> {
    const plans: Record<string, StackPlan> = {};
    before(async function () {
        this.timeout(120000);
        for (const stack of STACKS) {
            if (!built.has(stack)) built.set(stack, buildPlan(stack));
            plans[stack] = await built.get(stack)!;
        }
    });
    return plans;
}
