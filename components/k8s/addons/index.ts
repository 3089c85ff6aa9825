/**
 * The cluster add-ons, and how a stack installs the ones it enables: a namespace baseline per
 * declared namespace (Pod Security level from the declaration), the add-ons in dependency
 * order, each depending on its namespace and on the add-ons it declares.
 */
import * as pulumi from "@pulumi/pulumi";
import { APP_NAMESPACE, MONITORING_NAMESPACE } from "../../../vocabulary/platform";
import type { WorkloadIdentityDeclaration } from "../../aws/identity";
import { ConfigError, StackConfig } from "../../config";
import { costLabels, costTags } from "../../tags";
import { NamespaceBaseline } from "../namespace";
import { PriorityClasses } from "../priority-classes";
import { computeContainerLimits, computeQuota, SizedService } from "../quota";
import { allowFromNamespace, allowToNamespaces } from "../network-policies";
import {
    Addon,
    AddonDeclaration,
    FOOTPRINT_TYPE,
    ObservabilityAwsFacts,
    PlatformAlerts,
    ScrapeTarget,
    WorkloadFootprint,
} from "./addon";
import { argoCdAddon } from "./argocd";
import { gatewayAddon } from "./gateway";
import { karpenterAddon, KarpenterAwsFacts } from "./karpenter";
import { kedaAddon } from "./keda";
import { meshAddon } from "./mesh";
import { meshNodeAddon } from "./mesh-node";
import { metricsServerAddon } from "./metrics-server";
import { grafanaAddon } from "./grafana";
import { loggingAddon } from "./logging";
import { monitoringAddon, PROMETHEUS_PORT } from "./monitoring";
import { nodeExporterAddon } from "./node-exporter";
import { opencostAddon } from "./opencost";
import { rolloutsAddon } from "./rollouts";
import { tracingAddon } from "./tracing";
import { vpaAddon } from "./vpa";

export const ADDONS = {
    mesh: meshAddon,
    "mesh-node": meshNodeAddon,
    monitoring: monitoringAddon,
    "node-exporter": nodeExporterAddon,
    tracing: tracingAddon,
    logging: loggingAddon,
    "metrics-server": metricsServerAddon,
    vpa: vpaAddon,
    karpenter: karpenterAddon,
    gateway: gatewayAddon,
    keda: kedaAddon,
    argocd: argoCdAddon,
    grafana: grafanaAddon,
    opencost: opencostAddon,
    rollouts: rolloutsAddon,
};

export type AddonName = keyof typeof ADDONS;

/** Every third-party chart an add-on installs, pinned in its folder. */
export const PINNED_CHARTS = Object.values(ADDONS).flatMap((addon) => addon.declaration.charts);

/** The component of each installed add-on, by name. */
export type InstalledAddons = { -readonly [K in AddonName]?: ReturnType<(typeof ADDONS)[K]["install"]> };

