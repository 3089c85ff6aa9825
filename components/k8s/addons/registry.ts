/**
 * What the registry's declarations decide before anything is installed: the order of the enabled
 * add-ons, the stack's checks of them, their workload identities and namespaces. Every function takes the registry (components/k8s/addons/index.ts) as its argument, so
 * that nothing here imports an add-on.
 */
import { APP_NAMESPACE } from "../../../vocabulary/platform";
import type { AccessGrant, AwsScope } from "../../aws/access";
import type { WorkloadIdentityDeclaration } from "../../aws/identity";
import { ConfigError, StackConfig } from "../../config";
import type { Addon, AddonDeclaration, StackFacts } from "./addon";

/** The add-ons by name: each one's key is its declaration's name. */
export type Registry = Readonly<Record<string, Addon>>;

/** Each enabled add-on's dependency that is not enabled. */
function missingDependencies(
    registry: Registry,
    enabled: readonly string[],
): { name: string; dep: string }[] {
    return enabled.flatMap((name) =>
        registry[name].declaration.dependsOn
            .filter((dep) => !enabled.includes(dep))
            .map((dep) => ({ name, dep })),
    );
}

/** The declarations of `enabled`, dependencies first; an add-on whose dependency is not enabled is an error. */
export function addonOrder(registry: Registry, enabled: readonly string[]): AddonDeclaration[] {
    const missing = missingDependencies(registry, enabled).map(({ name, dep }) => `${name} needs ${dep}`);
    if (missing.length > 0) {
        throw new Error(`Enabled add-ons lack their dependencies: ${missing.join("; ")}`);
    }
    const ordered: AddonDeclaration[] = [];
    const visit = (name: string, path: string[]) => {
        if (ordered.some((d) => d.name === name)) return;
        if (path.includes(name))
            throw new Error(`Add-on dependencies form a cycle: ${[...path, name].join(" -> ")}`);
        const declaration = registry[name].declaration;
        declaration.dependsOn.forEach((dep) => visit(dep, [...path, name]));
        ordered.push(declaration);
    };
    enabled.forEach((name) => visit(name, []));
    return ordered;
}

/**
 * Checks, before anything is created, that the enabled add-ons can be installed as the stack
 * says: no dependency switched off, their namespaces and the application namespace
 * in the SecurityPolicy's allowed namespaces. One ConfigError names every problem.
 */
export function checkAddons(registry: Registry, enabled: readonly string[], config: StackConfig): void {
    // `enabled` is the stack's: a dependency missing from it is switched off in the stack file.
    const switchedOff = missingDependencies(registry, enabled).map(
        ({ name, dep }) => `addons.enabled.${dep} is false, but the ${name} add-on needs it: switch it on`,
    );
    if (switchedOff.length > 0) {
        throw new ConfigError(switchedOff);
    }
    const allowed = allowedNamespaces(registry, config);
    const wanted = [
        ...addonOrder(registry, enabled).map((d) => ({ ns: d.namespace.name, by: `the ${d.name} add-on` })),
        { ns: APP_NAMESPACE, by: "the applications" },
    ];
    const problems = wanted
        .filter((w) => !allowed.includes(w.ns))
        .map((w) => `securityPolicy.allowedNamespaces must include ${w.ns} (${w.by})`);
    if (problems.length > 0) {
        throw new ConfigError(problems);
    }
}

/**
 * The workload identities the enabled add-ons declare, by their keys: their grants, then their
 * own statements in this stack's scope, built from the facts installAddons is given.
 */
export function addonIdentities(
    registry: Registry,
    enabled: readonly string[],
    aws: AwsScope,
    facts: StackFacts,
): Record<string, WorkloadIdentityDeclaration> {
    return Object.fromEntries(
        addonOrder(registry, enabled).flatMap(({ identity, namespace, component }) => {
            if (!identity) return [];
            const grants: AccessGrant[] = [
                ...(identity.grants ?? []),
                ...(identity.statements
                    ? [{ kind: "statements" as const, statements: identity.statements(aws, facts) }]
                    : []),
            ];
            const declaration: WorkloadIdentityDeclaration = {
                namespace: namespace.name,
                serviceAccount: identity.serviceAccount,
                grants,
                attribution: { component },
            };
            return [[identity.key, declaration]];
        }),
    );
}

/** The namespaces of the enabled add-ons. */
export function addonNamespaces(registry: Registry, enabled: readonly string[]): string[] {
    return [...new Set(addonOrder(registry, enabled).map((d) => d.namespace.name))];
}

/** The namespaces a stack allows when its config names none: every add-on's and the applications', sorted. */
export function defaultAllowedNamespaces(registry: Registry): string[] {
    return [...new Set([...addonNamespaces(registry, Object.keys(registry)), APP_NAMESPACE])].sort();
}

/** The namespaces a stack allows: its SecurityPolicy's list, or the default when it names none. */
export function allowedNamespaces(registry: Registry, config: StackConfig): string[] {
    return config.securityPolicy.allowedNamespaces ?? defaultAllowedNamespaces(registry);
}
