/**
 * The pull request's comment of plan comparisons: every stack's verdict with its reasons in a
 * table, then each stack's whole comparison, under a hidden marker by which the workflow finds
 * the comment again and updates it instead of adding one per push.
 */
import type { Violation } from "../policy-gate";
import type { PlanComparison } from "./compare";
import { formatComparison, limitChanges } from "./compare-format";
import { COST_TOTALS, CostTotal, newViolationReason, usd } from "./compare-verdict";
import type { PlanReport } from "./report";

/** The hidden line that identifies the comment (.github/workflows/pull-request.yml looks for it). */
export const COMMENT_MARKER = "<!-- tacos-plan-comparison -->";

/**
 * The longest body GitHub takes for a comment, in characters: the REST API refuses a longer one
 * with its own validation message, 422 "Body is too long (maximum is 65536 characters)".
 */
export const COMMENT_LIMIT = 65536;

/**
 * A stack the pull request adds (the base has no stack file for it): its plan's monthly totals,
 * which no limit judges (there is nothing to rise from), and its mandatory violations, every one
 * of them new.
 */
export interface AddedStack {
    totals: Record<CostTotal, number | null>;
    mandatory: Violation[];
}

/** The reasons a stack's row keeps when the comment must be shortened: a row of many violations is long too. */
const FALLBACK_REASONS = 5;

/** The characters a reason keeps when the comment must be shortened. */
const FALLBACK_WIDTH = 1000;

/** One stack's comparison, the plan of a stack the change adds, or the error that stopped it. */
export type StackOutcome =
    | { stack: string; comparison: PlanComparison }
    | { stack: string; added: AddedStack }
    | { stack: string; error: string };

/** A stack the change adds, as its plan reports it. */
export function addedStack(report: PlanReport): AddedStack {
    return {
        totals: {
            minimumScale: report.cost.totalMin,
            maximumScale: report.cost.totalMax,
            targetLoad: report.cost.load?.targetLoad ?? null,
        },
        mandatory: report.policy.violations.filter((v) => v.enforcementLevel === "mandatory"),
    };
}

/** A stack's own status: its verdict's, failed for an added stack with a mandatory violation. */
function statusOf(o: StackOutcome): "passed" | "failed" | "error" {
    if ("error" in o) return "error";
    if ("added" in o) return o.added.mandatory.length > 0 ? "failed" : "passed";
    return o.comparison.verdict.status;
}

/** failed when a stack's verdict failed, error when a comparison could not be made, else passed. */
export function overallStatus(outcomes: StackOutcome[]): "passed" | "failed" | "error" {
    const statuses = outcomes.map(statusOf);
    if (statuses.includes("error")) return "error";
    return statuses.includes("failed") ? "failed" : "passed";
}

/** Why an added stack passes or fails: its totals, not judged, and each mandatory violation. */
function addedReasons(a: AddedStack): string[] {
    const totals = (Object.keys(COST_TOTALS) as CostTotal[])
        .filter((t) => a.totals[t] !== null)
        .map((t) => `${COST_TOTALS[t]} ${usd(a.totals[t]!)}`)
        .join(", ");
    return [
        `new in this pull request, so its cost is not judged: the month costs ${totals}`,
        ...a.mandatory.map(newViolationReason),
    ];
}

/** A table cell: one line, no column separator. */
function cell(text: string): string {
    return text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
}

/** At most `width` characters of `text`, a cut marked. */
const cut = (text: string, width: number): string =>
    text.length <= width ? text : `${text.slice(0, width - 1)}…`;

/** The stack's row of the summary table, with at most `most` of its reasons, each of at most `width` characters. */
function summaryRow(o: StackOutcome, most = Infinity, width = Infinity): string {
    const status = statusOf(o);
    const shown = status === "passed" ? "passed" : `**${status}**`;
    const reasons =
        "error" in o
            ? [o.error]
            : "added" in o
              ? addedReasons(o.added)
              : o.comparison.verdict.reasons.map((r) => r.message);
    const more = reasons.length > most ? [`and ${reasons.length - most} more (in the job summary)`] : [];
    const cells = [...reasons.slice(0, most), ...more].map((r) => cell(cut(r, width)));
    return `| ${o.stack} | ${shown} | ${cells.join("<br>")} |`;
}

/** Each stack's whole comparison, folded; an added stack has none. */
function details(o: StackOutcome): string[] {
    if ("added" in o) return [];
    const body = "error" in o ? ["```text", o.error, "```"] : [formatComparison(o.comparison, 3)];
    return ["", `<details><summary>${o.stack}: ${statusOf(o)}</summary>`, "", ...body, "", "</details>"];
}

/**
 * The comment's body. When it does not fit in `limit` characters, the folded comparisons give way
 * to a pointer to `runUrl` (whose job summary holds them), keeping the verdicts with the first few
 * reasons of each.
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
    const head = (most = Infinity, width = Infinity) => [
        COMMENT_MARKER,
        `## Plan comparison: ${overallStatus(outcomes)}`,
        "",
        `Each stack's offline plan for this pull request against \`${against}\` ` +
            `(\`npm run plan -- --stack <stack> --against ${against}\`), updated on each push. ` +
            "A stack fails when a monthly total rises by more than its limit " +
            "(`tacos:pullRequest.costIncreaseLimitUsd`, the lower of the base's and this change's) " +
            "or a mandatory violation appears; a stack the base does not have is shown, not compared.",
        "",
        "| stack | verdict | reasons |",
        "| --- | --- | --- |",
        ...outcomes.map((o) => summaryRow(o, most, width)),
        ...(changes.length > 0 ? ["", ...changes] : []),
    ];
    const full = [...head(), ...outcomes.flatMap(details)].join("\n");
    if (full.length <= limit) return full;
    const where = runUrl ? `the job summary of [this run](${runUrl})` : "the job summary of this run";
    const pointer = `Each stack's whole comparison is too long for a comment (${full.length.toLocaleString("en-US")} characters): it is in ${where}.`;
    const short = [...head(FALLBACK_REASONS, FALLBACK_WIDTH), "", pointer].join("\n");
    // Many stacks of long reasons could still overflow: then the table itself is cut.
    return short.length <= limit ? short : `${short.slice(0, limit - pointer.length - 3)}…\n\n${pointer}`;
}
