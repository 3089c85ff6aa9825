// npx tsx scripts/plan-comment.ts --against <git-ref> --out <file> <stack>...
// The pull request's plan check: each stack's plan compared with the revision's (one stack after
// another), the comment (tools/plan/compare-comment.ts) written to <file>, and the same body with
// every comparison whole printed on stdout for the job summary. A stack the revision does not have
// is new: its plan's totals are shown, not judged, and its mandatory violations fail it. A stack
// whose comparison cannot be made is reported in the comment and the others still run.
// Exits 1 when a stack's verdict failed, 2 when a comparison could not be made or on a usage error.
import * as fs from "fs";
import { optionValue } from "../tools/cli";
import { buildPlan, readPricing } from "../tools/plan";
import { baseHasStack, buildComparison } from "../tools/plan/compare-base";
import { addedStack, commentBody, overallStatus, StackOutcome } from "../tools/plan/compare-comment";

const USAGE = "usage: npx tsx scripts/plan-comment.ts --against <git-ref> --out <file> <stack>...";

/** The workflow run's page, from the variables GitHub Actions sets; undefined elsewhere. */
function runUrl(env = process.env): string | undefined {
    const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: id } = env;
    return server && repo && id ? `${server}/${repo}/actions/runs/${id}` : undefined;
}

async function main(argv: string[]): Promise<number> {
    const against = optionValue("--against", argv);
    const out = optionValue("--out", argv);
    const stacks = argv.filter(
        (a, i) => !a.startsWith("--") && !["--against", "--out"].includes(argv[i - 1]),
    );
    if (!against || !out || against.startsWith("--") || out.startsWith("--") || stacks.length === 0) {
        throw Object.assign(new Error(USAGE), { usage: true });
    }
    const outcomes: StackOutcome[] = [];
    for (const stack of stacks) {
        try {
            if (baseHasStack(against, stack)) {
                outcomes.push({ stack, comparison: await buildComparison(stack, against) });
            } else {
                const { report } = await buildPlan(stack, undefined, readPricing(), {
                    secrets: "stack-file",
                });
                outcomes.push({ stack, added: addedStack(report) });
            }
        } catch (e) {
            outcomes.push({ stack, error: (e as Error).message });
        }
    }
    fs.writeFileSync(out, commentBody(against, outcomes, runUrl()));
    console.log(commentBody(against, outcomes, undefined, Infinity));
    return { passed: 0, failed: 1, error: 2 }[overallStatus(outcomes)];
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: Error & { usage?: boolean }) => {
        console.error(e.usage ? e.message : `plan-comment: ${e.message}`);
        process.exit(2);
    },
);
