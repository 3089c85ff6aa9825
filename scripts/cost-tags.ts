// npm run cost-tags -- --stack <name> [--profile <aws-profile>] : whether AWS Billing has activated the
// stack's cost tags as cost allocation tags, which its budget and anomaly monitor need. Runs the AWS CLI
// with the management account's credentials (a member account may not read them). Exits 0 when every
// key is active, 1 when one is not (printing the command that activates it), 2 on an error.
import { runCli } from "../tools/cli";
import { formatTagStatuses, listCostAllocationTags, tagStatuses } from "../tools/cost-tags";
import { readStackConfig } from "../tools/harness";

runCli("cost-tags", "npm run cost-tags -- --stack <name> [--profile <aws-profile>]", async (stack) => {
    const observability = readStackConfig(stack)["tacos:observability"] as
        Record<string, unknown> | undefined;
    const at = process.argv.indexOf("--profile");
    const { text, allActive } = formatTagStatuses(
        tagStatuses(listCostAllocationTags(at >= 0 ? process.argv[at + 1] : undefined)),
    );
    console.log(
        `Cost allocation tags of stack ${stack} (activated by: ${String(observability?.costAllocationTagActivation)})\n${text}`,
    );
    return allActive ? 0 : 1;
});
