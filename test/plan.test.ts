/** The plan report: inventory, the policy summary and the command line. */
import * as assert from "assert";
import { spawnSync } from "child_process";
import { REPO_ROOT } from "../tools/harness";
import { buildPlan } from "../tools/plan";
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

            it("summarises the policy gate's verdicts", () => {
                assert.strictEqual(plans[stack].report.policy.mandatory, 0);
            });
        });
    }

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
