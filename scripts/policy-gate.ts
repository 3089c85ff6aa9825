// npm run policy:gate -- --stack dev|prod : the offline policy gate; exits 1 on a mandatory violation, 2 on an error.
// Reads the stack file's secrets as `pulumi up` would: a plain one is an error, an encrypted one
// counts as set, a missing required one is a warning on stderr (naming the command that sets it).
import { runCli } from "../tools/cli";
import { formatResult, runGate } from "../tools/policy-gate";

runCli("policy gate", "npm run policy:gate -- --stack <dev|prod>", async (stack) => {
    const result = await runGate(stack, undefined, { secrets: "stack-file" });
    console.log(formatResult(result));
    return result.mandatory.length === 0 ? 0 : 1;
});
