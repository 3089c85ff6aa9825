/**
 * Every page `npm run docs` generates, and what each holds today: whole pages (the add-ons') and
 * generated blocks inside hand-written pages (the config reference, the rules, the plan excerpt).
 * scripts/docs.ts writes them; test/docs.test.ts fails when a file differs from them.
 */
import * as fs from "fs";
import * as path from "path";
import { configReference } from "../../components/config/reference";
import { enabledAddons } from "../../components/k8s/addons";
import type { Addon } from "../../components/k8s/addons/addon";
import { parsedStackConfig, REPO_ROOT } from "../harness";
import { formatPlan, PlanReport } from "../plan";
import { addonPages } from "./addons";
import { replaceGeneratedBlock } from "./markdown";
import { planExcerpt } from "./plan-excerpt";
import { policyTable } from "./policies";

/** The stacks the pages describe, in the order their columns appear. */
export const DOC_STACKS = ["dev", "prod", "review"] as const;

/** A generated block (between `<!-- name:start ... -->` and `<!-- name:end -->`) of a hand-written page. */
interface GeneratedBlock {
    block: string;
    content: string;
}

/** Each generated page's path (from the repository root) and its text, or its generated block. */
export type GeneratedPages = Record<string, string | GeneratedBlock>;

/** Every generated page, the plan excerpt from the dev stack's `devPlan`. */
export function generatedPages(devPlan: PlanReport): GeneratedPages {
    const configs = Object.fromEntries(DOC_STACKS.map((stack) => [stack, parsedStackConfig(stack)]));
    const footprints = Object.fromEntries(
        DOC_STACKS.map((stack) => {
            const enabled: string[] = enabledAddons(configs[stack]);
            // An add-on the stack switches off runs no pods there.
            const footprintOf = (addon: Addon) =>
                enabled.includes(addon.declaration.name) ? addon.footprint(configs[stack]) : [];
            return [stack, footprintOf];
        }),
    );
    return {
        ...addonPages(footprints),
        "docs/config-reference.md": { block: "config-reference", content: configReference() },
        "docs/policies.md": { block: "policy-rules", content: policyTable(DOC_STACKS) },
        "docs/plan.md": { block: "plan-excerpt", content: planExcerpt(formatPlan(devPlan)) },
    };
}

/** What the file at `file` should hold: `page` itself, or the file with its block brought up to date. */
export function expectedText(file: string, page: string | GeneratedBlock): string {
    if (typeof page === "string") return page;
    const current = fs.readFileSync(path.join(REPO_ROOT, file), "utf8");
    try {
        return replaceGeneratedBlock(current, page.block, page.content);
    } catch (e) {
        throw new Error(`${file}: ${(e as Error).message}`);
    }
}