/** The declarations of `enabled`, dependencies first; an add-on whose dependency is not enabled is an error. */
export function addonOrder(enabled: readonly AddonName[]): AddonDeclaration[] {
    const missing = enabled.flatMap((name) =>
        ADDONS[name].declaration.dependsOn
            .filter((dep) => !enabled.includes(dep))
            .map((dep) => `${name} needs ${dep}`),
    );
    if (missing.length > 0) {
        throw new Error(`Enabled add-ons lack their dependencies: ${missing.join("; ")}`);
    }
    const ordered: AddonDeclaration[] = [];
    const visit = (name: AddonName, path: AddonName[]) => {
        if (ordered.some((d) => d.name === name)) return;
        if (path.includes(name))
            throw new Error(`Add-on dependencies form a cycle: ${[...path, name].join(" -> ")}`);
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
    const wanted = [
        ...addonOrder(enabled).map((d) => ({ ns: d.namespace.name, by: `the ${d.name} add-on` })),
        { ns: APP_NAMESPACE, by: "the applications" },
    ];
    const problems = wanted
        .filter((w) => !allowed.includes(w.ns))
        .map((w) => `securityPolicy.allowedNamespaces must include ${w.ns} (${w.by})`);
    if (problems.length > 0) {
        throw new ConfigError(problems);
    }
}

/** The workload identities the enabled add-ons declare, by their keys. */
export function addonIdentities(enabled: readonly AddonName[]): Record<string, WorkloadIdentityDeclaration> {
    return Object.fromEntries(
        addonOrder(enabled).flatMap((d) =>
            d.identity
                ? [
                      [
                          d.identity.key,
                          {
                              namespace: d.namespace.name,
                              serviceAccount: d.identity.serviceAccount,
                              grants: d.identity.grants,
                              attribution: { component: d.component },
                          },
                      ],
                  ]
                : [],
        ),
    );
}

export interface InstallAddonsArgs {
    config: StackConfig;
    /** Namespaces and ports of the applications' metrics, scraped with the add-ons'. */
    appScrapeTargets: ScrapeTarget[];
    clusterName: pulumi.Input<string>;
    vpcId: pulumi.Input<string>;
    /** What the AWS layer made for Karpenter (needed when it is enabled). */
    karpenter?: KarpenterAwsFacts;
    /** What the AWS layer made for observability (needed by monitoring). */
    observability?: ObservabilityAwsFacts;
    /** The platform's alerts (needed by monitoring). */
    alerts?: PlatformAlerts;
    /** Grafana's dashboards, by file name. */
    dashboards?: Record<string, object>;
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

/** The namespaces of the enabled add-ons. */
export function addonNamespaces(enabled: readonly AddonName[]): string[] {
    return [...new Set(addonOrder(enabled).map((d) => d.namespace.name))];
}

/** Extra pods a platform workload's update may start (a Deployment's default surge, rounded up). */
const PLATFORM_SURGE_PERCENT = 25;

/**
 * The quota and container limits of each namespace whose workloads are all counted (no add-on
 * there says why it has none, none runs on every node): their pods at their replicas while they
 * roll, plus the stack's quota headroom.
 */
function addonQuotas(
    order: AddonDeclaration[],
    footprints: Record<string, WorkloadFootprint[]>,
    headroomPercent: number,
): Record<
    string,
    { quota: Record<string, string>; containerLimits: ReturnType<typeof computeContainerLimits> }
> {
    const byNamespace: Record<string, { workloads: WorkloadFootprint[]; complete: boolean }> = {};
    for (const d of order) {
        const entry = (byNamespace[d.namespace.name] ??= { workloads: [], complete: true });
        const workloads = footprints[d.name];
        entry.complete &&=
            (ADDONS[d.name] as Addon).noQuota === undefined &&
            workloads.every((w) => w.replicas !== "every-node");
        entry.workloads.push(...workloads);
    }
    return Object.fromEntries(
        Object.entries(byNamespace)
            .filter(([, e]) => e.complete && e.workloads.length > 0)
            .map(([ns, e]) => {
                const sized: SizedService[] = e.workloads.map((w) => ({
                    resources: w.resources,
                    maxReplicas: w.replicas as number,
                    maxSurgePercent: PLATFORM_SURGE_PERCENT,
                }));
                return [
                    ns,
                    {
                        quota: computeQuota(sized, headroomPercent),
                        containerLimits: computeContainerLimits(sized),
                    },
                ];
            }),
    );
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

/** Installs the enabled add-ons, each in its own namespace baseline, dependencies first. */
export function installAddons(
    enabled: readonly AddonName[],
    args: InstallAddonsArgs,
    opts: pulumi.ComponentResourceOptions,
): {
    addons: InstalledAddons;
    namespaces: Record<string, NamespaceBaseline>;
    priorityClasses: PriorityClasses;
} {
    const order = addonOrder(enabled);
    const footprints: Record<string, WorkloadFootprint[]> = Object.fromEntries(
        order.map((d) => [d.name, (ADDONS[d.name] as Addon).footprint(args.config)]),
    );
    const quotas = addonQuotas(order, footprints, args.config.costOptimization.quotaHeadroomPercent);
    const priorityClasses = new PriorityClasses(
        "priority-classes",
        { labels: costLabels(args.config.tags, { component: "platform" }) },
        opts,
    );
    const installed: InstalledAddons = {};
    const namespaces: Record<string, NamespaceBaseline> = {};
    const routeNamespaces = [
        APP_NAMESPACE,
        ...order.filter((d) => d.routedThroughGateway).map((d) => d.namespace.name),
    ];
    const addonTargets = addonScrapeTargets(order);
    const scrapeTargets = [...addonTargets, ...args.appScrapeTargets];
    const prometheusClients = [
        ...new Set(order.filter((d) => d.queriesPrometheus).map((d) => d.namespace.name)),
    ].filter((ns) => ns !== MONITORING_NAMESPACE);
    for (const declaration of order) {
        const labels = costLabels(args.config.tags, { component: declaration.component });
        const nsName = declaration.namespace.name;
        const sharer = order.find(
            (d) =>
                d.namespace.name === nsName && d.namespace.podSecurity !== declaration.namespace.podSecurity,
        );
        if (sharer) {
            throw new Error(
                `add-ons ${sharer.name} and ${declaration.name} share namespace ${nsName} but declare different Pod Security levels`,
            );
        }
        namespaces[nsName] ??= new NamespaceBaseline(
            `ns-${nsName}`,
            {
                name: nsName,
                enforce: declaration.namespace.podSecurity,
                labels,
                defaultDeny: args.config.securityPolicy.defaultDenyNetworkPolicies,
                ...quotas[nsName],
                allow: [
                    ...addonTargets
                        .filter((t) => t.namespace === nsName)
                        .map((t) => allowFromNamespace("from-prometheus", MONITORING_NAMESPACE, t.ports)),
                    ...(prometheusClients.includes(nsName)
                        ? [
                              allowToNamespaces("to-prometheus", [
                                  { namespace: MONITORING_NAMESPACE, ports: [PROMETHEUS_PORT] },
                              ]),
                          ]
                        : []),
                ],
            },
            opts,
        );
        const addon = ADDONS[declaration.name] as Addon;
        new AddonFootprint(
            `footprint-${declaration.name}`,
            { addon: declaration.name, namespace: nsName, workloads: footprints[declaration.name] },
            opts,
        );
        const component = addon.install(
            {
                config: args.config,
                clusterName: args.clusterName,
                vpcId: args.vpcId,
                labels,
                tags: costTags(args.config.tags, { component: declaration.component }),
                namespace: namespaces[nsName].name,
                routeNamespaces,
                installed,
                karpenter: args.karpenter,
                observability: args.observability,
                alerts: args.alerts,
                dashboards: args.dashboards,
                prometheusClients,
                nodeTags: costTags(args.config.tags, { component: "application-nodes" }),
                scrapeTargets,
            },
            {
                ...opts,
                dependsOn: [
                    namespaces[nsName],
                    priorityClasses,
                    ...declaration.dependsOn.map((dep) => installed[dep] as pulumi.Resource),
                ],
            },
        );
        (installed as Record<string, pulumi.ComponentResource>)[declaration.name] = component;
    }
    return { addons: installed, namespaces, priorityClasses };
}

/** The README's table of add-ons: namespace, Pod Security level and why, charts, identity, dependencies. */
export function addonReference(): string {
    const rows = Object.values(ADDONS).map(({ declaration: d }) => {
        const level =
            d.namespace.podSecurity === "restricted"
                ? "restricted"
                : `${d.namespace.podSecurity}: ${d.namespace.reason}`;
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
