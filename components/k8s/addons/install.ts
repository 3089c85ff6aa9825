/**
 * How a stack installs the add-ons it enables: a namespace baseline per declared namespace (Pod
 * Security level from the declaration, the NetworkPolicies its metrics ports and Prometheus
 * queries need, a quota from the footprints), the record of each footprint, and the add-ons in
 * dependency order, each depending on its namespace and on the add-ons it declares.
 */
import * as pulumi from "@pulumi/pulumi";
import { APP_NAMESPACE, MONITORING_NAMESPACE } from "../../../vocabulary/platform";
import type { StackConfig } from "../../config";
import { costLabels, costTags } from "../../tags";
import { NamespaceBaseline } from "../namespace";
import { type AllowRule, allowFromNamespace, allowToNamespaces } from "../network-policies";
import { PriorityClasses } from "../priority-classes";
import {
    AddonContext,
    AddonDeclaration,
    FOOTPRINT_TYPE,
    ScrapeTarget,
    StackFacts,
    WorkloadFootprint,
} from "./addon";
import { PROMETHEUS_PORT } from "./monitoring/facts";
import { addonQuotas, type NamespaceQuota } from "./quotas";
import { addonOrder, Registry } from "./registry";

export interface InstallAddonsArgs {
    config: StackConfig;
    /** Namespaces and ports of the applications' metrics, scraped with the add-ons'. */
    appScrapeTargets: ScrapeTarget[];
    clusterName: pulumi.Input<string>;
    vpcId: pulumi.Input<string>;
    /** What the other layers made that the add-ons read (each add-on's facts.ts names its own). */
    facts: StackFacts;
}

/** What installAddons made: the add-ons' components by name, the namespaces, the priority classes. */
export interface InstalledPlatform {
    addons: Record<string, pulumi.ComponentResource>;
    namespaces: Record<string, NamespaceBaseline>;
    priorityClasses: PriorityClasses;
}

/** Every add-on namespace Prometheus scrapes, with the ports of the add-ons there. */
function addonScrapeTargets(order: AddonDeclaration[]): ScrapeTarget[] {
    return [...new Set(order.map((d) => d.namespace.name))]
        .map((namespace) => ({
            namespace,
            ports: [
                ...new Set(
                    order.filter((d) => d.namespace.name === namespace).flatMap((d) => d.metricsPorts ?? []),
                ),
            ].sort((a, b) => a - b),
        }))
        .filter((t) => t.ports.length > 0);
}

/** The record of an add-on's footprint, registered for the plan and the policy pack (type tacos:k8s:AddonFootprint). */
class AddonFootprint extends pulumi.ComponentResource {
    constructor(
        name: string,
        props: { addon: string; namespace: string; workloads: WorkloadFootprint[] },
        opts: pulumi.ComponentResourceOptions,
    ) {
        super(FOOTPRINT_TYPE, name, props, opts);
        this.registerOutputs(props);
    }
}

/** The one Pod Security level of the add-ons in `declaration`'s namespace; two levels in one namespace are a bug. */
function checkSharedLevel(order: AddonDeclaration[], declaration: AddonDeclaration): void {
    const nsName = declaration.namespace.name;
    const sharer = order.find(
        (d) => d.namespace.name === nsName && d.namespace.podSecurity !== declaration.namespace.podSecurity,
    );
    if (sharer) {
        throw new Error(
            `add-ons ${sharer.name} and ${declaration.name} share namespace ${nsName} but declare different Pod Security levels`,
        );
    }
}

/** What installAddons works out before it makes anything: the order, the footprints, the quotas, who talks to whom. */
interface InstallPlan {
    /** The enabled add-ons, dependencies first. */
    order: AddonDeclaration[];
    /** Each add-on's pods in this stack, by add-on. */
    footprints: Record<string, WorkloadFootprint[]>;
    /** Each namespace's quota and container limits, where every workload there is counted. */
    quotas: Record<string, NamespaceQuota>;
    /** Namespaces whose HTTPRoutes may attach to the Gateway: the applications' and routed add-ons'. */
    routeNamespaces: string[];
    /** The add-on namespaces Prometheus scrapes, with their ports. */
    addonTargets: ScrapeTarget[];
    /** Every namespace and port Prometheus scrapes: the add-ons' and the applications'. */
    scrapeTargets: ScrapeTarget[];
    /** Namespaces other than Prometheus' own whose add-ons query it. */
    prometheusClients: string[];
}

