// npm run policy:gate -- --stack dev|prod|review [--bootstrap] : the offline policy gate; exits 1 on a mandatory
// violation, 2 on an error. `--bootstrap` gates the stack's bootstrap run (tacos:ci.bootstrap: true, the
// first deploy's AWS layer only). Reads the stack file's secrets as `pulumi up` would: a plain one is an
// error, an encrypted one counts as set, a missing required one is a warning on stderr (naming the
// command that sets it).
import { runCli } from "../tools/cli";
import { bootstrapRun, formatResult, runGate } from "../tools/policy-gate";

runCli("policy gate", "npm run policy:gate -- --stack <dev|prod|review> [--bootstrap]", async (stack) => {
    const edit = process.argv.includes("--bootstrap") ? bootstrapRun() : undefined;
    const result = await runGate(stack, edit, { secrets: "stack-file" });
    console.log(formatResult(result));
    return result.mandatory.length === 0 ? 0 : 1;
});
