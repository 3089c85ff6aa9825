/**
 * The comparison of two plan reports, the base revision's and the working tree's: cost, capacity,
 * policy verdicts and the inventory, and the change's verdict against the stack's cost limits.
 * Pure: it reads two snapshots and computes differences. The base report comes from another
 * revision's JSON, so any part of it may be missing; a missing part is named in `notInBase`,
 * never guessed.
 */
import type { Violation } from "../policy-gate";
import { compareInventory, InventoryComparison, ResourceRecord } from "./compare-inventory";
import { CostLimits, judge, Verdict } from "./compare-verdict";
import { Delta, delta } from "./delta";
import type { CostLine, PlanReport } from "./report";

export { delta } from "./delta";
export type { Delta } from "./delta";

/** One plan as the comparison reads it: the report and, when known, the run's registrations. */
export interface PlanSnapshot {
    report: PlanReport;
    resources?: ResourceRecord[];
}

/** A cost line whose monthly figures differ, matched by component and item. */
export interface CostLineChange {
    component: string;
    /** The item as the base names it, and as the working tree does (they differ when, e.g., the instance type changes). */
    before: string | null;
    after: string | null;
    min: Delta;
    max: Delta;
}

export interface PlanComparison {
    stack: string;
    /** The git ref the working tree is compared against. */
    against: string;
    cost: { totalMin: Delta; totalMax: Delta; targetLoad: Delta; lines: CostLineChange[] };
    capacity: {
        services: { service: string; capacityRps: Delta; headroomPercent: Delta }[];
        /** gateway-api's capacity: what the edge carries. */
        edge: Delta;
        scaleUpSeconds: Delta;
        scaleUpObjectiveSeconds: Delta;
        /** Each service's capacity with the largest zone lost. */
        zoneLost: { service: string; capacityRps: Delta }[];
    };
    policy: { appeared: Violation[]; disappeared: Violation[] };
    /** Undefined when either side has no registrations. */
    inventory?: InventoryComparison;
    /** The parts the base report does not have (an older revision's report). */
    notInBase: string[];
    /** Failed or passed, with every reason (compare-verdict.ts). */
    verdict: Verdict;
}

/** The service whose capacity is the edge's. */
export const EDGE_SERVICE = "gateway-api";

/** Compares the base plan with the working tree's, and judges the change by the stack's cost limits. */
export function comparePlans(
    against: string,
    base: PlanSnapshot,
    head: PlanSnapshot,
    limits: CostLimits,
): PlanComparison {
    const notInBase: string[] = [];
    const b = base.report;
    const h = head.report;
    const need = <T>(what: string, value: T | undefined, headHas: boolean): T | undefined => {
        if (value === undefined && headHas) notInBase.push(what);
        return value;
    };
    const baseTarget = need("cost.load.targetLoad", b.cost?.load?.targetLoad, h.cost.load !== undefined);
    const baseTimeline = need("capacity.timeline", b.capacity?.timeline, h.capacity.timeline !== undefined);
    const baseZone = need("capacity.zoneLost", b.capacity?.zoneLost, h.capacity.zoneLost !== undefined);
    const baseViolations = need("policy.violations", b.policy?.violations, true) ?? [];
    if (!base.resources) notInBase.push("the run's registrations");
    const services = byKey(b.capacity?.services ?? [], h.capacity.services, (s) => s.service);
    const totalMin = delta(b.cost?.totalMin, h.cost.totalMin);
    const totalMax = delta(b.cost?.totalMax, h.cost.totalMax);
    const targetLoad = delta(baseTarget, h.cost.load?.targetLoad);
    const appeared = missingFrom(h.policy.violations, baseViolations);
    return {
        stack: h.stack,
        against,
        cost: {
            totalMin,
            totalMax,
            targetLoad,
            lines: compareCostLines(b.cost?.lines ?? [], h.cost.lines),
        },
        capacity: {
            services: services.map(([name, before, after]) => ({
                service: name,
                capacityRps: delta(before?.capacityRps, after?.capacityRps),
                headroomPercent: delta(before?.headroomPercent, after?.headroomPercent),
            })),
            edge: delta(
                b.capacity?.services?.find((s) => s.service === EDGE_SERVICE)?.capacityRps,
                h.capacity.services.find((s) => s.service === EDGE_SERVICE)?.capacityRps,
            ),
            scaleUpSeconds: delta(baseTimeline?.totalSeconds, h.capacity.timeline?.totalSeconds),
            scaleUpObjectiveSeconds: delta(
                baseTimeline?.objectiveSeconds,
                h.capacity.timeline?.objectiveSeconds,
            ),
            zoneLost: byKey(
                baseZone?.services ?? [],
                h.capacity.zoneLost?.services ?? [],
                (s) => s.service,
            ).map(([name, before, after]) => ({
                service: name,
                capacityRps: delta(before?.capacityRps, after?.capacityRps),
            })),
        },
        policy: {
            appeared,
            disappeared: b.policy?.violations ? missingFrom(baseViolations, h.policy.violations) : [],
        },
        inventory:
            base.resources && head.resources ? compareInventory(base.resources, head.resources) : undefined,
        notInBase,
        verdict: judge(
            { minimumScale: totalMin, maximumScale: totalMax, targetLoad },
            appeared,
            h.policy.violations,
            limits,
        ),
    };
}

