/**
 * Checking the values the program passes a chart against the keys its pin records (each add-on's
 * `PinnedChart.valuesKeys`, read from the chart's values.yaml at the pinned version): a key the
 * program sets that no recorded key covers fails, since Helm would silently ignore a misspelt key.
 */
import type { PinnedChart } from "../components/k8s/addons/chart";

/** Every leaf key path of a values object (dots join levels; keys holding dots stay whole). */
export function leafPaths(values: unknown, prefix: string[] = []): string[][] {
    if (
        values === null ||
        typeof values !== "object" ||
        Array.isArray(values) ||
        Object.keys(values as object).length === 0
    ) {
        return [prefix];
    }
    return Object.entries(values as Record<string, unknown>).flatMap(([key, child]) =>
        leafPaths(child, [...prefix, key]),
    );
}

/** The leaf paths no key of the chart covers. */
export function unknownKeys(chart: PinnedChart, values: Record<string, unknown>): string[] {
    // A key whose own name has a dot (grafana's `grafana.ini`) escapes it: `grafana\\.ini`.
    const known = chart.valuesKeys.map((k) => k.split(/(?<!\\)\./).map((part) => part.replace(/\\\./g, ".")));
    if (Object.keys(values).length === 0) return [];
    return leafPaths(values)
        .filter(
            (path) =>
                !known.some((key) => key.length <= path.length && key.every((part, i) => part === path[i])),
        )
        .map((path) => path.join("."));
}
