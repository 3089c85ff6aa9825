// npm run plan -- --stack <name> [--json] : what a stack creates, costs and carries, offline.
// Exits 2 on any error. `npm run docs` writes the architecture pictures into docs/.
import { runCli } from "../tools/cli";
import { buildPlan, formatPlan } from "../tools/plan";

runCli("plan", "npm run plan -- --stack <dev|prod> [--json]", async (stack) => {
    const { report } = await buildPlan(stack);
    console.log(process.argv.includes("--json") ? JSON.stringify(report, null, 2) : formatPlan(report));
    return 0;
});
