/** The plan's capacity: services against the target, the cluster, the system nodes, the scale-up timeline. */
import * as assert from "assert";
import { formatPlan } from "../tools/plan";
import { usePlans } from "./plans";
import { installedAddons, STACKS } from "./stacks";

describe("plan report: capacity", function () {
    this.timeout(120000);
    const plans = usePlans();

    for (const stack of STACKS) {
        describe(stack, () => {
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
                // The EKS add-ons are always there; the stack's own only where it installs them.
                const runs = (addon: string) =>
                    addon.startsWith("eks:") || (installedAddons(stack) as string[]).includes(addon);
                for (const addon of [
                    "monitoring",
                    "tracing",
                    "argocd",
                    "karpenter",
                    "mesh",
                    "eks:coredns",
                ].filter(runs))
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
                ].filter(runs))
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

            it("reports the scale-up timeline from minimum to the target with headroom, within its objective", () => {
                const timeline = plans[stack].report.capacity.timeline!;
                assert.strictEqual(
                    timeline.objectiveSeconds,
                    { dev: 300, prod: 180, review: 300 }[stack],
                    "dev's and review's stack files set 300 s; prod keeps the profile's 180 s",
                );
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

    it("prices prod's gateway-api capacity against the 30k RPS target", () => {
        const gateway = plans.prod.report.capacity.services.find((s) => s.service === "gateway-api")!;
        assert.deepStrictEqual([gateway.neededRps, gateway.capacityRps], [30000, 45200]);
    });

    it("keeps each of prod's services at its share of 30k RPS with the largest of its 3 zones lost", () => {
        const zoneLost = plans.prod.report.capacity.zoneLost!;
        assert.deepStrictEqual(zoneLost.zones, ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"]);
        // max replicas less a third rounded up, times RPS per pod; recovery 50 s detection + 60 s
        // toleration + 60 s node launch + 15 s for its mesh agents + the service's start-up (15 s,
        // reservation-api 45 s).
        const byService = Object.fromEntries(
            zoneLost.services.map((s) => [
                s.service,
                [s.podsLeft, s.capacityRps, s.demandRps, s.recoverSeconds],
            ]),
        );
        assert.deepStrictEqual(byService, {
            "gateway-api": [113 - 38, 75 * 400, 30000, 200],
            "inventory-api": [45 - 15, 30 * 500, 15000, 200],
            "reservation-api": [50 - 17, 33 * 500, 15000, 230],
            "payment-sim-api": [30 - 10, 20 * 500, 6000, 200],
            "reservation-worker": [23 - 8, 15 * 200, 3000, 200],
        });
        // One of the three system nodes goes with the zone.
        assert.strictEqual(zoneLost.system!.nodesLost, 1);
        assert.ok(zoneLost.withReplacements.vcpu <= plans.prod.report.capacity.cluster.allocatableVcpu);
        assert.match(
            formatPlan(plans.prod.report),
            /With the largest of 3 zone\(s\) lost at max scale[^\n]*\nservice +pods left +capacity +needed +spread +recovers in\n/,
        );
    });
});
