/**
 * The destroy order of a program run, as Pulumi's engine derives it from the state: a resource is
 * deleted before everything it depends on, and a resource depends on its `dependsOn` and the
 * resources its inputs came from (both recorded as the registration's dependencies; a `dependsOn`
 * on a component stands for every custom resource under it when the dependent registers), on its
 * parent (children go before their parent) and on its provider (everything a provider manages
 * goes before the provider): pulumi/pulumi pkg/resource/graph/dependency_graph.go,
 * `DependenciesOf` (provider, parent, dependencies, property dependencies, deletedWith), and the
 * Node.js SDK's runtime/dependsOn.js at @pulumi/pulumi 3.270.0 (a component's custom resources).
 */
import type { RecordedResource } from "../registrations";

/** The dependency graph of a run's resources, read in destroy order. */
export interface DestroyGraph {
    byUrn: Map<string, RecordedResource>;
    /** What a resource must outlast on destroy: its dependencies, parent and provider. */
    dependenciesOf(urn: string): string[];
    /** Whether `urn` transitively depends on `on` (so a destroy removes `urn` first). */
    dependsOn(urn: string, on: string): boolean;
    /**
     * The earliest step of a fully parallel destroy at which the resource can go: 0 when nothing
     * depends on it, else one more than the latest step of what depends on it.
     */
    stepOf(urn: string): number;
}

/** The provider's URN of a provider reference (`<urn>::<id>`). */
const providerUrn = (reference: string): string => reference.slice(0, reference.lastIndexOf("::"));

/** The graph of `resources` (a run's registrations). */
export function destroyGraph(resources: readonly RecordedResource[]): DestroyGraph {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const edges = new Map(
        resources.map((r) => [
            r.urn,
            [
                ...new Set([
                    ...r.options.dependsOn,
                    ...(r.options.parent ? [r.options.parent] : []),
                    ...(r.options.provider ? [providerUrn(r.options.provider)] : []),
                ]),
            ].filter((urn) => byUrn.has(urn)),
        ]),
    );
    const dependents = new Map<string, string[]>();
    for (const [urn, targets] of edges) {
        for (const target of targets) dependents.set(target, [...(dependents.get(target) ?? []), urn]);
    }
    const closures = new Map<string, Set<string>>();
    const closure = (urn: string): Set<string> => {
        const known = closures.get(urn);
        if (known) return known;
        const reached = new Set<string>();
        const pending = [...(edges.get(urn) ?? [])];
        while (pending.length > 0) {
            const next = pending.pop()!;
            if (reached.has(next)) continue;
            reached.add(next);
            pending.push(...(edges.get(next) ?? []));
        }
        closures.set(urn, reached);
        return reached;
    };
    const steps = new Map<string, number>();
    const stepOf = (urn: string): number => {
        const known = steps.get(urn);
        if (known !== undefined) return known;
        const step = Math.max(-1, ...(dependents.get(urn) ?? []).map(stepOf)) + 1;
        steps.set(urn, step);
        return step;
    };
    return {
        byUrn,
        dependenciesOf: (urn) => edges.get(urn) ?? [],
        dependsOn: (urn, on) => closure(urn).has(on),
        stepOf,
    };
}