/** Pairs two lists by key, in the working tree's order and then the base's leftovers. */
function byKey<T>(before: T[], after: T[], key: (t: T) => string): [string, T | undefined, T | undefined][] {
    const old = new Map(before.map((t) => [key(t), t]));
    const pairs: [string, T | undefined, T | undefined][] = after.map((t) => [key(t), old.get(key(t)), t]);
    const seen = new Set(after.map(key));
    for (const t of before) if (!seen.has(key(t))) pairs.push([key(t), t, undefined]);
    return pairs;
}

function violationKey(v: Violation): string {
    return JSON.stringify([v.policy, v.enforcementLevel, v.urn ?? "", v.message]);
}

/** The violations of `list` that `other` does not have. */
function missingFrom(list: Violation[], other: Violation[]): Violation[] {
    const keys = new Set(other.map(violationKey));
    return list.filter((v) => !keys.has(violationKey(v)));
}

/** An item without its parenthesised detail: "node group system (m7g.xlarge, ...)" is "node group system". */
function itemStem(line: CostLine): string {
    return `${line.component}\u0000${line.item.replace(/\s*\(.*\)\s*$/, "")}`;
}

/**
 * The cost lines whose figures differ, largest difference first. Lines match by component and item,
 * and then, among those left, by the item without its parenthesised detail when that is unique on
 * both sides (a node group whose instance type changed is the same line).
 */
export function compareCostLines(before: CostLine[], after: CostLine[]): CostLineChange[] {
    const exact = (l: CostLine) => `${l.component}\u0000${l.item}`;
    const pairs: [CostLine | undefined, CostLine | undefined][] = [];
    const oldByItem = new Map(before.map((l) => [exact(l), l]));
    const matched = new Set<CostLine>();
    const leftAfter: CostLine[] = [];
    for (const line of after) {
        const old = oldByItem.get(exact(line));
        if (old && !matched.has(old)) {
            matched.add(old);
            pairs.push([old, line]);
        } else leftAfter.push(line);
    }
    const leftBefore = before.filter((l) => !matched.has(l));
    const unique = (lines: CostLine[], stem: string) =>
        lines.filter((l) => itemStem(l) === stem).length === 1;
    for (const line of leftAfter) {
        const stem = itemStem(line);
        const old =
            unique(leftAfter, stem) && unique(leftBefore, stem)
                ? leftBefore.find((l) => itemStem(l) === stem)
                : undefined;
        if (old) matched.add(old);
        pairs.push([old, line]);
    }
    for (const old of leftBefore) if (!matched.has(old)) pairs.push([old, undefined]);
    return pairs
        .map(([old, line]) => ({
            component: (line ?? old)!.component,
            before: old?.item ?? null,
            after: line?.item ?? null,
            min: delta(old?.min, line?.min),
            max: delta(old?.max, line?.max),
        }))
        .filter(
            (c) =>
                c.before !== c.after ||
                Math.abs(c.min.difference!) >= 0.005 ||
                Math.abs(c.max.difference!) >= 0.005,
        )
        .sort((x, y) => size(y) - size(x));
}

function size(change: CostLineChange): number {
    return Math.max(Math.abs(change.min.difference ?? 0), Math.abs(change.max.difference ?? 0));
}
