/** The plan comparison's pure parts: inventory, cost lines, the cost limits and the verdict. */
import * as assert from "assert";
import { compareCostLines, comparePlans, delta } from "../tools/plan/compare";
import { baseHasStack } from "../tools/plan/compare-base";
import { formatComparison, limitChanges } from "../tools/plan/compare-format";
import { compareInventory, ResourceRecord } from "../tools/plan/compare-inventory";
import { CostLimits, judge, limitsOf } from "../tools/plan/compare-verdict";
import type { Violation } from "../tools/policy-gate";
import type { CostLine } from "../tools/plan/report";
import { problemsAfter } from "./config-problems";
import { usePlans } from "./plans";

/** Limits that no total in these cases reaches, the same on both sides. */
const WIDE = { minimumScale: 1e6, maximumScale: 1e6, targetLoad: 1e6 };
const SAME: CostLimits = { before: WIDE, after: WIDE };

const violation = (policy: string, enforcementLevel: "mandatory" | "advisory"): Violation => ({
    policy,
    group: "finops",
    enforcementLevel,
    message: `${policy} is broken`,
    urn: `urn:${policy}`,
});

describe("plan comparison", function () {
    this.timeout(120000);
    const plans = usePlans();
    const record = (
        type: string,
        name: string,
        inputs: Record<string, unknown>,
        parent = "",
    ): ResourceRecord => ({
        urn: `urn:pulumi:dev::tacos-platform::${parent}${type}::${name}`,
        type,
        name,
        inputs,
    });
    const table = "aws:dynamodb/table:Table";
    const queue = "aws:sqs/queue:Queue";

    it("counts by type what is added, removed and changed, and names each stateful replacement", () => {
        const before = [
            record(table, "users", { name: "users", billingMode: "PAY_PER_REQUEST" }),
            record(table, "orders", { name: "orders" }),
            record(queue, "events", { name: "events" }),
            record("aws:iam/role:Role", "old", {}),
        ];
        const after = [
            record(table, "users", { name: "users", billingMode: "PROVISIONED" }),
            record(table, "orders", { name: "orders-v2" }),
            record(queue, "events", { name: "events" }, "tacos:messaging$"),
            record("aws:iam/role:Role", "new", {}),
        ];
        const c = compareInventory(before, after);
        assert.deepStrictEqual(c.added, { [queue]: 1, "aws:iam/role:Role": 1 });
        assert.deepStrictEqual(c.removed, { [queue]: 1, "aws:iam/role:Role": 1 });
        assert.deepStrictEqual(c.changed, { [table]: 2 });
        assert.deepStrictEqual(
            c.replacements.map((r) => [r.type, r.changed, r.before === r.after]),
            [
                [table, ["name"], true],
                [queue, ["urn"], false],
            ],
        );
    });

    it("matches a cost line whose detail changed and orders the changes by size", () => {
        const line = (item: string, min: number, max: number): CostLine => ({
            component: "c",
            item,
            min,
            max,
            basis: "",
        });
        const changes = compareCostLines(
            [line("node group system (m7g.xlarge)", 10, 20), line("NAT", 5, 5), line("same", 1, 1)],
            [line("node group system (m6g.xlarge)", 9, 18), line("NAT", 50, 50), line("same", 1, 1)],
        );
        assert.deepStrictEqual(
            changes.map((c) => [c.before, c.after, c.max.difference]),
            [
                ["NAT", "NAT", 45],
                ["node group system (m7g.xlarge)", "node group system (m6g.xlarge)", -2],
            ],
        );
    });

    it("names what an older base report lacks instead of guessing it, and the violations that appear", () => {
        const head = plans.prod.report;
        const base: Record<string, any> = JSON.parse(JSON.stringify(head));
        delete base.cost.load;
        delete base.capacity.timeline;
        delete base.capacity.zoneLost;
        const violation = {
            policy: "some-rule",
            group: "finops",
            enforcementLevel: "mandatory" as const,
            message: "a new violation",
            urn: "urn:x",
        };
        const after = {
            ...head,
            policy: { ...head.policy, violations: [...head.policy.violations, violation] },
        };
        const c = comparePlans(
            "main",
            { report: base as typeof head },
            { report: after, resources: [] },
            SAME,
        );
        assert.deepStrictEqual(c.notInBase, [
            "cost.load.targetLoad",
            "capacity.timeline",
            "capacity.zoneLost",
            "the run's registrations",
        ]);
        assert.deepStrictEqual(c.cost.targetLoad, {
            before: null,
            after: head.cost.load!.targetLoad,
            difference: head.cost.load!.targetLoad,
        });
        assert.deepStrictEqual(c.policy, { appeared: [violation], disappeared: [] });
        assert.strictEqual(c.inventory, undefined);
        const text = formatComparison(c);
        assert.match(text, /- at target load: not in the base report → \$/);
        assert.match(text, /appears: mandatory `some-rule`: a new violation \(urn:x\)/);
        assert.match(text, /The run's registrations are not in the base report\./);
        // The new mandatory violation fails the verdict; the total the base lacks is left unjudged.
        assert.deepStrictEqual(
            [c.verdict.status, c.verdict.reasons.map((r) => r.message), c.verdict.notJudged],
            [
                "failed",
                ["a new mandatory violation of `some-rule`: a new violation (urn:x)"],
                [{ total: "targetLoad", why: "the base report has no total at target load" }],
            ],
        );
        assert.match(text, /- \*\*Fails:\*\* a new mandatory violation of `some-rule`/);
        assert.match(text, /Not judged at target load: the base report has no total at target load\./);
    });
});

describe("tacos:pullRequest in the stack file", () => {
    it("refuses a stack without cost limits, and each bad limit, naming every field in one error", () => {
        assert.deepStrictEqual(
            problemsAfter((c) => delete c["tacos:pullRequest"]),
            ["pullRequest is required"],
        );
        assert.deepStrictEqual(
            problemsAfter(
                (c) =>
                    (c["tacos:pullRequest"] = {
                        costIncreaseLimitUsd: { minimumScale: -1, maximumScale: "100", cap: 5 },
                    }),
            ),
            [
                "pullRequest.costIncreaseLimitUsd.minimumScale must be >= 0",
                "pullRequest.costIncreaseLimitUsd.maximumScale must be of type number",
                "pullRequest.costIncreaseLimitUsd.targetLoad is required",
                "pullRequest.costIncreaseLimitUsd.cap is not a known setting",
            ],
        );
    });
});

describe("plan comparison's verdict", () => {
    const unchanged = delta(5000, 5000);

    it("fails a total that rises above its limit, judged in cents, naming the total, the rise and the limit", () => {
        const v = judge(
            {
                // 50.004 is $50.00 in cents: at the limit, not above it.
                minimumScale: delta(100, 150.004),
                maximumScale: delta(1000, 1100.01),
                targetLoad: delta(5000, 4000),
            },
            [],
            [],
            { before: null, after: { minimumScale: 50, maximumScale: 100, targetLoad: 0 } },
        );
        assert.strictEqual(v.status, "failed");
        assert.deepStrictEqual(
            v.reasons.map((r) => r.kind === "cost" && [r.total, r.limit, r.message]),
            [
                [
                    "maximumScale",
                    100,
                    "the monthly total at maximum scale rises by $100.01 ($1,000.00 → $1,100.01), above the limit of $100.00",
                ],
            ],
        );
    });

    it("passes when no total rises above its limit, and leaves a total a side lacks unjudged", () => {
        const v = judge(
            { minimumScale: delta(100, 149.99), maximumScale: unchanged, targetLoad: delta(undefined, 9e9) },
            [],
            [],
            { before: null, after: { minimumScale: 50, maximumScale: 0, targetLoad: 0 } },
        );
        assert.deepStrictEqual([v.status, v.reasons], ["passed", []]);
        assert.deepStrictEqual(v.notJudged, [
            { total: "targetLoad", why: "the base report has no total at target load" },
        ]);
    });

    it("fails on a new mandatory violation only, and reports one the base has too", () => {
        const standing = violation("old-rule", "mandatory");
        const advisory = violation("advice", "advisory");
        const fresh = violation("new-rule", "mandatory");
        const totals = { minimumScale: unchanged, maximumScale: unchanged, targetLoad: unchanged };
        const v = judge(totals, [advisory, fresh], [standing, advisory, fresh], SAME);
        assert.deepStrictEqual(
            [v.status, v.reasons, v.standing],
            [
                "failed",
                [
                    {
                        kind: "violation",
                        violation: fresh,
                        message: "a new mandatory violation of `new-rule`: new-rule is broken (urn:new-rule)",
                    },
                ],
                [standing],
            ],
        );
    });

    it("judges by the lower of the base's limit and the change's: a change cannot raise its own", () => {
        const totals = { minimumScale: delta(100, 180), maximumScale: unchanged, targetLoad: unchanged };
        const limits = (minimumScale: number) => ({ minimumScale, maximumScale: 0, targetLoad: 0 });
        const raised = judge(totals, [], [], { before: limits(50), after: limits(100) });
        assert.deepStrictEqual(
            raised.reasons.map((r) => r.kind === "cost" && [r.increase, r.limit]),
            [[80, 50]],
        );
        const lowered = judge(totals, [], [], { before: limits(100), after: limits(70) });
        assert.deepStrictEqual(
            lowered.reasons.map((r) => r.kind === "cost" && r.limit),
            [70],
        );
        assert.strictEqual(judge(totals, [], [], { before: null, after: limits(80) }).status, "passed");
    });

    it("reads a base's limits total by total: a key fewer or more still bounds the totals it names", () => {
        assert.deepStrictEqual(
            [
                limitsOf({ costIncreaseLimitUsd: { minimumScale: 10, maximumScale: 10 } }),
                limitsOf({ costIncreaseLimitUsd: { minimumScale: 10, spare: 5, targetLoad: -1 } }),
                limitsOf({ costIncreaseLimitUsd: 10 }),
                limitsOf(undefined),
            ],
            [{ minimumScale: 10, maximumScale: 10 }, { minimumScale: 10 }, null, null],
        );
        const totals = { minimumScale: delta(0, 20), maximumScale: delta(0, 20), targetLoad: delta(0, 20) };
        const v = judge(totals, [], [], {
            before: { minimumScale: 10 },
            after: { minimumScale: 1000, maximumScale: 1000, targetLoad: 1000 },
        });
        assert.deepStrictEqual(
            v.reasons.map((r) => r.kind === "cost" && [r.total, r.limit]),
            [["minimumScale", 10]],
        );
        assert.strictEqual(
            limitChanges(v),
            "at minimum scale $10.00 → $1,000.00, at maximum scale not set → $1,000.00, at target load not set → $1,000.00",
        );
    });

    it("names each limit the change sets or changes, before and after", () => {
        const totals = { minimumScale: unchanged, maximumScale: unchanged, targetLoad: unchanged };
        const after = { minimumScale: 50, maximumScale: 100, targetLoad: 500 };
        const set = judge(totals, [], [], { before: null, after });
        assert.deepStrictEqual(set.limitChanged, ["minimumScale", "maximumScale", "targetLoad"]);
        assert.strictEqual(
            limitChanges(set),
            "at minimum scale not set → $50.00, at maximum scale not set → $100.00, at target load not set → $500.00",
        );
        const raised = judge(totals, [], [], { before: { ...after, targetLoad: 250 }, after });
        assert.strictEqual(limitChanges(raised), "at target load $250.00 → $500.00");
        assert.strictEqual(limitChanges(judge(totals, [], [], { before: after, after })), "");
    });
});

describe("plan comparison's base", () => {
    it("tells a stack the revision has from one it does not, and refuses an unknown revision", () => {
        assert.deepStrictEqual(
            [baseHasStack("HEAD", "prod"), baseHasStack("HEAD", "staging")],
            [true, false],
        );
        assert.throws(
            () => baseHasStack("no-such-ref", "prod"),
            /--against no-such-ref: no such git revision/,
        );
    });
});
