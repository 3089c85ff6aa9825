/**
 * The one file a stack needs outside the stack file and the policy config: its values for the
 * services' chart, which both delivery modes hand to helm (`values-<stack>.yaml`).
 */
import * as fs from "fs";
import * as path from "path";

/** The chart the five services are delivered with, relative to the project root. */
export const SERVICE_CHART_DIR = "charts/tacos-service";

/** The project root: where Pulumi.yaml and the chart are. */
const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

/** The chart values file of a stack, relative to the project root. */
export function chartValuesFile(stack: string): string {
    return `${SERVICE_CHART_DIR}/values-${stack}.yaml`;
}

/**
 * The problem a stack without its chart values file is reported as (one sentence that says what
 * to create), or undefined when the file is there.
 */
export function missingChartValues(stack: string, root = PROJECT_ROOT): string | undefined {
    const file = chartValuesFile(stack);
    if (fs.existsSync(path.join(root, file))) return undefined;
    return `stack ${stack} has no chart values file: create ${file} (copy ${SERVICE_CHART_DIR}/values-dev.yaml or values-prod.yaml and adjust it) before helm renders the services`;
}
