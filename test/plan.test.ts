/** The plan report: inventory, the policy summary and the command line. */
import * as assert from "assert";
import { spawnSync } from "child_process";
import { REPO_ROOT } from "../tools/harness";
import { buildPlan, formatPlan, planFromRun, readPricing } from "../tools/plan";
import { usePlans } from "./plans";
import { STACKS } from "./stacks";

describe("plan report", function () {
    this.timeout(120000);
    const plans = usePlans();

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

            it("passes the gate with no violation at all", () => {
                assert.deepStrictEqual(plans[stack].report.policy, {
                    mandatory: 0,
                    advisory: 0,
                    byPolicy: {},
                });
            });
        });
    }

    it("counts the gate's violations per policy, at the level the stack's config gives each", () => {
        const { run, gate } = plans.dev;
        const violation = (policy: string, enforcementLevel: "advisory" | "mandatory") => ({
            policy,
            group: "performance",
            enforcementLevel,
            message: "m",
        });
        const violations = [
            violation("capacity-covers-target-rps", "advisory"),
            violation("k8s-probes", "mandatory"),
            violation("capacity-covers-target-rps", "advisory"),
        ];
        const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory");
        const report = planFromRun(run, { ...gate, violations, mandatory }, readPricing());
        assert.deepStrictEqual(report.policy, {
            mandatory: 1,
            advisory: 2,
            byPolicy: {
                "capacity-covers-target-rps": { enforcementLevel: "advisory", violations: 2 },
                "k8s-probes": { enforcementLevel: "mandatory", violations: 1 },
            },
        });
        assert.match(
            formatPlan(report),
            /Policy: 1 mandatory, 2 advisory violation\(s\)\n {2}capacity-covers-target-rps \[advisory\]: 2\n {2}k8s-probes \[mandatory\]: 1/,
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
});
