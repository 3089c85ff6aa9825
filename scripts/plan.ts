// npm run plan -- --stack <name> [--json] : what a stack creates, costs and carries, offline.
// Reads the stack file's secrets as `pulumi up` would: a plain one is an error, an encrypted one
// counts as set, a missing required one is a warning on stderr (naming the command that sets it).
// Exits 1 when a mandatory policy fails (the report prints each violation's message), 2 on any error. `npm run docs` writes the architecture pictures into docs/.
import { runCli } from "../tools/cli";
import { buildPlan, formatPlan, readPricing } from "../tools/plan";

runCli("plan", "npm run plan -- --stack <dev|prod> [--json]", async (stack) => {
    const { report } = await buildPlan(stack, undefined, readPricing(), { secrets: "stack-file" });
    console.log(process.argv.includes("--json") ? JSON.stringify(report, null, 2) : formatPlan(report));
    return report.policy.mandatory === 0 ? 0 : 1;
});
