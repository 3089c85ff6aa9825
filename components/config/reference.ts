/**
 * The stack config reference, generated from the schema (names, types, defaults, descriptions),
 * so that docs/config-reference.md cannot drift from what the program accepts. `npm run docs`
 * writes it there (tools/docs/pages.ts); test/docs.test.ts checks that the page holds the current
 * text.
 */
import { isRecord } from "../../vocabulary/values";
import { platformConfigSchema } from "./schema";
import { secretConfigSchema } from "./secrets";

interface Row {
    key: string;
    type: string;
    required: string;
    description: string;
}

function typeOf(def: any): string {
    switch (def.type) {
        case "string":
            return "string";
        case "number":
            return def.checks?.some((c: any) => c._zod?.def?.format === "safeint") ? "integer" : "number";
        case "boolean":
            return "boolean";
        case "enum":
            return Object.values(def.entries)
                .map((v) => `\`${v}\``)
                .join(" \\| ");
        case "array":
            return `list of ${typeOf(def.element._zod.def)}`;
        case "record":
            return `map of name → ${typeOf(def.valueType._zod.def)}`;
        case "object":
            return "object";
        case "union":
            return def.options.map((o: any) => typeOf(o._zod.def)).join(" \\| ");
        case "literal":
            return def.values.map(String).join(" \\| ");
        default:
            return def.type;
    }
}

function walk(
    schema: any,
    key: string,
    rows: Row[],
    description = schema.description as string | undefined,
    required = "required",
): void {
    const def = schema._zod.def;
    if (def.type === "default" || def.type === "prefault") {
        const value = def.defaultValue;
        const shown =
            isRecord(value) && Object.keys(value).length === 0
                ? "(defaults below)"
                : `\`${JSON.stringify(value)}\``;
        walk(def.innerType, key, rows, description ?? def.innerType.description, `default ${shown}`);
        return;
    }
    if (def.type === "pipe") {
        walk(def.in, key, rows, description ?? def.in.description, required);
        return;
    }
    if (def.type === "optional") {
        walk(def.innerType, key, rows, description ?? def.innerType.description, "optional");
        return;
    }
    rows.push({ key, type: typeOf(def), required, description: description ?? "" });
    if (def.type === "object") {
        for (const [child, childSchema] of Object.entries(def.shape)) {
            walk(childSchema, `${key}.${child}`, rows);
        }
    } else if (def.type === "record" && def.valueType._zod.def.type === "object") {
        for (const [child, childSchema] of Object.entries(def.valueType._zod.def.shape)) {
            walk(childSchema, `${key}.<name>.${child}`, rows);
        }
    } else if (def.type === "array" && def.element._zod.def.type === "object") {
        for (const [child, childSchema] of Object.entries(def.element._zod.def.shape)) {
            walk(childSchema, `${key}[].${child}`, rows);
        }
    }
}

/** The Markdown table of every `tacos:*` config key. */
export function configReference(): string {
    const rows: Row[] = [];
    for (const [key, schema] of Object.entries(platformConfigSchema.shape)) {
        walk(schema, `tacos:${key}`, rows);
    }
    for (const [key, schema] of Object.entries(secretConfigSchema.shape)) {
        walk(
            schema,
            `tacos:${key}`,
            rows,
            `**Secret** (pulumi config set --secret). ${(schema as { description?: string }).description ?? ""}`,
        );
    }
    const lines = ["| key | type | required / default | description |", "| --- | --- | --- | --- |"];
    for (const row of rows) {
        lines.push(
            `| \`${row.key}\` | ${row.type} | ${row.required} | ${row.description.replace(/\|/g, "\\|")} |`,
        );
    }
    return lines.join("\n");
}
