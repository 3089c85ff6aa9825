// npm run bench : the plan's, the program's and the policy pack's performance figures against
// their targets, each miss marked; progress on stderr while it runs (a few minutes). Not a test:
// nothing here fails on a slow machine; it reports.
import type { PolicyResource } from "@pulumi/policy";
import * as path from "path";
import { POLICY_GROUPS } from "../policy/policies";
import { managedNodeGroups } from "../vocabulary/eks";
import { INSTANCE_CAPACITY } from "../vocabulary/instances";
import { Figure, formatFigures, interleavedTimes, progress, ratioFigure, secondsSince } from "../tools/bench";
import { hostStartArgs, hostStartEnv, ProgramRun, runProgram } from "../tools/harness";
import { PackConfig, readPackConfig } from "../tools/pack-config";
import { checkResource, evaluate, GateResult } from "../tools/policy-gate";
import { makePolicyResource } from "../tools/policy-resources";
import { planFromRun, PlanReport, Prices, PricingTable, readPricing } from "../tools/plan";

/** Importing the SDKs the program imports, and nothing else. */
const SDK_IMPORT =
    "require('@pulumi/pulumi'); require('@pulumi/aws'); require('@pulumi/eks'); require('@pulumi/kubernetes'); require('@pulumi/random')";

const tsx = (label: string, ...args: string[]) => ({ label, command: "npx", args: ["tsx", ...args] });
const plan = (...flags: string[]) => [path.join("scripts", "plan.ts"), "--stack", "prod", ...flags];

/** The prod plan against merely importing the SDKs the program imports; both through npx tsx. */
function planAgainstImport(): Figure {
    const [importOnly, planned] = interleavedTimes(
        [tsx("SDK import", "-e", SDK_IMPORT), tsx("prod plan", ...plan("--json"))],
        3,
    );
    return ratioFigure("prod plan against the SDK import", planned, importOnly, 1.3, "at most 1.3x");
}

/** The comparison with a revision against a plain plan: it may cost one extra plan at most. */
function againstCost(): Figure {
    const [plain, against] = interleavedTimes(
        [tsx("prod plan", ...plan()), tsx("prod plan --against HEAD", ...plan("--against", "HEAD"))],
        2,
    );
    return ratioFigure(
        "prod plan --against HEAD against a plain plan",
        against,
        plain,
        2,
        "at most 2x: one extra plan",
    );
}

/** Policy throughput over the prod inventory, replicated past 10,000 resources. */
async function policyThroughput(gate: GateResult, config: PackConfig): Promise<Figure> {
    const copies = Math.ceil(10000 / gate.resources.length);
    const many: PolicyResource[] = [];
    for (let i = 0; i < copies; i++) {
        for (const r of gate.resources)
            many.push(
                makePolicyResource({
                    type: r.type,
                    name: `${r.name}-${i}`,
                    urn: `${r.urn}-${i}`,
                    inputs: r.props,
                }),
            );
    }
    const resourcePolicies = Object.values(POLICY_GROUPS)
        .flat()
        .filter((p) => "validateResource" in p) as Parameters<typeof checkResource>[0][];
    let checks = 0;
    const start = process.hrtime.bigint();
    for (const policy of resourcePolicies) {
        for (const r of many) {
            await checkResource(policy, r, config);
            checks++;
        }
    }
    const perSecond = Math.round(checks / secondsSince(start));
    return {
        name: "policy evaluation",
        value: `${checks.toLocaleString("en-US")} resource-checks over ${many.length.toLocaleString("en-US")} resources: ${perSecond.toLocaleString("en-US")} checks/s`,
        target: "at least 20,000 checks/s",
        met: perSecond >= 20000,
    };
}

/** The run with `n` services: the delivered services' Applications cloned under new names. */
function withServices(run: ProgramRun, n: number): ProgramRun {
    const isApp = (r: { type: string }) => r.type === "kubernetes:argoproj.io/v1alpha1:Application";
    const apps = run.resources.filter(isApp);
    const clones = Array.from({ length: n }, (_, i) => {
        const app = apps[i % apps.length];
        const name = `${app.inputs.metadata.name}-${i}`;
        const source = app.inputs.spec.source;
        return {
            ...app,
            urn: `${app.urn}-${i}`,
            inputs: {
                ...app.inputs,
                metadata: { ...app.inputs.metadata, name },
                spec: {
                    ...app.inputs.spec,
                    source: {
                        ...source,
                        helm: { ...source.helm, valuesObject: { ...source.helm.valuesObject, name } },
                    },
                },
            },
        };
    });
    return { ...run, resources: [...run.resources.filter((r) => !isApp(r)), ...clones] };
}

