/** A plan comparison as Markdown, for a person or a pull request. */
import type { CostLineChange, Delta, PlanComparison } from "./compare";
import { COST_TOTALS, CostTotal, judgedLimit, usd, Verdict, violationText } from "./compare-verdict";

const NOT_IN_BASE = "not in the base report";

function signed(value: number, unit: (v: number) => string): string {
    return `${value < 0 ? "-" : "+"}${unit(Math.abs(value))}`;
}

/** "before → after (difference)" with a unit; a side the report lacks says so. */
function change(d: Delta, unit: (v: number) => string): string {
    if (d.before === null && d.after === null) return NOT_IN_BASE;
    const before = d.before === null ? NOT_IN_BASE : unit(d.before);
    const after = d.after === null ? "none" : unit(d.after);
    if (d.before !== null && d.before === d.after) return `${before} (unchanged)`;
    const diff = d.before === null || d.after === null ? "" : ` (${signed(d.difference!, unit)})`;
    return `${before} → ${after}${diff}`;
}

const rps = (v: number) => `${Math.round(v).toLocaleString("en-US")} RPS`;
const percent = (v: number) => `${v}%`;
const seconds = (v: number) => `${v} s`;

function row(cells: string[]): string {
    return `| ${cells.map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`;
}

function table(head: string[], rows: string[][]): string[] {
    return [row(head), row(head.map(() => "---")), ...rows.map(row)];
}

function lineName(line: CostLineChange): string {
    if (line.before === line.after) return line.after!;
    if (line.before === null) return `${line.after} (new)`;
    if (line.after === null) return `${line.before} (gone)`;
    return `${line.before} → ${line.after}`;
}

/** The stack file's key that holds the limits. */
const LIMIT_KEY = "tacos:pullRequest.costIncreaseLimitUsd";

/** The limits this change sets or changes, "at minimum scale $50.00 → $60.00, ..."; empty when none. */
export function limitChanges(v: Verdict): string {
    const before = (t: CostTotal) => v.limits.before?.[t];
    return v.limitChanged
        .map(
            (t) =>
                `${COST_TOTALS[t]} ${before(t) === undefined ? "not set" : usd(before(t)!)} → ${usd(v.limits.after[t])}`,
        )
        .join(", ");
}

/** The verdict: failed or passed, each reason, the limits (and their change), what was not judged. */
function verdictText(stack: string, v: Verdict, h: string): string[] {
    const totals = Object.keys(COST_TOTALS) as CostTotal[];
    const changed = limitChanges(v);
    const whose = v.limits.before
        ? "the lower of the base's and this change's"
        : "this change's: the base sets none";
    const judged = totals.map((t) => `${COST_TOTALS[t]} ${usd(judgedLimit(v.limits, t))}`).join(", ");
    return [
        `${h} Verdict: ${v.status}`,
        "",
        ...(v.reasons.length === 0
            ? [
                  `No ${v.notJudged.length > 0 ? "judged " : ""}monthly total rises above its limit and no mandatory violation appears.`,
              ]
            : v.reasons.map((r) => `- **Fails:** ${r.message}`)),
        "",
        `Monthly cost increase limits judged by (\`${LIMIT_KEY}\` in Pulumi.${stack}.yaml, ${whose}): ${judged}.`,
        ...(changed
            ? [
                  "",
                  `**This change ${v.limits.before ? "changes" : "sets"} the limits:** ${changed}${v.limits.before ? " (a raised limit applies from the next pull request)" : ""}.`,
              ]
            : []),
        ...v.notJudged.flatMap((n) => ["", `Not judged ${COST_TOTALS[n.total]}: ${n.why}.`]),
        ...(v.standing.length > 0
            ? [
                  "",
                  "Mandatory violations the base has too (not counted against this change; the offline policy gate fails them):",
                  "",
                  ...v.standing.map((x) => `- ${violationText(x)}`),
              ]
            : []),
    ];
}

