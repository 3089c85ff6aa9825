/** The plan report: inventory, the policy summary and the command line. */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import { REPO_ROOT } from "../tools/harness";
import { buildPlan, formatPlan, planFromRun, readPricing } from "../tools/plan";
import { usePlans } from "./plans";
import { editFile, scratchCopy } from "./scratch-copy";
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

            it("passes the gate with no violation at all, but the canaries a stack without Argo Rollouts lacks", () => {
                // review switches Rollouts off: its policy config makes the canary rule advisory (docs/review-stacks.md).
                const canaries = plans[stack].run.config["tacos:delivery"] as { canary?: unknown };
                assert.deepStrictEqual(
                    plans[stack].report.policy,
                    canaries.canary
                        ? { mandatory: 0, advisory: 0, byPolicy: {}, violations: [] }
                        : {
                              mandatory: 0,
                              advisory: 5,
                              byPolicy: {
                                  "releases-canary-with-analysis": {
                                      enforcementLevel: "advisory",
                                      violations: 5,
                                  },
                              },
                              violations: plans[stack].report.policy.violations,
                          },
                );
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
            violations,
        });
        assert.ok(
            formatPlan(report).includes(
                [
                    "Policy: 1 mandatory, 2 advisory violation(s)",
                    "",
                    "capacity-covers-target-rps [performance, advisory] 2 violation(s)",
                    "  - m",
                    "  - m",
                    "",
                    "k8s-probes [performance, mandatory] 1 violation(s)",
                    "  - m",
                ].join("\n"),
            ),
            formatPlan(report),
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

    it("exits 1 and prints each message when a mandatory policy fails, as the gate does (CLI)", () => {
        const copy = scratchCopy();
        try {
            editFile(
                copy,
                "Pulumi.prod.yaml",
                "    endpoint:\n      publicAccess: false",
                "    endpoint:\n      publicAccess: true\n      publicAccessCidrs: [203.0.113.0/24]",
            );
            for (const script of ["scripts/plan.ts", "scripts/policy-gate.ts"]) {
                const run = spawnSync("npx", ["tsx", script, "--stack", "prod"], {
                    cwd: copy,
                    encoding: "utf8",
                });
                assert.strictEqual(run.status, 1, `${script}: ${run.stdout}${run.stderr}`);
                assert.match(
                    run.stdout,
                    /\neks-endpoint-not-public \[security, mandatory\] 1 violation\(s\)\n {2}- \S.*\n {4}at urn:pulumi:prod::/,
                );
            }
        } finally {
            fs.rmSync(copy, { recursive: true });
        }
    });
});