/** Plan analysis time per service with 5, 50 and 200 synthetic services (chart renders included). */
async function planScaling(run: ProgramRun, config: PackConfig, pricing: PricingTable): Promise<Figure> {
    const perService: number[] = [];
    for (const n of [5, 50, 200]) {
        progress(`  ${n} services`);
        const synthetic = withServices(run, n);
        const start = process.hrtime.bigint();
        const rounds = 3;
        for (let k = 0; k < rounds; k++) {
            planFromRun(synthetic, await evaluate(synthetic, config), pricing);
        }
        perService.push((secondsSince(start) / rounds / n) * 1000);
    }
    const growth = perService[2] / perService[0];
    return {
        name: "plan analysis per service",
        value: `${perService.map((ms, i) => `${[5, 50, 200][i]}: ${ms.toFixed(1)} ms`).join(", ")} per service; 200 against 5: ${growth.toFixed(2)}x`,
        target: "flat: at most 1.25x per service at 200 services against 5",
        met: growth <= 1.25,
    };
}

/**
 * Prod compute at max scale against the same vCPU on on-demand x86: the system node group at its
 * maximum, and every NodePool at its cpu limit priced at the plan's rate for it.
 */
function computeAgainstX86(run: ProgramRun, report: PlanReport, pricing: PricingTable): Figure {
    const prices = new Prices(pricing, String(run.config["aws:region"]));
    const h = prices.hoursPerMonth;
    const x86PerVcpu = prices.row("ec2.m7i.2xlarge.ondemand").usd / INSTANCE_CAPACITY["m7i.2xlarge"].vcpu;
    let ours = 0;
    let baseline = 0;
    for (const group of managedNodeGroups(run.resources)) {
        const type: string = group.inputs.instanceTypes[0];
        const max: number = group.inputs.scalingConfig.maxSize;
        const capacity = group.inputs.capacityType === "SPOT" ? "spot" : "ondemand";
        ours += max * prices.row(`ec2.${type}.${capacity}`).usd * h;
        baseline += max * INSTANCE_CAPACITY[type].vcpu * x86PerVcpu * h;
    }
    for (const source of report.capacity.cluster.sources.filter((s) => s.kind === "NodePool")) {
        ours += report.cost.lines.find((l) => l.item.startsWith(`NodePool ${source.name} `))!.max;
        baseline += source.vcpu * x86PerVcpu * h;
    }
    const share = Math.round((ours / baseline) * 100);
    const usd = (x: number) => `$${Math.round(x).toLocaleString("en-US")}`;
    return {
        name: "prod compute at max scale against the same vCPU on on-demand x86 (m7i)",
        value: `${usd(ours)}/month vs ${usd(baseline)}: ${share}%`,
        target: "at most 50%",
        met: share <= 50,
    };
}

/**
 * The program's start as Pulumi's Node.js host runs it (node with Pulumi.yaml's nodeargs, then
 * the SDK's source-map-support; scripts/host-start.js), against importing the SDKs in plain node.
 */
function hostStart(): Figure {
    const [sdk, host] = interleavedTimes(
        [
            { label: "SDK import (node)", command: "node", args: ["-e", SDK_IMPORT] },
            {
                label: "program start",
                command: "node",
                args: hostStartArgs("prod"),
                env: hostStartEnv("prod"),
            },
        ],
        3,
    );
    return ratioFigure(
        "program start as Pulumi's host runs it, against the SDK import",
        host,
        sdk,
        2,
        "at most 2x",
    );
}

/** Prod's scale-up timeline from minimum scale to the target with headroom (the plan's figure). */
function scaleUp(report: PlanReport): Figure {
    const t = report.capacity.timeline!;
    return {
        name: `prod scale-up to ${report.capacity.targetRps.toLocaleString("en-US")} RPS + ${report.capacity.headroomPercent}%`,
        value: `${t.totalSeconds} s (slowest ${t.slowest}; metrics delay ${t.assumptions.metricsDelaySeconds} s, node launch ${t.assumptions.nodeLaunchSeconds} s, node agents ${t.assumptions.nodeAgentsReadySeconds} s)`,
        target: `at most the objective, ${t.objectiveSeconds} s`,
        met: t.totalSeconds <= t.objectiveSeconds,
    };
}

async function main(): Promise<void> {
    const steps = 7;
    let step = 0;
    const next = (what: string) => progress(`[${++step}/${steps}] ${what}`);
    const figures: Figure[] = [];
    next("prod plan and the SDK import, 3 runs each, taking turns");
    figures.push(planAgainstImport());
    next("prod plan with and without --against HEAD, 2 runs each");
    figures.push(againstCost());
    next("program start as Pulumi's host runs it, and the SDK import, 3 runs each");
    figures.push(hostStart());
    next("the prod program under mocks, and the policy pack over 10,000 resources");
    const run = await runProgram("prod");
    const config = readPackConfig("prod");
    const gate = await evaluate(run, config);
    figures.push(await policyThroughput(gate, config));
    next("plan analysis with 5, 50 and 200 services");
    const pricing = readPricing();
    figures.push(await planScaling(run, config, pricing));
    next("prod compute at max scale");
    const report = planFromRun(run, gate, pricing);
    figures.push(computeAgainstX86(run, report, pricing));
    next("prod scale-up timeline");
    figures.push(scaleUp(report));
    console.log(`tacos-platform bench (figures, not tests)\n\n${formatFigures(figures)}`);
}

main().then(
    () => process.exit(0),
    (e) => {
        console.error(`bench: ${(e as Error).message}`);
        process.exit(2);
    },
);
