// npm run plan -- --stack <name> [--json] : what a stack creates, costs and carries, offline.
// With --upgrade-to <version>: what moving the stack to that Kubernetes version changes instead.
// With --against <git-ref>: the working tree's plan against that revision's, as Markdown (or --json),
// with a verdict: exits 1 when it failed (a monthly total rose above the stack file's
// tacos:pullRequest.costIncreaseLimitUsd, or a mandatory violation appeared), 0 when it passed.
// Reads the stack file's secrets as `pulumi up` would: a plain one is an error, an encrypted one
// counts as set, a missing required one is a warning on stderr (naming the command that sets it).
// The plan exits 1 when a mandatory policy fails (the report prints each violation's message).
// Every form exits 2 on any error.
// `npm run docs` writes the architecture pictures into docs/.
import { optionValue, runCli } from "../tools/cli";
import { buildPlan, formatPlan, readPricing } from "../tools/plan";
import { buildComparison } from "../tools/plan/compare-base";
import { formatComparison } from "../tools/plan/compare-format";
import { buildUpgrade } from "../tools/plan/upgrade";
import { formatUpgrade } from "../tools/plan/upgrade-format";

runCli(
    "plan",
    "npm run plan -- --stack <dev|prod|review> [--json] [--upgrade-to <version> | --against <git-ref>]",
    async (stack) => {
        if (process.argv.includes("--upgrade-to")) {
            const target = optionValue("--upgrade-to");
            if (!target || target.startsWith("--")) {
                throw new Error("--upgrade-to needs the Kubernetes version to upgrade to, such as 1.36");
            }
            const upgrade = await buildUpgrade(stack, target, { secrets: "stack-file" });
            console.log(
                process.argv.includes("--json") ? JSON.stringify(upgrade, null, 2) : formatUpgrade(upgrade),
            );
            return 0;
        }
        if (process.argv.includes("--against")) {
            const ref = optionValue("--against");
            if (!ref || ref.startsWith("--")) {
                throw new Error("--against needs the git revision to compare with, such as main or HEAD~1");
            }
            const comparison = await buildComparison(stack, ref);
            console.log(
                process.argv.includes("--json")
                    ? JSON.stringify(comparison, null, 2)
                    : formatComparison(comparison),
            );
            return comparison.verdict.status === "passed" ? 0 : 1;
        }
        const { report } = await buildPlan(stack, undefined, readPricing(), { secrets: "stack-file" });
        console.log(process.argv.includes("--json") ? JSON.stringify(report, null, 2) : formatPlan(report));
        return report.policy.mandatory === 0 ? 0 : 1;
    },
);
