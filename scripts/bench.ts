// npm run bench : prints the plan's and the policy pack's performance figures against their
// targets. Not a test: nothing here fails on a slow machine; it reports.
import type { PolicyResource } from "@pulumi/policy";
import { spawnSync } from "child_process";
import * as path from "path";
import { POLICY_GROUPS } from "../policy/policies";
import { managedNodeGroups } from "../vocabulary/eks";
import { INSTANCE_CAPACITY } from "../vocabulary/instances";
import { hostStartArgs, hostStartEnv, ProgramRun, REPO_ROOT, runProgram } from "../tools/harness";
import { PackConfig, readPackConfig } from "../tools/pack-config";
import { checkResource, evaluate, GateResult } from "../tools/policy-gate";
import { makePolicyResource } from "../tools/policy-resources";
import { planFromRun, PlanReport, Prices, PricingTable, readPricing } from "../tools/plan";

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Importing the SDKs the program imports, and nothing else. */
const SDK_IMPORT =
    "require('@pulumi/pulumi'); require('@pulumi/aws'); require('@pulumi/eks'); require('@pulumi/kubernetes'); require('@pulumi/random')";

/** Wall time of a fresh process running `args` (with tsx unless `node` is asked for), median of `runs`. */
function processTime(
    args: string[],
    runs = 3,
    command: "tsx" | "node" = "tsx",
    env: NodeJS.ProcessEnv = {},
): number {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
        const start = process.hrtime.bigint();
        const [bin, binArgs] = command === "tsx" ? ["npx", ["tsx", ...args]] : ["node", args];
        const result = spawnSync(bin, binArgs, {
            cwd: REPO_ROOT,
            encoding: "utf8",
            env: { ...process.env, ...env },
        });
        if (result.status !== 0) throw new Error(`${args.join(" ")} failed: ${result.stderr}`);
        times.push(seconds(start));
    }
    return median(times);
}

/** The prod plan against merely importing the SDKs the program imports. */
function planAgainstImport(): void {
    const importOnly = processTime(["-e", SDK_IMPORT]);
    const plan = processTime([path.join("scripts", "plan.ts"), "--stack", "prod", "--json"]);
    console.log(
        `1. prod plan ${plan.toFixed(2)} s vs SDK import ${importOnly.toFixed(2)} s: ratio ${(plan / importOnly).toFixed(2)}x (target <= 1.5x)`,
    );
}

/** Policy throughput over the prod inventory, replicated past 10,000 resources. */
async function policyThroughput(gate: GateResult, config: PackConfig): Promise<void> {
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
    const elapsed = seconds(start);
    console.log(
        `2. policy evaluation: ${checks.toLocaleString("en-US")} resource-checks over ${many.length.toLocaleString("en-US")} resources in ${elapsed.toFixed(2)} s = ${Math.round(checks / elapsed).toLocaleString("en-US")} checks/s (target >= 20,000)`,
    );
}

/** Plan analysis time with 5, 50 and 200 synthetic services (the delivered services cloned). */
async function planScaling(run: ProgramRun, config: PackConfig, pricing: PricingTable): Promise<void> {
    const apps = run.resources.filter((r) => r.type === "kubernetes:argoproj.io/v1alpha1:Application");
    const timings: { services: number; seconds: number }[] = [];
    for (const n of [5, 50, 200]) {
        const clones = Array.from({ length: n }, (_, i) => {
            const app = apps[i % apps.length];
            const name = `${app.inputs.metadata.name}-${i}`;
            return {
                ...app,
                urn: `${app.urn}-${i}`,
                inputs: {
                    ...app.inputs,
                    metadata: { ...app.inputs.metadata, name },
                    spec: {
                        ...app.inputs.spec,
                        source: {
                            ...app.inputs.spec.source,
                            helm: {
                                ...app.inputs.spec.source.helm,
                                valuesObject: { ...app.inputs.spec.source.helm.valuesObject, name },
                            },
                        },
                    },
                },
            };
        });
        const synthetic = {
            ...run,
            resources: [
                ...run.resources.filter((r) => r.type !== "kubernetes:argoproj.io/v1alpha1:Application"),
                ...clones,
            ],
        };
        const t0 = process.hrtime.bigint();
        for (let k = 0; k < 5; k++) {
            const g = await evaluate(synthetic, config);
            planFromRun(synthetic, g, pricing);
        }
        timings.push({ services: n, seconds: seconds(t0) / 5 });
    }
    const perService = timings.map(
        (t) =>
            `${t.services}: ${(t.seconds * 1000).toFixed(0)} ms (${((t.seconds / t.services) * 1000).toFixed(1)} ms/service)`,
    );
    console.log(
        `3. plan analysis with N services (chart renders included): ${perService.join("; ")}; 200/5 time ratio ${(timings[2].seconds / timings[0].seconds).toFixed(1)} for 40x the services (target: linear)`,
    );
}

