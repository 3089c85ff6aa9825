// npm run docs : regenerates every generated page of docs/: the add-on pages and their index, the
// config reference, the policy rules, the dev plan excerpt and the architecture pictures.
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "../tools/harness";
import { DOC_STACKS, expectedText, generatedPages } from "../tools/docs/pages";
import { architectureMermaid, buildPlan, writeArchitecture } from "../tools/plan";

async function main(): Promise<void> {
    const plans: Record<string, Awaited<ReturnType<typeof buildPlan>>> = {};
    for (const stack of DOC_STACKS) plans[stack] = await buildPlan(stack);
    for (const [file, page] of Object.entries(generatedPages(plans.dev.report))) {
        const text = expectedText(file, page);
        fs.mkdirSync(path.dirname(path.join(REPO_ROOT, file)), { recursive: true });
        fs.writeFileSync(path.join(REPO_ROOT, file), text);
    }
    for (const stack of DOC_STACKS) writeArchitecture(stack, architectureMermaid(plans[stack].run));
    console.log("docs/ updated");
}

if (require.main === module) {
    main().then(
        () => process.exit(0),
        (e) => {
            console.error(`docs: ${(e as Error).message}`);
            process.exit(2);
        },
    );
}
