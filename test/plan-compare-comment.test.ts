/** The pull request's comment of plan comparisons: the marker, every stack's verdict and comparison. */
import * as assert from "assert";
import { comparePlans } from "../tools/plan/compare";
import {
    addedStack,
    COMMENT_MARKER,
    commentBody,
    overallStatus,
    StackOutcome,
} from "../tools/plan/compare-comment";
import { formatComparison } from "../tools/plan/compare-format";
import { CostLimits, usd } from "../tools/plan/compare-verdict";
import { usePlans } from "./plans";

/** Limits no total of these cases reaches, with the minimum's set as given. */
const limits = (minimumScale: number) => ({ minimumScale, maximumScale: 1e6, targetLoad: 1e6 });
const SAME: CostLimits = { before: limits(1e6), after: limits(1e6) };

describe("the pull request's comment", function () {
    this.timeout(120000);
    const plans = usePlans();

    /** dev unchanged; prod's minimum total $300 above the base's, judged by the base's $100 though the change raises it to $200; review failed. */
    const outcomes = (): StackOutcome[] => {
        const dev = plans.dev.report;
        const prod = plans.prod.report;
        const base = JSON.parse(JSON.stringify(prod));
        base.cost.totalMin = prod.cost.totalMin - 300;
        return [
            { stack: "dev", comparison: comparePlans("origin/main", { report: dev }, { report: dev }, SAME) },
            {
                stack: "prod",
                comparison: comparePlans(
                    "origin/main",
                    { report: base },
                    { report: prod },
                    { before: limits(100), after: limits(200) },
                ),
            },
            { stack: "review", error: "the base revision's plan failed: a | b\nthen c" },
        ];
    };

    it("holds the marker, every stack's verdict with its reasons, the limits' change and each comparison", () => {
        const list = outcomes();
        const body = commentBody("origin/main", list);
        const prod = plans.prod.report.cost.totalMin;
        assert.strictEqual(body.split("\n")[0], COMMENT_MARKER);
        assert.match(body, /^## Plan comparison: error$/m);
        for (const row of [
            "| dev | passed |  |",
            `| prod | **failed** | the monthly total at minimum scale rises by $300.00 (${usd(prod - 300)} → ${usd(prod)}), above the limit of $100.00 |`,
            "| review | **error** | the base revision's plan failed: a \\| b then c |",
            "- **prod's cost limits change in this pull request:** at minimum scale $100.00 → $200.00.",
            "<details><summary>dev: passed</summary>",
            "<details><summary>prod: failed</summary>",
            "<details><summary>review: error</summary>",
        ]) {
            assert.ok(body.split("\n").includes(row), `${row}\n---\n${body}`);
        }
        for (const stack of ["dev", "prod"]) {
            assert.ok(
                body.includes(formatComparison((list.find((o) => o.stack === stack) as any).comparison, 3)),
            );
        }
    });

    it("keeps the verdicts and points to the run when the comparisons do not fit in a comment", () => {
        const full = commentBody("origin/main", outcomes());
        const url = "https://github.com/o/r/actions/runs/1";
        const short = commentBody("origin/main", outcomes(), url, full.length - 1);
        assert.ok(short.length < full.length && !short.includes("<details>"));
        assert.ok(short.startsWith(full.slice(0, full.indexOf("<details>")).trimEnd()));
        assert.match(
            short,
            new RegExp(`it is in the job summary of \\[this run\\]\\(${url.replace(/\./g, "\\.")}\\)\\.$`),
        );
    });

    it("shows a stack the change adds with its totals, not judged, failing only on a mandatory violation", () => {
        const report = plans.dev.report;
        const clean = { ...report, policy: { ...report.policy, violations: [] } };
        const added: StackOutcome = { stack: "staging", added: addedStack(clean) };
        const c = report.cost;
        const row = `| staging | passed | new in this pull request, so its cost is not judged: the month costs at minimum scale ${usd(c.totalMin)}, at maximum scale ${usd(c.totalMax)}, at target load ${usd(c.load!.targetLoad)} |`;
        const body = commentBody("origin/main", [added]);
        assert.ok(body.split("\n").includes(row), `${row}\n---\n${body}`);
        assert.ok(!body.includes("<details>"), "an added stack has no comparison to fold");
        const violation = {
            policy: "p",
            group: "g",
            enforcementLevel: "mandatory" as const,
            message: "m",
            urn: "u",
        };
        const broken = addedStack({ ...report, policy: { ...report.policy, violations: [violation] } });
        assert.deepStrictEqual(
            [overallStatus([added]), overallStatus([{ stack: "staging", added: broken }])],
            ["passed", "failed"],
        );
        assert.match(
            commentBody("origin/main", [{ stack: "staging", added: broken }]),
            /\*\*failed\*\* \| new in this pull request.*<br>a new mandatory violation of `p`: m \(u\) \|$/m,
        );
    });

    it("keeps the first five reasons of a row when the comment must be shortened", () => {
        const report = plans.dev.report;
        const violations = Array.from({ length: 40 }, (_, i) => ({
            policy: `p${i}`,
            group: "g",
            enforcementLevel: "mandatory" as const,
            message: "x".repeat(2000),
        }));
        const added = addedStack({ ...report, policy: { ...report.policy, violations } });
        const body = commentBody("origin/main", [{ stack: "staging", added }]);
        assert.ok(body.length <= 65536, `${body.length} characters`);
        assert.match(body, /a new mandatory violation of `p3`/);
        assert.doesNotMatch(body, /a new mandatory violation of `p4`/);
        assert.match(body, /<br>and 36 more \(in the job summary\) \|/);
        const long = { stack: "dev", error: "y".repeat(70000) };
        const cut = commentBody("origin/main", [long]);
        assert.ok(cut.length <= 65536 && cut.includes(`${"y".repeat(999)}…`), `${cut.length} characters`);
    });

    it("is failed when a stack failed, error when one could not be compared, passed otherwise", () => {
        const [dev, prod, review] = outcomes();
        assert.deepStrictEqual(
            [overallStatus([dev]), overallStatus([dev, prod]), overallStatus([dev, prod, review])],
            ["passed", "failed", "error"],
        );
    });
});
