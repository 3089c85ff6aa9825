/**
 * The tacos-service chart's values schema: one zod schema (vocabulary/chart-values.ts) that the
 * program's values, the chart's own values files and the checked-in values.schema.json all follow.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { serviceValuesSchema } from "../vocabulary/chart-values";
import { SERVICE_NAMES } from "../vocabulary/platform";
import { CHART_SCHEMA_PATH, chartValuesSchemaText } from "../tools/chart-schema";
import { CHART_DIR } from "../tools/helm";
import { serviceValuesOf, STACKS, useStackRuns } from "./stacks";

const chartFile = (name: string) => YAML.parse(fs.readFileSync(path.join(CHART_DIR, name), "utf8"));

/** The paths of the values a parse refuses, each once. */
const refusedPaths = (values: unknown): string[] => {
    const result = serviceValuesSchema.safeParse(values);
    return result.success ? [] : [...new Set(result.error.issues.map((i) => i.path.join(".")))].sort();
};

describe("tacos-service values schema", () => {
    const runs = useStackRuns();

    it("is checked in as npm run chart:schema generates it", () => {
        assert.strictEqual(
            fs.readFileSync(CHART_SCHEMA_PATH, "utf8"),
            chartValuesSchemaText(),
            "charts/tacos-service/values.schema.json is stale: run npm run chart:schema",
        );
    });

    it("accepts every default of values.yaml but the placeholders each service must replace", () => {
        assert.deepStrictEqual(refusedPaths(chartFile("values.yaml")), [
            "image.repository",
            "image.tag",
            "name",
            "ports",
        ]);
    });

    for (const stack of STACKS) {
        it(`accepts what values-${stack}.yaml sets`, () => {
            const overrides = chartFile(`values-${stack}.yaml`);
            assert.ok(Object.keys(overrides).length > 0, `values-${stack}.yaml sets nothing`);
            serviceValuesSchema.partial().parse(overrides);
        });

        it(`${stack}: accepts the values the program delivers for every service`, () => {
            for (const service of SERVICE_NAMES) {
                assert.deepStrictEqual(refusedPaths(serviceValuesOf(runs[stack], service)), [], service);
            }
        });
    }
});
