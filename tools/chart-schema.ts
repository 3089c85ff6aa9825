/**
 * The tacos-service chart's values.schema.json, generated from the one schema of its values
 * (vocabulary/chart-values.ts): JSON Schema draft-07, one of the drafts Helm v3.22's validator
 * (santhosh-tekuri/jsonschema v6) knows without fetching it. `npm run chart:schema` writes it; a
 * test fails when the checked-in file is not what this generates.
 */
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { serviceValuesSchema } from "../vocabulary/chart-values";
import { CHART_DIR } from "./helm";

/** Where Helm reads the chart's values schema. */
export const CHART_SCHEMA_PATH = path.join(CHART_DIR, "values.schema.json");

/** The text of the chart's values.schema.json. */
export function chartValuesSchemaText(): string {
    return `${JSON.stringify(z.toJSONSchema(serviceValuesSchema, { target: "draft-07" }), null, 2)}\n`;
}

/** Writes the chart's values.schema.json. */
export function writeChartValuesSchema(): void {
    fs.writeFileSync(CHART_SCHEMA_PATH, chartValuesSchemaText());
}
