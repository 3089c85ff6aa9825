// npm run plan -- --stack <name> [--json] : what a stack creates, costs and carries, offline.
// Writes docs/architecture-<stack>.md (a Mermaid picture); exits 2 on any error.
import { runCli } from "../tools/cli";
import { architectureMermaid, buildPlan, formatPlan, writeArchitecture } from "../tools/plan";

runCli("plan", "npm run plan -- --stack <dev|prod> [--json]", async (stack) => {
    const { report, run } = await buildPlan(stack);
    writeArchitecture(stack, architectureMermaid(run));
    console.log(process.argv.includes("--json") ? JSON.stringify(report, null, 2) : formatPlan(report));
    return 0;
});