/** The plan of installing the enabled add-ons of `registry` in `args`' stack. */
function planInstall(registry: Registry, enabled: readonly string[], args: InstallAddonsArgs): InstallPlan {
    const order = addonOrder(registry, enabled);
    order.forEach((declaration) => checkSharedLevel(order, declaration));
    const footprints: Record<string, WorkloadFootprint[]> = Object.fromEntries(
        order.map((d) => [d.name, registry[d.name].footprint(args.config)]),
    );
    const quotas = addonQuotas(
        registry,
        order,
        footprints,
        args.config.costOptimization.quotaHeadroomPercent,
    );
    const routeNamespaces = [
        APP_NAMESPACE,
        ...order.filter((d) => d.routedThroughGateway).map((d) => d.namespace.name),
    ];
    const addonTargets = addonScrapeTargets(order);
    const scrapeTargets = [...addonTargets, ...args.appScrapeTargets];
    const prometheusClients = [
        ...new Set(order.filter((d) => d.queriesPrometheus).map((d) => d.namespace.name)),
    ].filter((ns) => ns !== MONITORING_NAMESPACE);
    return { order, footprints, quotas, routeNamespaces, addonTargets, scrapeTargets, prometheusClients };
}

/** The NetworkPolicies an add-on namespace has beyond its default deny: Prometheus's scrapes in, queries to it out. */
function namespaceAllowances(nsName: string, plan: InstallPlan): AllowRule[] {
    return [
        ...plan.addonTargets
            .filter((t) => t.namespace === nsName)
            .map((t) => allowFromNamespace("from-prometheus", MONITORING_NAMESPACE, t.ports)),
        ...(plan.prometheusClients.includes(nsName)
            ? [
                  allowToNamespaces("to-prometheus", [
                      { namespace: MONITORING_NAMESPACE, ports: [PROMETHEUS_PORT] },
                  ]),
              ]
            : []),
    ];
}

/** What `declaration`'s add-on is given to install itself: the stack, its plan, and where it goes. */
function addonContext(
    declaration: AddonDeclaration,
    args: InstallAddonsArgs,
    plan: InstallPlan,
    place: Pick<AddonContext, "labels" | "namespace" | "installed">,
): AddonContext {
    return {
        config: args.config,
        clusterName: args.clusterName,
        vpcId: args.vpcId,
        labels: place.labels,
        tags: costTags(args.config.tags, { component: declaration.component }),
        namespace: place.namespace,
        routeNamespaces: plan.routeNamespaces,
        installed: place.installed,
        facts: args.facts,
        prometheusClients: plan.prometheusClients,
        nodeTags: costTags(args.config.tags, { component: "application-nodes" }),
        scrapeTargets: plan.scrapeTargets,
    };
}

/** Installs the enabled add-ons of `registry`, each in its own namespace baseline, dependencies first. */
export function installAddons(
    registry: Registry,
    enabled: readonly string[],
    args: InstallAddonsArgs,
    opts: pulumi.ComponentResourceOptions,
): InstalledPlatform {
    const plan = planInstall(registry, enabled, args);
    const priorityClasses = new PriorityClasses(
        "priority-classes",
        { labels: costLabels(args.config.tags, { component: "platform" }) },
        opts,
    );
    const installed: Record<string, pulumi.ComponentResource> = {};
    const namespaces: Record<string, NamespaceBaseline> = {};
    for (const declaration of plan.order) {
        const labels = costLabels(args.config.tags, { component: declaration.component });
        const nsName = declaration.namespace.name;
        namespaces[nsName] ??= new NamespaceBaseline(
            `ns-${nsName}`,
            {
                name: nsName,
                enforce: declaration.namespace.podSecurity,
                labels,
                defaultDeny: args.config.securityPolicy.defaultDenyNetworkPolicies,
                ...plan.quotas[nsName],
                allow: namespaceAllowances(nsName, plan),
            },
            opts,
        );
        new AddonFootprint(
            `footprint-${declaration.name}`,
            { addon: declaration.name, namespace: nsName, workloads: plan.footprints[declaration.name] },
            opts,
        );
        installed[declaration.name] = registry[declaration.name].install(
            addonContext(declaration, args, plan, { labels, namespace: namespaces[nsName].name, installed }),
            {
                ...opts,
                dependsOn: [
                    namespaces[nsName],
                    priorityClasses,
                    ...declaration.dependsOn.map((dep) => installed[dep]),
                ],
            },
        );
    }
    return { addons: installed, namespaces, priorityClasses };
}
