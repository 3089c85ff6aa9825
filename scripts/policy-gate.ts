// npm run policy:gate -- --stack dev|prod : the offline policy gate; exits 1 on a mandatory violation, 2 on an error.
import { runCli } from "../tools/cli";
import { formatResult, runGate } from "../tools/policy-gate";

runCli("policy gate", "npm run policy:gate -- --stack <dev|prod>", async (stack) => {
    const result = await runGate(stack);
    console.log(formatResult(result));
    return result.mandatory.length === 0 ? 0 : 1;
});
