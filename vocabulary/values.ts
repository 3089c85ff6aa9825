/** Reading resource props the way several rules need them. Imports nothing. */

/** A value, or each value of a list, as a list; nothing as an empty list. */
export const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** A JSON document given as a string or already an object; undefined when it cannot be read. */
export function parseJson(document: unknown): Record<string, any> | undefined {
    if (typeof document === "string") {
        try {
            return JSON.parse(document);
        } catch {
            return undefined;
        }
    }
    return typeof document === "object" && document !== null ? (document as Record<string, any>) : undefined;
}

/** True for a plain object (not null, not an array). */
export const isRecord = (value: unknown): value is Record<string, any> =>
    typeof value === "object" && value !== null && !Array.isArray(value);
