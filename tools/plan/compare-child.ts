/**
 * The base side of a plan comparison, run inside a temporary checkout of the base revision: this
 * file is copied into that checkout's tools/plan/ and imports only what a revision's plan already
 * offers there (buildPlan, readPricing), so that the base's own code builds the base's plan.
 * Usage (from the checkout's root): tsx tools/plan/compare-child.ts <stack> <output file>.
 */
import * as fs from "fs";
import { buildPlan, readPricing } from "./index";

/** Registrations as the comparison keeps them, with the repository's root written as "<root>" so that two checkouts compare equal. */
export function resourceRecords(
    resources: { urn: string; type: string; name: string; inputs: Record<string, unknown> }[],
    root: string,
): { urn: string; type: string; name: string; inputs: Record<string, unknown> }[] {
    const text = JSON.stringify(
        resources.map(({ urn, type, name, inputs }) => ({ urn, type, name, inputs })),
    );
    return JSON.parse(text.split(JSON.stringify(root).slice(1, -1)).join("<root>"));
}

if (require.main === module) {
    const [stack, output] = process.argv.slice(2);
    buildPlan(stack, undefined, readPricing(), { secrets: "stack-file" }).then(
        ({ report, run }) => {
            // A revision whose buildPlan returned no run leaves the registrations out: the comparison says so.
            const resources = run ? resourceRecords(run.resources, process.cwd()) : undefined;
            fs.writeFileSync(output, JSON.stringify({ report, resources }));
        },
        (e: Error) => {
            console.error(e.message);
            process.exit(2);
        },
    );
}
