/**
 * The pull request's comment of plan comparisons: every stack's verdict with its reasons in a
 * table, then each stack's whole comparison, under a hidden marker by which the workflow finds
 * the comment again and updates it instead of adding one per push.
 */
import type { PlanComparison } from "./compare";
import { formatComparison, limitChanges } from "./compare-format";

/** The hidden line that identifies the comment (.github/workflows/pull-request.yml looks for it). */
export const COMMENT_MARKER = "<!-- tacos-plan-comparison -->";

/**
 * The longest body GitHub takes for a comment, in characters: the REST API refuses a longer one
 * with its own validation message, 422 "Body is too long (maximum is 65536 characters)".
 */
export const COMMENT_LIMIT = 65536;

/** One stack's comparison, or the error that stopped it. */
export type StackOutcome = { stack: string; comparison: PlanComparison } | { stack: string; error: string };

/** failed when a stack's verdict failed, error when a comparison could not be made, else passed. */
export function overallStatus(outcomes: StackOutcome[]): "passed" | "failed" | "error" {
    if (outcomes.some((o) => "error" in o)) return "error";
    return outcomes.some((o) => "comparison" in o && o.comparison.verdict.status === "failed")
        ? "failed"
        : "passed";
}

/** A table cell: one line, no column separator. */
function cell(text: string): string {
    return text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
}

function summaryRow(o: StackOutcome): string {
    if ("error" in o) return `| ${o.stack} | **error** | ${cell(o.error)} |`;
    const v = o.comparison.verdict;
    const reasons = v.reasons.map((r) => cell(r.message)).join("<br>");
    return `| ${o.stack} | ${v.status === "failed" ? "**failed**" : "passed"} | ${reasons} |`;
}

/** Each stack's whole comparison, folded. */
function details(o: StackOutcome): string[] {
    const status = "error" in o ? "error" : o.comparison.verdict.status;
    const body = "error" in o ? ["```text", o.error, "```"] : [formatComparison(o.comparison, 3)];
    return ["", `<details><summary>${o.stack}: ${status}</summary>`, "", ...body, "", "</details>"];
}

/**
 * The comment's body. When it does not fit in `limit` characters, the folded comparisons give way
 * to a pointer to `runUrl` (whose job summary holds them), keeping the verdicts.
 */
export function commentBody(
    against: string,
    outcomes: StackOutcome[],
    runUrl?: string,
    limit = COMMENT_LIMIT,
): string {
    const changes = outcomes.flatMap((o) => {
        const changed = "comparison" in o ? limitChanges(o.comparison.verdict) : "";
        return changed ? [`- **${o.stack}'s cost limits change in this pull request:** ${changed}.`] : [];
    });
    const head = [
        COMMENT_MARKER,
        `## Plan comparison: ${overallStatus(outcomes)}`,
        "",
        `Each stack's offline plan for this pull request against \`${against}\` ` +
            `(\`npm run plan -- --stack <stack> --against ${against}\`), updated on each push. ` +
            "A stack fails when a monthly total rises by more than its stack file's " +
            "`tacos:pullRequest.costIncreaseLimitUsd` or a mandatory violation appears.",
        "",
        "| stack | verdict | reasons |",
        "| --- | --- | --- |",
        ...outcomes.map(summaryRow),
        ...(changes.length > 0 ? ["", ...changes] : []),
    ];
    const full = [...head, ...outcomes.flatMap(details)].join("\n");
    if (full.length <= limit) return full;
    const where = runUrl ? `the job summary of [this run](${runUrl})` : "the job summary of this run";
    return [
        ...head,
        "",
        `Each stack's whole comparison is too long for a comment (${full.length.toLocaleString("en-US")} characters): it is in ${where}.`,
    ].join("\n");
}
