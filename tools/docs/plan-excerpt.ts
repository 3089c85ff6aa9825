/** The part of a plan report docs/plan.md shows. */

/** The dev plan's summary: the cost by component, service and add-on, what is not priced, capacity and the timeline. */
export function planExcerpt(text: string): string {
    const lines = text.split("\n");
    const cost = lines.findIndex((l) => l.startsWith("Cost ("));
    const byComponent = lines.findIndex((l, i) => i > cost && l.startsWith("component "));
    return ["```text", lines[0], "", lines[cost], "", ...lines.slice(byComponent), "```"].join("\n");
}
