/** A figure of two plans, before and after: the unit the comparison and its verdict share. */

/** A figure before and after; null where a side does not have it. */
export interface Delta {
    before: number | null;
    after: number | null;
    /** after - before, a missing side counted as zero; null when neither side has the figure. */
    difference: number | null;
}

/** The delta of two figures; a side that is not a number is missing. */
export function delta(before: number | undefined | null, after: number | undefined | null): Delta {
    const b = typeof before === "number" ? before : null;
    const a = typeof after === "number" ? after : null;
    return { before: b, after: a, difference: b === null && a === null ? null : (a ?? 0) - (b ?? 0) };
}
