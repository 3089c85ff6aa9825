/**
 * The verdict of a plan comparison, as the pull request's plan check gives it: failed when a
 * monthly total rises by more than the stack's limit (`tacos:pullRequest.costIncreaseLimitUsd`)
 * or when a mandatory violation appears that the base does not have. The limit is the lower of
 * the base's and the working tree's, so that raising a limit in the stack file applies from the
 * next pull request. A guard against slips, not against a change that edits this check itself: the
 * pull request's own code judges it. A mandatory violation the base has too is reported, not counted against the
 * change: the change did not bring it, and the test job's offline policy gate already fails it.
 */
import type { CostIncreaseLimit } from "../../components/config/pull-request";
import type { Violation } from "../policy-gate";
import type { Delta } from "./delta";

/** The plan's monthly totals the limits apply to, with the name the plan gives each. */
export const COST_TOTALS = {
    minimumScale: "at minimum scale",
    maximumScale: "at maximum scale",
    targetLoad: "at target load",
} as const;

export type CostTotal = keyof typeof COST_TOTALS;

/**
 * The limits as the working tree's stack file sets them, and each the base's set (a total the base
 * set no readable limit for is absent; null when it set none at all).
 */
export interface CostLimits {
    before: Partial<CostIncreaseLimit> | null;
    after: CostIncreaseLimit;
}

/** One reason a verdict fails, with the sentence a reviewer reads. */
export type FailureReason =
    | {
          kind: "cost";
          total: CostTotal;
          before: number;
          after: number;
          increase: number;
          limit: number;
          message: string;
      }
    | { kind: "violation"; violation: Violation; message: string };

export interface Verdict {
    status: "passed" | "failed";
    /** Every reason it failed; empty when it passed. */
    reasons: FailureReason[];
    limits: CostLimits;
    /** The totals whose limit this change sets or changes (the base's stack file had another, or none). */
    limitChanged: CostTotal[];
    /** The totals not judged, and why (a side without the figure). */
    notJudged: { total: CostTotal; why: string }[];
    /** Mandatory violations the base has too: reported, not failing the verdict. */
    standing: Violation[];
}

/** A monthly amount in USD, as the comparison prints it. */
export function usd(value: number): string {
    return `$${value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** A violation on one line of Markdown: "`policy`: message (urn)". */
export function violationText(v: Violation): string {
    return `\`${v.policy}\`: ${v.message}${v.urn ? ` (${v.urn})` : ""}`;
}

/** The reason a mandatory violation the base does not have fails the verdict. */
export function newViolationReason(v: Violation): string {
    return `a new mandatory violation of ${violationText(v)}`;
}

/**
 * The limits a base's raw `tacos:pullRequest` value sets, read total by total (any number of
 * dollars from zero up), so that a base whose schema differs from the working tree's (a key
 * fewer, a key more) still bounds the totals it names; null when it names none.
 */
export function limitsOf(pullRequest: unknown): Partial<CostIncreaseLimit> | null {
    const set = (pullRequest as { costIncreaseLimitUsd?: unknown } | undefined)?.costIncreaseLimitUsd;
    if (typeof set !== "object" || set === null) return null;
    const limits: Partial<CostIncreaseLimit> = {};
    for (const total of Object.keys(COST_TOTALS) as CostTotal[]) {
        const value = (set as Record<string, unknown>)[total];
        if (typeof value === "number" && Number.isFinite(value) && value >= 0) limits[total] = value;
    }
    return Object.keys(limits).length > 0 ? limits : null;
}

/** The limit a total is judged by: the lower of the base's (when it sets one) and the working tree's. */
export function judgedLimit(limits: CostLimits, total: CostTotal): number {
    return Math.min(limits.before?.[total] ?? Infinity, limits.after[total]);
}

/** Judges the comparison's totals against the limits and its new violations; `head` is the working tree's. */
export function judge(
    totals: Record<CostTotal, Delta>,
    appeared: Violation[],
    head: Violation[],
    limits: CostLimits,
): Verdict {
    const reasons: FailureReason[] = [];
    const notJudged: Verdict["notJudged"] = [];
    for (const total of Object.keys(COST_TOTALS) as CostTotal[]) {
        const { before, after } = totals[total];
        if (before === null || after === null) {
            const side = before === null ? "the base report" : "the working tree's report";
            notJudged.push({ total, why: `${side} has no total ${COST_TOTALS[total]}` });
            continue;
        }
        const increase = after - before;
        const limit = judgedLimit(limits, total);
        // Cents: the totals are sums of many priced lines, and a limit is set in dollars.
        if (Math.round(increase * 100) > Math.round(limit * 100)) {
            reasons.push({
                kind: "cost",
                total,
                before,
                after,
                increase,
                limit,
                message: `the monthly total ${COST_TOTALS[total]} rises by ${usd(increase)} (${usd(before)} → ${usd(after)}), above the limit of ${usd(limit)}`,
            });
        }
    }
    const mandatory = (v: Violation) => v.enforcementLevel === "mandatory";
    for (const violation of appeared.filter(mandatory)) {
        reasons.push({
            kind: "violation",
            violation,
            message: newViolationReason(violation),
        });
    }
    return {
        status: reasons.length > 0 ? "failed" : "passed",
        reasons,
        limits,
        limitChanged: (Object.keys(COST_TOTALS) as CostTotal[]).filter(
            (total) => limits.before?.[total] !== limits.after[total],
        ),
        notJudged,
        standing: head.filter((v) => mandatory(v) && !appeared.includes(v)),
    };
}
