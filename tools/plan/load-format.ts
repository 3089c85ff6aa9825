/** The report's load section as a person reads it: the month under load and its largest lines. */
import { table } from "../table";
import type { LoadCost } from "./report";

/** Whole US dollars with thousands separators. */
const usd = (n: number) => `$${n.toLocaleString("en-US", { maximumFractionDigits: 0 })}`;
/** Whole numbers with thousands separators. */
const count = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 0 });

/** The load section's lines; nothing when the stack registers no profile. */
export function loadText(load: LoadCost | undefined): string[] {
    if (!load) return [];
    const routes = Object.entries(load.routes)
        .map(([api, route]) => `${api} ${route}`)
        .join(", ");
    return [
        "",
        `Load (USD/month, tacos:load): ${count(load.targetRps)} RPS for ${load.peakHours} peak hours, ${count(load.offPeakRps)} RPS for the other ${load.offPeakHours}`,
        `  AWS APIs reached through: ${routes}`,
        table(
            ["request-driven line", "peak", "off-peak", "month", "an hour at target"],
            load.lines.map((l) => [l.item, usd(l.peak), usd(l.offPeak), usd(l.monthly), l.basis]),
        ),
        `Month at minimum scale, no load: ${usd(load.minimumScale)}`,
        `Month at target load: ${usd(load.targetLoad)} (nodes at maximum scale in the peak hours, at minimum the rest; every load line)`,
        "Five largest lines at target load:",
        ...load.largest.map((l) => `  ${usd(l.monthly).padStart(8)}  ${l.item}`),
    ];
}
