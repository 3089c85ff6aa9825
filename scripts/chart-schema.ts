// npm run chart:schema : regenerates charts/tacos-service/values.schema.json from the schema of the
// chart's values (vocabulary/chart-values.ts).
import { CHART_SCHEMA_PATH, writeChartValuesSchema } from "../tools/chart-schema";

writeChartValuesSchema();
console.log(`${CHART_SCHEMA_PATH} updated`);
