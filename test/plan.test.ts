/** The plan report: inventory, policy summary, cost from the pricing table, capacity. */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { replaceGeneratedBlock } from "../components/config/reference";
import { planExcerpt } from "../tools/docs/plan-excerpt";
import { ProgramRun, REPO_ROOT } from "../tools/harness";
import {
    architectureMermaid,
    buildPlan,
    formatPlan,
    inExtendedSupport,
    MissingPriceError,
    PlanReport,
    readPricing,
} from "../tools/plan";
import { STACKS } from "./stacks";

const plans: Record<string, { report: PlanReport; run: ProgramRun }> = {};

describe("plan report", function () {
    this.timeout(120000);

    before(async () => {
        for (const stack of STACKS) plans[stack] = await buildPlan(stack);
    });

    for (const stack of STACKS) {
        describe(stack, () => {
            it("counts every registered resource, grouped by component and type", () => {
                const { report, run } = plans[stack];
                assert.strictEqual(report.inventory.total, run.resources.length);
                for (const component of [
                    "network",
                    "cluster",
                    "messaging",
                    "data",
                    "gateway",
                    "argocd",
                    "keda",
                    "services",
                ]) {
                    assert.ok(report.inventory.byComponent[component], component);
                }
                assert.strictEqual(report.inventory.byComponent.data["aws:dynamodb/table:Table"], 7);
            });

            it("summarises the policy gate's verdicts", () => {
                assert.strictEqual(plans[stack].report.policy.mandatory, 0);
            });

            it("prices the control plane, node groups at min and max (spot against on-demand), NAT, endpoints, the load balancer and the data baselines", () => {
                const { lines } = plans[stack].report.cost;
                const find = (re: RegExp) => lines.filter((l) => re.test(l.item));
                assert.strictEqual(find(/^EKS control plane \(standard support\)$/).length, 1);
                assert.ok(Math.abs(find(/^EKS control plane/)[0].max - 73) < 0.01, "0.10 USD/h x 730 h");
                const groups = find(/^node group /);
                assert.strictEqual(
                    groups.length,
                    Object.keys((plans[stack].run.config["tacos:cluster"] as any).nodeGroups).length,
                );
                for (const g of groups.filter((l) => /spot/.test(l.item))) {
                    assert.ok(g.onDemandMax! > g.max * 2, `${g.item}: spot is much cheaper than on-demand`);
                }
                assert.strictEqual(find(/^NAT gateway /).length, stack === "prod" ? 3 : 1);
                assert.ok(find(/^interface endpoint /).length >= 4);
                assert.strictEqual(find(/^Application Load Balancer/).length, 1);
                for (const re of [/^SQS baseline/, /^table /, /^Redis /])
                    assert.ok(find(re).length > 0, String(re));
            });

            it("attributes cost to components and to each service", () => {
                const { byComponent, byService } = plans[stack].report.cost;
                assert.ok(
                    byComponent.cluster.max > byComponent.messaging.max,
                    "compute outweighs the queues",
                );
                assert.deepStrictEqual(Object.keys(byService).sort(), [
                    "gateway-api",
                    "inventory-api",
                    "payment-sim-api",
                    "reservation-api",
                    "reservation-worker",
                ]);
                assert.ok(
                    byService["gateway-api"].max > byService["payment-sim-api"].max,
                    "the biggest service costs most",
                );
            });

            it("lists what it cannot price instead of counting it as free", () => {
                const items = plans[stack].report.cost.unpriced.map((u) => u.item);
                assert.ok(items.includes("ALB LCUs") && items.includes("data transfer"));
                assert.ok(items.some((i) => i.startsWith("aws:cloudwatch/logGroup:LogGroup")));
            });

            it("gives capacity per service, of the cluster and of the worker", () => {
                const { capacity } = plans[stack].report;
                for (const s of capacity.services) {
                    assert.ok(s.capacityRps >= s.neededRps, `${s.service} carries its share`);
                }
                assert.ok(capacity.cluster.allocatableVcpu >= capacity.cluster.requestedVcpu);
                assert.ok(capacity.worker.drainPerSecond >= capacity.worker.expectedEventsPerSecond);
            });

            it("holds the platform's pods on the system node group at its desired size, and shares its nodes' cost among the add-ons", () => {
                const { report } = plans[stack];
                const system = report.capacity.system!;
                assert.deepStrictEqual(system.unplaced, [], "every platform pod has a node");
                assert.ok(system.nodesNeeded! <= system.desiredSize);
                const sum = Object.values(system.byAddon).reduce(
                    (a, b) => ({ vcpu: a.vcpu + b.vcpu, memoryGiB: a.memoryGiB + b.memoryGiB }),
                    { vcpu: 0, memoryGiB: 0 },
                );
                assert.ok(
                    Math.abs(sum.vcpu - system.demand.vcpu) < 1e-9 &&
                        Math.abs(sum.memoryGiB - system.demand.memoryGiB) < 1e-9,
                    "the add-ons' requests make the demand",
                );
                for (const addon of ["monitoring", "tracing", "argocd", "karpenter", "mesh", "eks:coredns"])
                    assert.ok(system.byAddon[addon].vcpu > 0, addon);
                const { byAddon } = report.cost;
                for (const addon of [
                    "monitoring",
                    "tracing",
                    "grafana",
                    "opencost",
                    "vpa",
                    "logging",
                    "node-exporter",
                    "mesh",
                    "mesh-node",
                    "eks:kube-proxy",
                ])
                    assert.ok(byAddon[addon]?.max > 0, `${addon} is priced`);
                for (const agents of ["logging", "mesh-node"])
                    assert.ok(
                        byAddon[agents].max > byAddon[agents].min,
                        `${agents}: a DaemonSet costs more as the nodes grow`,
                    );
                assert.strictEqual(
                    byAddon.monitoring.min,
                    byAddon.monitoring.max,
                    "system pods cost the same at any scale",
                );
                const systemLine = report.cost.lines.find((l) => /^node group system /.test(l.item))!;
                const onSystem = Object.values(byAddon).reduce((s, v) => s + v.min, 0);
                assert.ok(
                    onSystem <
                        systemLine.min +
                            report.cost.lines
                                .filter((l) => /^(node group|NodePool)/.test(l.item))
                                .reduce((s, l) => s + l.min, 0),
                    "a share of the node lines, never more",
                );
            });

            it("takes kubelet's reserve and every DaemonSet off what application nodes give the services", () => {
                const { cluster, system } = plans[stack].report.capacity;
                const nodes = cluster.sources.reduce((n, s) => n + s.nodes, 0);
                assert.ok(nodes > 0);
                assert.ok(
                    Math.abs(
                        cluster.allocatableVcpu - (cluster.nodeVcpu * 0.96 - nodes * system!.daemonSets.vcpu),
                    ) < 1e-9,
                );
                assert.ok(
                    Math.abs(
                        cluster.allocatableMemoryGiB -
                            (cluster.nodeMemoryGiB * 0.83 - nodes * system!.daemonSets.memoryGiB),
                    ) < 1e-9,
                );
                assert.ok(
                    system!.daemonSets.vcpu >= 0.02 + 0.05 + 0.18 + 0.3 - 1e-9,
                    "node-exporter, Fluent Bit, the EKS node agents, ztunnel and Istio's CNI agent",
                );
            });

            it("counts the cluster's application capacity from the NodePools' limits (and an application node group's maximum)", () => {
                const { cluster } = plans[stack].report.capacity;
                const pools = (plans[stack].run.config["tacos:karpenter"] as any).nodePools as Record<
                    string,
                    { limits: { cpu: number; memoryGiB: number } }
                >;
                assert.deepStrictEqual(
                    cluster.sources
                        .filter((s) => s.kind === "NodePool")
                        .map((s) => [s.name, s.vcpu, s.memoryGiB])
                        .sort(),
                    Object.entries(pools)
                        .map(([name, p]) => [name, p.limits.cpu, p.limits.memoryGiB])
                        .sort(),
                );
                const groups = Object.entries(
                    (plans[stack].run.config["tacos:cluster"] as any).nodeGroups as Record<
                        string,
                        { maxSize: number }
                    >,
                ).filter(([name]) => name !== "system");
                assert.deepStrictEqual(
                    cluster.sources.filter((s) => s.kind === "node group").map((s) => s.name),
                    groups.map(([name]) => `cluster-${name}`),
                    "an application node group (prod's floor) counts at its maximum",
                );
                assert.strictEqual(
                    cluster.nodeVcpu,
                    cluster.sources.reduce((sum, s) => sum + s.vcpu, 0),
                );
            });

            it("prices each NodePool: the minimum replicas' nodes in the heaviest pool first, each pool at its limits at most", () => {
                const lines = plans[stack].report.cost.lines.filter((l) => l.item.startsWith("NodePool "));
                const pools = (plans[stack].run.config["tacos:karpenter"] as any).nodePools as Record<
                    string,
                    { weight: number }
                >;
                assert.strictEqual(lines.length, Object.keys(pools).length);
                const heaviest = Object.entries(pools).sort((a, b) => b[1].weight - a[1].weight)[0][0];
                assert.ok(
                    lines.find((l) => l.item.startsWith(`NodePool ${heaviest} `))!.min > 0,
                    "the minimum scale lands in the heaviest pool",
                );
                for (const l of lines) {
                    assert.ok(l.max >= l.min && l.max > 0, l.item);
                    if (/\(spot/.test(l.item))
                        assert.ok(
                            l.onDemandMax! > l.max * 2,
                            `${l.item}: spot is much cheaper than on-demand`,
                        );
                }
            });

            it("reports the scale-up timeline from minimum to the target with headroom, within its objective", () => {
                const timeline = plans[stack].report.capacity.timeline!;
                const profile = plans[stack].run.config["tacos:performanceProfile"] as any;
                assert.strictEqual(timeline.objectiveSeconds, profile.timeline?.objectiveSeconds ?? 180);
                assert.deepStrictEqual(timeline.unknown, []);
                assert.deepStrictEqual(timeline.services.map((s) => s.service).sort(), [
                    "gateway-api",
                    "inventory-api",
                    "payment-sim-api",
                    "reservation-api",
                    "reservation-worker",
                ]);
                assert.strictEqual(
                    timeline.totalSeconds,
                    Math.max(...timeline.services.map((s) => s.readySeconds)),
                );
                assert.ok(
                    timeline.totalSeconds > 0 && timeline.totalSeconds <= timeline.objectiveSeconds,
                    `${timeline.totalSeconds} s`,
                );
                assert.match(
                    formatPlan(plans[stack].report),
                    /Scale-up from minimum to target \+ headroom: \d+ s \(objective \d+ s/,
                );
            });
        });
    }

    it("prices a cluster in extended support at the extended rate: past its end of standard support and not on STANDARD", () => {
        assert.strictEqual(
            inExtendedSupport("1.33", "EXTENDED", new Date("2026-11-23")),
            true,
            "1.33 ended 2026-07-29",
        );
        assert.strictEqual(
            inExtendedSupport("1.33", "STANDARD", new Date("2026-11-23")),
            false,
            "STANDARD upgrades instead",
        );
        assert.strictEqual(
            inExtendedSupport("1.35", undefined, new Date("2026-11-23")),
            false,
            "still in standard support",
        );
        assert.strictEqual(
            inExtendedSupport("1.35", undefined, new Date("2027-03-28")),
            true,
            "the day after",
        );
    });

    it("prices prod's gateway-api capacity against the 30k RPS target", () => {
        const gateway = plans.prod.report.capacity.services.find((s) => s.service === "gateway-api")!;
        assert.deepStrictEqual([gateway.neededRps, gateway.capacityRps], [30000, 40000]);
    });

    it("names a source and a date for every pricing row, and covers the stacks' regions for what they use", () => {
        const table = readPricing();
        for (const row of table.rows) {
            assert.ok(row.source.length > 20 && /^\d{4}-\d{2}-\d{2}$/.test(row.date), row.key);
            assert.ok(row.usd >= 0);
        }
        const regions = new Set(STACKS.map((s) => plans[s].report.region));
        for (const region of regions)
            assert.ok(
                table.rows.some((r) => r.region === region),
                region,
            );
    });

    it("stops with a clear error on a missing pricing row", async () => {
        const table = readPricing();
        const pricing = { ...table, rows: table.rows.filter((r) => r.key !== "vpc.nat-gateway") };
        await assert.rejects(
            buildPlan("dev", undefined, pricing),
            (e: Error) =>
                e instanceof MissingPriceError &&
                /no row vpc\.nat-gateway for ap-northeast-2/.test(e.message),
        );
    });

    it("stops with a clear error on an unknown stack or a broken config", async () => {
        await assert.rejects(buildPlan("staging"), /Unknown stack "staging"/);
        await assert.rejects(
            buildPlan("dev", (c) => (c["tacos:network"].cidr = "10.0.0.0/99")),
            /network\.cidr must be an IPv4 CIDR/,
        );
    });

    it("reads as a table for a person and as JSON for machines, and exits 2 on errors (CLI)", () => {
        const cli = (...args: string[]) =>
            spawnSync("npx", ["tsx", "scripts/plan.ts", ...args], { cwd: REPO_ROOT, encoding: "utf8" });
        const json = cli("--stack", "dev", "--json");
        assert.strictEqual(json.status, 0, json.stderr);
        assert.strictEqual(JSON.parse(json.stdout).stack, "dev");
        const text = cli("--stack", "dev");
        assert.match(text.stdout, /^Plan for stack dev/);
        assert.match(text.stdout, /Cost \(USD\/month\)/);
        const bad = cli("--stack", "nope");
        assert.strictEqual(bad.status, 2);
        assert.match(bad.stderr, /Unknown stack "nope"/);
    });

    it("keeps README's architecture picture and plan excerpt generated from the current program", () => {
        const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
        const current = replaceGeneratedBlock(
            replaceGeneratedBlock(
                readme,
                "architecture",
                "```mermaid\n" + architectureMermaid(plans.prod.run) + "\n```",
            ),
            "plan-excerpt",
            planExcerpt(formatPlan(plans.dev.report)),
        );
        assert.strictEqual(readme, current, "README.md is stale: run npm run docs");
    });
});
