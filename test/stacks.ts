/** The program run of each stack's real stack file, loaded once before the suites that read them. */
import * as assert from "assert";
import { SERVICE_NAMES, ServiceName } from "../vocabulary/platform";
import { SWITCHABLE_ADDONS, SwitchableAddon } from "../components/config";
import { AddonName, enabledAddons } from "../components/k8s/addons";
import { ofType, parsedStackConfig, ProgramRun, stackRun } from "../tools/harness";
import { render } from "../tools/helm";

export const STACKS = ["dev", "prod", "review"] as const;

/** The add-ons a stack's file installs (every one but those `tacos:addons.enabled` switches off). */
export const installedAddons = (stack: string): AddonName[] => enabledAddons(parsedStackConfig(stack));

/** The stacks that install every one of `addons`: a suite about an add-on's objects runs where they are. */
export const stacksWith = (...addons: SwitchableAddon[]): (typeof STACKS)[number][] =>
    STACKS.filter((stack) => addons.every((addon) => installedAddons(stack).includes(addon)));

/**
 * The stacks that install every add-on: the suites whose expectations are read from the whole
 * registry (test/addon-expectations.ts) run there; addon-switches.test.ts checks the others.
 */
export const stacksWithEveryAddon = () =>
    stacksWith(...(Object.keys(SWITCHABLE_ADDONS) as SwitchableAddon[]));

/** Registers a hook that fills the returned record with each stack's run; a failed run fails the hook. */
export function useStackRuns(): Record<string, ProgramRun> {
    const runs: Record<string, ProgramRun> = {};
    before(async function () {
        this.timeout(120000);
        for (const stack of STACKS) {
            const run = await stackRun(stack);
            if (run.error) {
                throw new Error(`${stack} failed: ${run.error.stack}`);
            }
            runs[stack] = run;
        }
    });
    return runs;
}

/** The one object of `kind` among rendered objects; fails unless there is exactly one. */
export const one = (objects: any[], kind: string) => {
    const found = objects.filter((o) => o.kind === kind);
    assert.strictEqual(found.length, 1, `one ${kind}`);
    return found[0];
};

/** A `tacos:<key>` section of a run's stack config. */
export const sectionOf = (run: ProgramRun, key: string) => run.config[`tacos:${key}`] as any;

/** The Helm release of a third-party chart in a run, by chart name. */
export const releaseOfChart = (run: ProgramRun, chart: string) =>
    ofType(run, "kubernetes:helm.sh/v3:Release").find((r) => r.inputs.chart === chart)!;

/** The tacos-service values a run delivers for one service (its Argo CD Application's). */
export const serviceValuesOf = (run: ProgramRun, service: string) =>
    ofType(run, "kubernetes:argoproj.io/v1alpha1:Application").find(
        (a) => a.inputs.metadata.name === service,
    )!.inputs.spec.source.helm.valuesObject;

/** Every service's rendered chart, by stack, once per test run. */
const renderedByStack = new Map<string, Record<ServiceName, any[]>>();

/**
 * Registers a hook (after useStackRuns' own) that fills the returned record with every service's
 * chart rendered by the real helm from the values each stack delivers, by stack and service
 * (rendered once for all the suites that ask).
 */
export function useRenderedServices(
    runs: Record<string, ProgramRun>,
): Record<string, Record<ServiceName, any[]>> {
    const rendered: Record<string, Record<ServiceName, any[]>> = {};
    before(function () {
        this.timeout(600000);
        for (const stack of STACKS) {
            if (!renderedByStack.has(stack)) {
                renderedByStack.set(
                    stack,
                    Object.fromEntries(
                        SERVICE_NAMES.map((service) => [
                            service,
                            render(service, stack, serviceValuesOf(runs[stack], service)),
                        ]),
                    ) as Record<ServiceName, any[]>,
                );
            }
            rendered[stack] = renderedByStack.get(stack)!;
        }
    });
    return rendered;
}

/** Lookups in rendered charts: a service's objects of one kind, and its one workload (Rollout or Deployment). */
export function renderedLookups(rendered: Record<string, Record<ServiceName, any[]>>) {
    const objectsOf = (stack: string, service: ServiceName, kind: string) =>
        rendered[stack][service].filter((o) => o.kind === kind);
    const workloadOf = (stack: string, service: ServiceName) => {
        const workloads = rendered[stack][service].filter(
            (o) => o.kind === "Rollout" || o.kind === "Deployment",
        );
        assert.strictEqual(workloads.length, 1, `${service}: one workload`);
        return workloads[0];
    };
    return { objectsOf, workloadOf };
}
