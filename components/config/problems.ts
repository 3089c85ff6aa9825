/**
 * How a schema issue reads to a person: one line that starts with the field's path as the stack
 * file spells it (`cluster.nodeGroups.system.maxSize`, `aws:region`) and says what is wrong.
 */
import type { z } from "zod";

/** A field's path as the stack file spells it (the `tacos:` namespace left out). */
export function displayPath(path: readonly PropertyKey[]): string {
    if (path[0] === "region") {
        return "aws:region";
    }
    const rest = path[0] === "platform" || path[0] === "secrets" ? path.slice(1) : path;
    return rest.map(String).join(".") || "(root)";
}

/** Zod's own wording; a message that does not match was written in the schema and is kept. */
const DEFAULT_MESSAGE = /^(Invalid|Too (small|big)|Unrecognized)/;

/** Whether the field expects a string (a plain string or a choice of strings). */
function expectsString(issue: z.core.$ZodIssue): boolean {
    return (
        (issue.code === "invalid_type" && issue.expected === "string") ||
        (issue.code === "invalid_value" && issue.values.every((v) => typeof v === "string"))
    );
}

/**
 * The problem for a number where a string is expected: YAML reads `1.35` and `7.1` as numbers
 * (and `1.30` as 1.3), so a version must be quoted. Needs the parse's `reportInput`.
 */
function unquotedNumber(issue: z.core.$ZodIssue, where: string): string | undefined {
    if (typeof issue.input !== "number" || !expectsString(issue)) return undefined;
    const input = issue.input;
    if (issue.code !== "invalid_value") {
        return `${where} must be a quoted string such as "${input}": YAML read the number ${input}`;
    }
    // YAML reads 1.30 as 1.3: name the allowed value that reads as this number, if one does.
    const meant = issue.values.find((v) => Number(v) === input);
    const allowed = issue.values.map((v) => `"${String(v)}"`).join(", ");
    return meant !== undefined
        ? `${where} must be a quoted string such as "${String(meant)}": YAML read the number ${input}`
        : `${where} must be one of ${allowed}, quoted: YAML read the number ${input} (unquoted, YAML drops a version's trailing zeros)`;
}

/** The problems one schema issue is reported as. */
export function describeIssue(issue: z.core.$ZodIssue): string[] {
    const where = displayPath(issue.path);
    if (issue.code === "unrecognized_keys") {
        return issue.keys.map((key) => `${displayPath([...issue.path, key])} is not a known setting`);
    }
    const unquoted = unquotedNumber(issue, where);
    if (unquoted) {
        return [unquoted];
    }
    if (!DEFAULT_MESSAGE.test(issue.message)) {
        return [`${where} ${issue.message}`];
    }
    switch (issue.code) {
        case "invalid_type":
            return [
                /received undefined$/.test(issue.message)
                    ? `${where} is required`
                    : `${where} must be of type ${issue.expected}`,
            ];
        case "too_small":
            return [
                `${where} must ${issue.origin === "array" ? `list at least ${issue.minimum} item(s)` : `be >= ${issue.minimum}`}`,
            ];
        case "too_big":
            return [
                `${where} must ${issue.origin === "array" ? `list at most ${issue.maximum} item(s)` : `be <= ${issue.maximum}`}`,
            ];
        case "invalid_value":
            return [`${where} must be one of ${issue.values.map(String).join(", ")}`];
        default:
            return [`${where} ${issue.message}`];
    }
}