function costText(c: PlanComparison["cost"], h: string): string[] {
    const lines = c.lines.map((l) => [
        l.component,
        lineName(l),
        signed(l.min.difference ?? 0, usd),
        signed(l.max.difference ?? 0, usd),
    ]);
    return [
        `${h} Cost (monthly)`,
        "",
        `- at minimum scale: ${change(c.totalMin, usd)}`,
        `- at maximum scale: ${change(c.totalMax, usd)}`,
        `- at target load: ${c.targetLoad.after === null && c.targetLoad.before === null ? "no load model" : change(c.targetLoad, usd)}`,
        "",
        ...(lines.length > 0
            ? table(["component", "line", "at minimum", "at maximum"], lines)
            : ["No cost line changed."]),
    ];
}

function capacityText(c: PlanComparison["capacity"], h: string): string[] {
    const services = table(
        ["service", "capacity", "headroom"],
        c.services.map((s) => [s.service, change(s.capacityRps, rps), change(s.headroomPercent, percent)]),
    );
    const zone =
        c.zoneLost.length === 0
            ? []
            : [
                  "",
                  "With the largest zone lost:",
                  "",
                  ...table(
                      ["service", "capacity"],
                      c.zoneLost.map((s) => [s.service, change(s.capacityRps, rps)]),
                  ),
              ];
    return [
        `${h} Capacity`,
        "",
        `- edge (gateway-api): ${change(c.edge, rps)}`,
        `- scale-up to target + headroom: ${change(c.scaleUpSeconds, seconds)} against an objective of ${change(c.scaleUpObjectiveSeconds, seconds)}`,
        "",
        ...services,
        ...zone,
    ];
}

function policyText(p: PlanComparison["policy"], h: string): string[] {
    const item = (sign: string) => (v: PlanComparison["policy"]["appeared"][number]) =>
        `- ${sign} ${v.enforcementLevel} ${violationText(v)}`;
    const none = p.appeared.length === 0 && p.disappeared.length === 0;
    return [
        `${h} Policy`,
        "",
        ...(none ? ["No violation appears or disappears."] : []),
        ...p.appeared.map(item("appears:")),
        ...p.disappeared.map(item("disappears:")),
    ];
}

function inventoryText(i: PlanComparison["inventory"], h: string): string[] {
    if (!i) return [`${h} Inventory`, "", `The run's registrations are ${NOT_IN_BASE}.`];
    const types = [
        ...new Set([...Object.keys(i.added), ...Object.keys(i.removed), ...Object.keys(i.changed)]),
    ].sort();
    const n = (counts: Record<string, number>, type: string) => String(counts[type] ?? 0);
    return [
        `${h} Inventory`,
        "",
        ...(types.length === 0
            ? ["No resource added, removed or changed."]
            : table(
                  ["type", "added", "removed", "changed"],
                  types.map((t) => [t, n(i.added, t), n(i.removed, t), n(i.changed, t)]),
              )),
        ...(i.replacements.length === 0
            ? ["", "No stateful resource (DynamoDB table, KMS key, SQS queue, EKS cluster) is replaced."]
            : [
                  "",
                  "**Stateful resources replaced:**",
                  "",
                  ...i.replacements.map((r) =>
                      r.changed[0] === "urn"
                          ? `- ${r.before} removed while ${r.after} is added: ${r.reason}`
                          : `- ${r.after}: ${r.changed.map((k) => `\`${k}\``).join(", ")} changes: ${r.reason}`,
                  ),
              ]),
    ];
}

/**
 * The comparison as Markdown: the verdict, cost, capacity, policy, inventory. `level` is the
 * title's heading level (the sections' is one more), 1 for a page of its own.
 */
export function formatComparison(c: PlanComparison, level = 1): string {
    const h = "#".repeat(level + 1);
    return [
        `${"#".repeat(level)} Plan of ${c.stack}: the working tree against ${c.against}`,
        ...(c.notInBase.length > 0 ? ["", `Not in the base report: ${c.notInBase.join(", ")}.`] : []),
        "",
        ...verdictText(c.stack, c.verdict, h),
        "",
        ...costText(c.cost, h),
        "",
        ...capacityText(c.capacity, h),
        "",
        ...policyText(c.policy, h),
        "",
        ...inventoryText(c.inventory, h),
    ].join("\n");
}
