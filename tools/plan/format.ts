/** The report as a person reads it: inventory, policy verdicts and cost here; capacity in format-capacity.ts. */
import { violationLines } from "../policy-gate";
import { table } from "../table";
import { capacityText } from "./format-capacity";
import type { PlanReport } from "./report";
import { teardownText } from "./teardown-format";
import { loadText } from "./load-format";

/** Whole US dollars with thousands separators. */
const usd = (n: number) => `$${n.toLocaleString("en-US", { maximumFractionDigits: 0 })}`;

/** Resources per component, with each component's three most frequent types. */
function inventoryText(inventory: PlanReport["inventory"]): string[] {
    return [
        `Inventory: ${inventory.total} resources`,
        table(
            ["component", "resources", "types"],
            Object.entries(inventory.byComponent).map(([c, types]) => [
                c,
                String(Object.values(types).reduce((a, b) => a + b, 0)),
                Object.entries(types)
                    .sort((a, b) => b[1] - a[1])
                    .slice(0, 3)
                    .map(([t, n]) => `${t.split(":").pop()} x${n}`)
                    .join(", "),
            ]),
        ),
    ];
}

/** The gate's verdicts: the counts, then each violated policy with its messages, as the gate prints them. */
function policyText(policy: PlanReport["policy"]): string[] {
    return [
        "",
        `Policy: ${policy.mandatory} mandatory, ${policy.advisory} advisory violation(s)`,
        ...violationLines(policy.violations),
    ];
}

/** A table of min and max monthly cost per key. */
const costTable = (title: string, costs: [string, { min: number; max: number }][]) =>
    table(
        [title, "min", "max"],
        costs.map(([key, v]) => [key, usd(v.min), usd(v.max)]),
    );

/** The cost lines, their sums per component, the services' and add-ons' shares, and what is not priced. */
function costText(cost: PlanReport["cost"]): string[] {
    return [
        "",
        `Cost (${cost.currency}/month): ${usd(cost.totalMin)} at minimum scale, ${usd(cost.totalMax)} at maximum`,
        table(
            ["item", "min", "max", "on-demand max"],
            cost.lines.map((l) => [
                l.item,
                usd(l.min),
                usd(l.max),
                l.onDemandMax === undefined ? "" : usd(l.onDemandMax),
            ]),
        ),
        "",
        costTable("component", Object.entries(cost.byComponent)),
        "",
        costTable("service (compute share)", Object.entries(cost.byService)),
        "",
        costTable(
            "add-on (compute share)",
            Object.entries(cost.byAddon).sort((a, b) => b[1].max - a[1].max),
        ),
        "",
        "Not priced (never counted as free):",
        ...cost.unpriced.map((u) => `  - ${u.item}: ${u.why}`),
    ];
}

/** The report as a person reads it. */
export function formatPlan(report: PlanReport): string {
    return [
        `Plan for stack ${report.stack} (${report.region})`,
        "",
        ...inventoryText(report.inventory),
        ...policyText(report.policy),
        ...costText(report.cost),
        ...loadText(report.cost.load),
        ...capacityText(report.capacity),
        ...teardownText(report.teardown),
    ].join("\n");
}
