/**
 * `npm run plan -- --upgrade-to`: what moving a stack to the next Kubernetes version changes,
 * read from the program run at both versions, and the targets EKS refuses.
 */
import * as assert from "assert";
import { readStackConfig } from "../tools/harness";
import { buildUpgrade, checkTarget, UpgradeReport } from "../tools/plan/upgrade";
import { formatUpgrade } from "../tools/plan/upgrade-format";
import {
    defaultAddonVersion,
    EKS_ADDON_NAMES,
    EKS_ADDONS,
    KUBERNETES_VERSIONS,
} from "../vocabulary/versions";

describe("plan: --upgrade-to", () => {
    describe("targets", () => {
        it("refuses a version that is not in the table, naming the table's versions", () => {
            assert.throws(
                () => checkTarget("1.35", "1.37"),
                /Kubernetes 1\.37 is not in the platform's version table \(vocabulary\/versions\.ts: 1\.33, 1\.34, 1\.35, 1\.36\)/,
            );
        });

        it("refuses skipping a minor, naming the one to upgrade to first", () => {
            assert.throws(
                () => checkTarget("1.34", "1.36"),
                /one minor at a time: upgrade 1\.34 to 1\.35 first, then to 1\.36/,
            );
        });

        it("refuses the version the stack runs and an older one", () => {
            assert.throws(
                () => checkTarget("1.35", "1.35"),
                /already runs Kubernetes 1\.35: nothing to upgrade/,
            );
            assert.throws(() => checkTarget("1.35", "1.34"), /never downgrades one to 1\.34/);
        });

        it("refuses a skip before running the program", async () => {
            await assert.rejects(
                buildUpgrade("dev", "1.36", {
                    editStackFile: (c) => (c["tacos:cluster"].kubernetesVersion = "1.34"),
                }),
                /upgrade 1\.34 to 1\.35 first/,
            );
        });

        it("refuses a target at which the stack's own add-on pin is not built, naming the field", async function () {
            this.timeout(120000);
            await assert.rejects(
                buildUpgrade("dev", "1.36", {
                    editStackFile: (c) => (c["tacos:cluster"].addons = { kubeProxy: "v1.35.3-eksbuild.29" }),
                }),
                /kubernetesVersion "1\.36" the stack is refused: .*cluster\.addons\.kubeProxy is v1\.35\.3-eksbuild\.29, not a build for Kubernetes 1\.36/s,
            );
        });
    });

    describe("prod 1.35 -> 1.36", () => {
        let report: UpgradeReport;
        const prod = readStackConfig("prod") as Record<string, any>;
        before(async function () {
            this.timeout(180000);
            report = await buildUpgrade("prod", "1.36");
        });

        it("moves the control plane one minor, with both support ends", () => {
            assert.deepStrictEqual(report.controlPlane, {
                name: "EKS control plane",
                from: "1.35",
                to: "1.36",
            });
            assert.deepStrictEqual(report.endOfStandardSupport, { from: "2027-03-27", to: "2027-08-02" });
        });

        it("moves every managed add-on from the 1.35 row to the 1.36 row", () => {
            const byName = new Map(report.addons.map((a) => [a.name, a]));
            assert.strictEqual(byName.size, EKS_ADDONS.length);
            for (const addon of EKS_ADDONS) {
                assert.deepStrictEqual(byName.get(EKS_ADDON_NAMES[addon]), {
                    name: EKS_ADDON_NAMES[addon],
                    from: defaultAddonVersion("1.35", addon),
                    to: defaultAddonVersion("1.36", addon),
                });
            }
        });

        it("rolls every managed node group to the 1.36 AMI release", () => {
            const groups = Object.keys(prod["tacos:cluster"].nodeGroups);
            assert.strictEqual(report.nodeGroups.length, groups.length);
            for (const g of report.nodeGroups) {
                assert.strictEqual(g.from, KUBERNETES_VERSIONS["1.35"].amiRelease);
                assert.strictEqual(g.to, KUBERNETES_VERSIONS["1.36"].amiRelease);
            }
            const system = report.nodeGroups.find((g) => g.name.endsWith("system"))!;
            assert.strictEqual(system.nodes, prod["tacos:cluster"].nodeGroups.system.desiredSize);
        });

        it("drifts every NodePool's nodes within its budgets, the peak window holding them", () => {
            assert.ok(report.karpenter);
            assert.deepStrictEqual(
                report.karpenter.pools.map((p) => p.name).sort(),
                Object.keys(prod["tacos:karpenter"].nodePools).sort(),
            );
            for (const pool of report.karpenter.pools) {
                assert.deepStrictEqual(
                    pool.budgets.find((b) => b.schedule),
                    { nodes: "0", schedule: prod["tacos:karpenter"].peakWindow.schedule, duration: "5h" },
                );
            }
        });

        it("names the pinned components that do not reach 1.36", () => {
            assert.deepStrictEqual(
                report.componentsBehind.map((c) => [c.component, c.maxKubernetes]),
                [
                    ["keda", "1.35"],
                    ["rollouts", "1.34"],
                ],
            );
        });

        it("orders the control plane alone first, kube-proxy before the node groups it runs on", () => {
            const stepOf = (label: string) =>
                report.order.find((s) => s.changes.some((c) => c.startsWith(label)))!.step;
            assert.deepStrictEqual(report.order[0], { step: 1, changes: ["control plane 1.35 -> 1.36"] });
            assert.ok(stepOf("add-on kube-proxy") > 1);
            for (const g of report.nodeGroups)
                assert.ok(stepOf(`node group ${g.name}`) > stepOf("add-on kube-proxy"));
            // Unchanged add-ons are no step.
            assert.ok(!report.order.some((s) => s.changes.includes("add-on vpc-cni")));
        });

        it("reads as text with every part of the report", () => {
            const text = formatUpgrade(report);
            for (const expected of [
                "Upgrade of prod: Kubernetes 1.35 -> 1.36",
                "kube-proxy              v1.35.3-eksbuild.29  v1.36.0-eksbuild.14",
                "vpc-cni                 v1.22.4-eksbuild.3   v1.22.4-eksbuild.3 (unchanged)",
                'none from cron "0 9 * * *" for 5h',
                "rollouts   Argo Rollouts v1.9.0 (chart argo-rollouts 2.41.0)     1.34  tested",
                "  1. control plane 1.35 -> 1.36",
            ]) {
                assert.ok(text.includes(expected), `missing: ${expected}\n${text}`);
            }
        });
    });
});
