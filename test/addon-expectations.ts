/**
 * What the add-on registry's declarations (components/k8s/addons) say a stack must create, read
 * field by field from each declaration, for the tests to compare with what the program run
 * registered. Nothing here calls the registry's own functions (registry.ts, install.ts): a mistake
 * there shows as a difference between these expectations and the run.
 */
import { ADDONS } from "../components/k8s/addons";
import type { AddonDeclaration } from "../components/k8s/addons/addon";

/** Every registered add-on's declaration. */
export const DECLARATIONS: readonly AddonDeclaration[] = Object.values(ADDONS).map((a) => a.declaration);

/** Prometheus' own namespace (the monitoring add-on's): it scrapes and serves queries there without a policy. */
export const PROMETHEUS_NAMESPACE = ADDONS.monitoring.declaration.namespace.name;

/**
 * The installed add-ons: every registered one, or a stack's (`installed`, the names its
 * `tacos:addons.enabled` leaves on). Each expectation below takes them.
 */
type Installed = readonly string[] | undefined;
const declarationsOf = (installed: Installed) =>
    DECLARATIONS.filter((d) => installed === undefined || installed.includes(d.name));

/** The declarations of the installed add-ons in `namespace`. */
const sharing = (namespace: string, installed?: Installed) =>
    declarationsOf(installed).filter((d) => d.namespace.name === namespace);

/** Every namespace an installed add-on declares, once, sorted. */
export const addonNamespacesOf = (installed?: Installed): string[] =>
    [...new Set(declarationsOf(installed).map((d) => d.namespace.name))].sort();

/** Each add-on namespace's Pod Security level (add-ons share a namespace only at one level). */
export const declaredLevels = (installed?: Installed): Record<string, string> =>
    Object.fromEntries(
        addonNamespacesOf(installed).map((ns) => [ns, sharing(ns, installed)[0].namespace.podSecurity]),
    );

/** The declaration of the add-on `name`. */
const declarationOf = (name: string) => DECLARATIONS.find((d) => d.name === name)!;

/** Whether the add-on `from` needs `to`, directly or through the add-ons it needs. */
const needs = (from: AddonDeclaration, to: string): boolean =>
    from.dependsOn.some((dep) => dep === to || needs(declarationOf(dep), to));

/**
 * The cost component of each add-on namespace: its add-on's; a shared namespace is made by the
 * add-on the others sharing it need (installed first), and carries that one's.
 */
export function declaredComponents(installed?: Installed): Record<string, string> {
    return Object.fromEntries(
        addonNamespacesOf(installed).map((ns) => {
            const sharers = sharing(ns, installed);
            const first = sharers.filter((d) => sharers.every((o) => o === d || needs(o, d.name)));
            if (first.length !== 1) {
                throw new Error(
                    `${ns} is shared by ${sharers.map((d) => d.name).join(", ")}, none of which the others need: whose component labels it is not declared`,
                );
            }
            return [ns, first[0].component];
        }),
    );
}

/** The ports Prometheus scrapes in each add-on namespace but its own: its add-ons' metrics ports, sorted. */
export function declaredScrapePorts(installed?: Installed): Record<string, number[]> {
    return Object.fromEntries(
        addonNamespacesOf(installed)
            .filter((ns) => ns !== PROMETHEUS_NAMESPACE)
            .map((ns) => [
                ns,
                [...new Set(sharing(ns, installed).flatMap((d) => d.metricsPorts ?? []))].sort(
                    (a, b) => a - b,
                ),
            ])
            .filter(([, ports]) => ports.length > 0),
    );
}

/** The namespaces, other than Prometheus' own, of the add-ons that query Prometheus, sorted. */
export const declaredPrometheusClients = (installed?: Installed): string[] =>
    [
        ...new Set(
            declarationsOf(installed)
                .filter((d) => d.queriesPrometheus)
                .map((d) => d.namespace.name),
        ),
    ]
        .filter((ns) => ns !== PROMETHEUS_NAMESPACE)
        .sort();

/** Each add-on workload identity's `[namespace, service account]`, by its key. */
export const declaredIdentities = (installed?: Installed): Record<string, [string, string]> =>
    Object.fromEntries(
        declarationsOf(installed).flatMap((d) =>
            d.identity ? [[d.identity.key, [d.namespace.name, d.identity.serviceAccount]]] : [],
        ),
    );

/** `<namespace>/<service account>` of every add-on's workload identity, sorted. */
export const declaredIdentityAccounts = (installed?: Installed): string[] =>
    Object.values(declaredIdentities(installed))
        .map(([namespace, account]) => `${namespace}/${account}`)
        .sort();

/** The identity keys of the registered add-ons a stack does not install. */
export const switchedOffIdentities = (installed: readonly string[]): string[] =>
    DECLARATIONS.filter((d) => !installed.includes(d.name)).flatMap((d) =>
        d.identity ? [d.identity.key] : [],
    );