/**
 * Prod compute at max scale against the same vCPU on on-demand x86: the system node group at its
 * maximum, and every NodePool at its cpu limit priced at the plan's rate for it.
 */
function computeAgainstX86(run: ProgramRun, report: PlanReport, pricing: PricingTable): void {
    const prices = new Prices(pricing, String(run.config["aws:region"]));
    const h = prices.hoursPerMonth;
    const x86PerVcpu = prices.row("ec2.m7i.2xlarge.ondemand").usd / INSTANCE_CAPACITY["m7i.2xlarge"].vcpu;
    let ours = 0;
    let baseline = 0;
    for (const group of managedNodeGroups(run.resources)) {
        const type: string = group.inputs.instanceTypes[0];
        const max: number = group.inputs.scalingConfig.maxSize;
        ours +=
            max *
            prices.row(`ec2.${type}.${group.inputs.capacityType === "SPOT" ? "spot" : "ondemand"}`).usd *
            h;
        baseline += max * INSTANCE_CAPACITY[type].vcpu * x86PerVcpu * h;
    }
    for (const source of report.capacity.cluster.sources.filter((s) => s.kind === "NodePool")) {
        ours += report.cost.lines.find((l) => l.item.startsWith(`NodePool ${source.name} `))!.max;
        baseline += source.vcpu * x86PerVcpu * h;
    }
    console.log(
        `4. prod compute at max scale: $${Math.round(ours).toLocaleString("en-US")}/month vs $${Math.round(baseline).toLocaleString("en-US")} for the same vCPU on on-demand x86 (m7i): ${Math.round((ours / baseline) * 100)}% (target <= 50%)`,
    );
}

/**
 * The program's start as Pulumi's Node.js host runs it (node with Pulumi.yaml's nodeargs, which
 * preload tsx; scripts/host-start.js), against importing the SDKs.
 */
function hostStart(): void {
    const sdkNode = processTime(["-e", SDK_IMPORT], 3, "node");
    const host = processTime(hostStartArgs("prod"), 3, "node", hostStartEnv("prod"));
    console.log(
        `5. program start as Pulumi's host runs it: ${host.toFixed(2)} s vs SDK import ${sdkNode.toFixed(2)} s: ratio ${(host / sdkNode).toFixed(2)}x`,
    );
}

/** Prod's scale-up timeline from minimum scale to the target with headroom (the plan's figure). */
function scaleUp(report: PlanReport): void {
    const t = report.capacity.timeline!;
    console.log(
        `6. prod scale-up to ${report.capacity.targetRps.toLocaleString("en-US")} RPS + ${report.capacity.headroomPercent}%: ${t.totalSeconds} s (objective ${t.objectiveSeconds} s; slowest ${t.slowest}; metrics delay ${t.assumptions.metricsDelaySeconds} s, node launch ${t.assumptions.nodeLaunchSeconds} s, node agents ${t.assumptions.nodeAgentsReadySeconds} s)`,
    );
}

async function main(): Promise<void> {
    console.log("tacos-platform bench (figures, not tests)\n");
    planAgainstImport();
    const run = await runProgram("prod");
    const config = readPackConfig("prod");
    const gate = await evaluate(run, config);
    await policyThroughput(gate, config);
    const pricing = readPricing();
    await planScaling(run, config, pricing);
    const report = planFromRun(run, gate, pricing);
    computeAgainstX86(run, report, pricing);
    hostStart();
    scaleUp(report);
}

main().then(
    () => process.exit(0),
    (e) => {
        console.error(`bench: ${(e as Error).message}`);
        process.exit(2);
    },
);
