/** A plain-text table for a person: padded columns, a rule under the header, numeric columns right-aligned. */
export function table(header: string[], rows: string[][], { alignNumbers = true } = {}): string {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const numeric = header.map((_, i) => alignNumbers && rows.every((r) => /^[-$\d.,%]*$/.test(r[i])));
    const line = (cells: string[]) =>
        cells
            .map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
            .join("  ")
            .trimEnd();
    return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}
