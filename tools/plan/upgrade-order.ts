/**
 * The order `pulumi up` applies an upgrade's changes in: Pulumi updates a resource only once
 * every resource it depends on is done, so the changed resources fall into steps by the longest
 * chain of changed resources beneath each (dependencies and providers read from the program's
 * registrations; a dependency on a component waits for all of its children).
 */
import { ProgramRun, RecordedResource } from "../harness";

/** One step of the upgrade: what `pulumi up` changes once the steps before it are done. */
export interface UpgradeStep {
    step: number;
    changes: string[];
}

/** Every resource `urn` waits for, through dependencies and components' children. */
function waitsFor(run: ProgramRun): (urn: string) => Set<string> {
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    const children = new Map<string, string[]>();
    for (const r of run.resources) {
        children.set(r.options.parent, [...(children.get(r.options.parent) ?? []), r.urn]);
    }
    const memo = new Map<string, Set<string>>();
    const visit = (urn: string): Set<string> => {
        const known = memo.get(urn);
        if (known) return known;
        const all = new Set<string>();
        memo.set(urn, all);
        const r = byUrn.get(urn);
        // A provider reference is `<urn>::<id>`: the resource waits for its provider too.
        const provider = r?.options.provider
            ? [r.options.provider.slice(0, r.options.provider.lastIndexOf("::"))]
            : [];
        const direct = [
            ...(r?.options.dependsOn ?? []),
            ...provider,
            ...(r && !r.custom ? (children.get(urn) ?? []) : []),
        ];
        for (const d of direct) {
            all.add(d);
            visit(d).forEach((x) => all.add(x));
        }
        return all;
    };
    return visit;
}

/** The changed resources of `run` (with a label each) in the steps `pulumi up` takes. */
export function upgradeSteps(
    run: ProgramRun,
    changed: { resource: RecordedResource; label: string }[],
): UpgradeStep[] {
    const deps = waitsFor(run);
    const depth = new Map<string, number>();
    const depthOf = (urn: string): number => {
        if (!depth.has(urn)) {
            // Only strictly before: a resource reached through a component that holds it waits for nothing of its own.
            const below = changed
                .filter((c) => deps(urn).has(c.resource.urn) && !deps(c.resource.urn).has(urn))
                .map((c) => depthOf(c.resource.urn));
            depth.set(urn, 1 + Math.max(0, ...below));
        }
        return depth.get(urn)!;
    };
    const steps: UpgradeStep[] = [];
    for (const c of changed) {
        const n = depthOf(c.resource.urn);
        steps[n - 1] ??= { step: n, changes: [] };
        steps[n - 1].changes.push(c.label);
    }
    return steps.filter(Boolean);
}
