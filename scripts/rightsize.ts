// npm run rightsize -- --stack <name> --from <file> : each service's requests against its VPA's
// recommendation (the file is `kubectl get vpa -n tacos -o json`), the stack-file change that applies
// them and the monthly cost difference at the plan's prices. Exits 2 on any error.
import { runCli } from "../tools/cli";
import { formatRightsize, readVpaList, rightsize } from "../tools/rightsize";

const USAGE =
    "npm run rightsize -- --stack <dev|prod|review> --from <kubectl get vpa -n tacos -o json output>";

runCli("rightsize", USAGE, async (stack) => {
    const at = process.argv.indexOf("--from");
    const file = at >= 0 ? process.argv[at + 1] : undefined;
    if (!file) throw Object.assign(new Error(`usage: ${USAGE}`), { usage: true });
    console.log(formatRightsize(await rightsize(stack, readVpaList(file))));
    return 0;
});
