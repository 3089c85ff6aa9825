/**
 * The cluster add-ons, and how a stack installs the ones it enables: a namespace baseline per
 * declared namespace (Pod Security level from the declaration), the add-ons in dependency
 * order, each depending on its namespace and on the add-ons it declares.
 */
import * as pulumi from "@pulumi/pulumi";
import { APP_NAMESPACE } from "../../../policy/shared";
import type { WorkloadIdentityDeclaration } from "../../aws/identity";
import { ConfigError, StackConfig } from "../../config";
import { costLabels, costTags } from "../../tags";
import { NamespaceBaseline } from "../namespace";
import { PriorityClasses } from "../priority-classes";
import type { Addon, AddonDeclaration } from "./addon";
import { argoCdAddon } from "./argocd";
import { gatewayAddon } from "./gateway";
import { karpenterAddon, KarpenterAwsFacts } from "./karpenter";
import { kedaAddon } from "./keda";
import { metricsServerAddon } from "./metrics-server";

export const ADDONS = {
    "metrics-server": metricsServerAddon,
    karpenter: karpenterAddon,
    gateway: gatewayAddon,
    keda: kedaAddon,
    argocd: argoCdAddon,
};

export type AddonName = keyof typeof ADDONS;

/** Every third-party chart an add-on installs, pinned in its folder. */
export const PINNED_CHARTS = Object.values(ADDONS).flatMap((addon) => addon.declaration.charts);

/** The component of each installed add-on, by name. */
export type InstalledAddons = { -readonly [K in AddonName]?: ReturnType<(typeof ADDONS)[K]["install"]> };

/** The declarations of `enabled`, dependencies first; an add-on whose dependency is not enabled is an error. */
export function addonOrder(enabled: readonly AddonName[]): AddonDeclaration[] {
    const missing = enabled.flatMap((name) => ADDONS[name].declaration.dependsOn.filter((dep) => !enabled.includes(dep)).map((dep) => `${name} needs ${dep}`));
    if (missing.length > 0) {
        throw new Error(`Enabled add-ons lack their dependencies: ${missing.join("; ")}`);
    }
    const ordered: AddonDeclaration[] = [];
    const visit = (name: AddonName, path: AddonName[]) => {
        if (ordered.some((d) => d.name === name)) return;
        if (path.includes(name)) throw new Error(`Add-on dependencies form a cycle: ${[...path, name].join(" -> ")}`);
        const declaration = ADDONS[name].declaration;
        declaration.dependsOn.forEach((dep) => visit(dep, [...path, name]));
        ordered.push(declaration);
    };
    enabled.forEach((name) => visit(name, []));
    return ordered;
}

/**
 * Checks, before anything is created, that the enabled add-ons can be installed as the stack
 * says: their dependencies enabled (addonOrder), their namespaces and the application namespace
 * in the SecurityPolicy's allowed namespaces. One ConfigError names every problem.
 */
export function checkAddons(enabled: readonly AddonName[], config: StackConfig): void {
    const allowed = config.securityPolicy.allowedNamespaces;
    const wanted = [...addonOrder(enabled).map((d) => ({ ns: d.namespace.name, by: `the ${d.name} add-on` })), { ns: APP_NAMESPACE, by: "the applications" }];
    const problems = wanted.filter((w) => !allowed.includes(w.ns)).map((w) => `securityPolicy.allowedNamespaces must include ${w.ns} (${w.by})`);
    if (problems.length > 0) {
        throw new ConfigError(problems);
    }
}

/** The workload identities the enabled add-ons declare, by their keys. */
export function addonIdentities(enabled: readonly AddonName[]): Record<string, WorkloadIdentityDeclaration> {
    return Object.fromEntries(addonOrder(enabled).flatMap((d) => d.identity
        ? [[d.identity.key, { namespace: d.namespace.name, serviceAccount: d.identity.serviceAccount, grants: d.identity.grants, attribution: { component: d.component } }]]
        : []));
}

export interface InstallAddonsArgs {
    config: StackConfig;
    clusterName: pulumi.Input<string>;
    vpcId: pulumi.Input<string>;
    /** What the AWS layer made for Karpenter (needed when it is enabled). */
    karpenter?: KarpenterAwsFacts;
}

/** Installs the enabled add-ons, each in its own namespace baseline, dependencies first. */
export function installAddons(enabled: readonly AddonName[], args: InstallAddonsArgs, opts: pulumi.ComponentResourceOptions): { addons: InstalledAddons; namespaces: Record<string, NamespaceBaseline>; priorityClasses: PriorityClasses } {
    const order = addonOrder(enabled);
    const priorityClasses = new PriorityClasses("priority-classes", { labels: costLabels(args.config.tags, { component: "platform" }) }, opts);
    const installed: InstalledAddons = {};
    const namespaces: Record<string, NamespaceBaseline> = {};
    const routeNamespaces = [APP_NAMESPACE, ...order.filter((d) => d.routedThroughGateway).map((d) => d.namespace.name)];
    for (const declaration of order) {
        const labels = costLabels(args.config.tags, { component: declaration.component });
        const nsName = declaration.namespace.name;
        const sharer = order.find((d) => d.namespace.name === nsName && d.namespace.podSecurity !== declaration.namespace.podSecurity);
        if (sharer) {
            throw new Error(`add-ons ${sharer.name} and ${declaration.name} share namespace ${nsName} but declare different Pod Security levels`);
        }
        namespaces[nsName] ??= new NamespaceBaseline(`ns-${nsName}`, {
            name: nsName,
            enforce: declaration.namespace.podSecurity,
            labels,
            defaultDeny: args.config.securityPolicy.defaultDenyNetworkPolicies,
        }, opts);
        const addon = ADDONS[declaration.name] as Addon;
        const component = addon.install({
            config: args.config,
            clusterName: args.clusterName,
            vpcId: args.vpcId,
            labels,
            tags: costTags(args.config.tags, { component: declaration.component }),
            namespace: namespaces[nsName].name,
            routeNamespaces,
            installed,
            karpenter: args.karpenter,
            nodeTags: costTags(args.config.tags, { component: "application-nodes" }),
        }, { ...opts, dependsOn: [namespaces[nsName], priorityClasses, ...declaration.dependsOn.map((dep) => installed[dep] as pulumi.Resource)] });
        (installed as Record<string, pulumi.ComponentResource>)[declaration.name] = component;
    }
    return { addons: installed, namespaces, priorityClasses };
}

/** The README's table of add-ons: namespace, Pod Security level and why, charts, identity, dependencies. */
export function addonReference(): string {
    const rows = Object.values(ADDONS).map(({ declaration: d }) => {
        const level = d.namespace.podSecurity === "restricted" ? "restricted" : `${d.namespace.podSecurity}: ${d.namespace.reason}`;
        const charts = d.charts.map((c) => `${c.chart} ${c.version}`).join(", ");
        const identity = d.identity ? `\`${d.namespace.name}/${d.identity.serviceAccount}\`` : "none";
        return `| ${d.name} | ${d.description} | \`${d.namespace.name}\` | ${level} | ${charts} | ${identity} | ${d.dependsOn.join(", ") || "none"} |`;
    });
    return [
        "| add-on | what | namespace | Pod Security (enforced) | charts | AWS identity | needs |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        ...rows,
        `| (applications) | the five services | \`${APP_NAMESPACE}\` | the stack's securityPolicy.podSecurityLevel (default restricted) | charts/tacos-service | one per service that uses AWS | all of the above |`,
    ].join("\n");
}
