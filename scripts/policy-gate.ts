// npm run policy:gate -- --stack dev|prod : the offline policy gate; exits 1 on a mandatory violation, 2 on an error.
import { formatResult, runGate } from "../tools/policy-gate";

async function main(): Promise<number> {
    const at = process.argv.indexOf("--stack");
    const stack = at >= 0 ? process.argv[at + 1] : undefined;
    if (!stack) {
        console.error("usage: npm run policy:gate -- --stack <dev|prod>");
        return 2;
    }
    try {
        const result = await runGate(stack);
        console.log(formatResult(result));
        return result.mandatory.length === 0 ? 0 : 1;
    } catch (e) {
        console.error(`policy gate: ${(e as Error).message}`);
        return 2;
    }
}

main().then((code) => process.exit(code));
