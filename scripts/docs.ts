// npm run docs : regenerates README.md's generated blocks (config reference, add-ons, architecture
// picture of prod, plan excerpt of dev) and docs/architecture-<stack>.md.
import * as fs from "fs";
import * as path from "path";
import { configReference, replaceGeneratedBlock } from "../components/config/reference";
import { addonReference } from "../components/k8s/addons";
import { REPO_ROOT } from "../tools/harness";
import { architectureMermaid, buildPlan, formatPlan, writeArchitecture } from "../tools/plan";

/** The part of the dev plan the README shows: the cost summary by component and service, what is not priced, and capacity. */
export function planExcerpt(text: string): string {
    const lines = text.split("\n");
    const cost = lines.findIndex((l) => l.startsWith("Cost ("));
    const byComponent = lines.findIndex((l, i) => i > cost && l.startsWith("component "));
    const capacityEnd = lines.length;
    return ["```text", lines[0], "", lines[cost], "", ...lines.slice(byComponent, capacityEnd), "```"].join(
        "\n",
    );
}

async function main(): Promise<void> {
    const readmePath = path.join(REPO_ROOT, "README.md");
    let readme = fs.readFileSync(readmePath, "utf8");
    readme = replaceGeneratedBlock(readme, "config-reference", configReference());
    readme = replaceGeneratedBlock(readme, "addons", addonReference());
    const prod = await buildPlan("prod");
    readme = replaceGeneratedBlock(
        readme,
        "architecture",
        "```mermaid\n" + architectureMermaid(prod.run) + "\n```",
    );
    const dev = await buildPlan("dev");
    readme = replaceGeneratedBlock(readme, "plan-excerpt", planExcerpt(formatPlan(dev.report)));
    fs.writeFileSync(readmePath, readme);
    writeArchitecture("prod", architectureMermaid(prod.run));
    writeArchitecture("dev", architectureMermaid(dev.run));
    console.log("README.md and docs/ updated");
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
