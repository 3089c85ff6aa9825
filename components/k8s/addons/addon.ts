/**
 * The contract of a cluster add-on (the cdk-eks-blueprints habit): each folder under addons/
 * declares its pinned chart, its namespace and that namespace's Pod Security level, its
 * workload identity and the add-ons it needs, and installs itself from typed settings read out
 * of the stack config. `installAddons` (./index.ts) turns the declarations into namespaces,
 * identities and dependency order; nothing is wired by hand in index.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import { FOOTPRINT_TYPE, WorkloadFootprint } from "../../../vocabulary/footprint";
import type { AccessGrant, AwsScope, Statement } from "../../aws/access";
import type { StackConfig } from "../../config";
import type { ControllerTeardown } from "../../teardown";
import type { PodSecurityLevel } from "../namespace";
import type { PinnedChart } from "./chart";

/** The namespace an add-on runs in, and why it is not `restricted` when it is not. */
export type AddonNamespace =
    | { name: string; podSecurity: "restricted" }
    | { name: string; podSecurity: Exclude<PodSecurityLevel, "restricted">; reason: string };

/** A Kubernetes service account of the add-on that needs AWS, and what it may do there. */
export interface AddonIdentity {
    /** Stable key of the identity (its resources are named `identity-<key>`). */
    key: string;
    serviceAccount: string;
    /** What it may do on the stack's named resources (a queue, a table). @default [] */
    grants?: readonly AccessGrant[];
    /**
     * Its own policy (a controller's), in this stack's account and region: the statements follow
     * `grants` in the role's policy. The facts are those installAddons is given.
     */
    statements?: (aws: AwsScope, facts: StackFacts) => Statement[];
}

/**
 * A fact of the stack that a layer outside the add-ons provides (the AWS layer's node role, the
 * apps layer's alerts): named and typed by the add-on that reads it, in its facts.ts, so that the
 * contract knows no add-on and the context no add-on's field.
 */
export interface StackFact<T> {
    /** Its key in `StackFacts`. */
    readonly key: string;
    /** What it is, for the error that names a missing one. */
    readonly what: string;
    /** Never set: carries the fact's type. */
    readonly type?: T;
}

/** A fact named `key`, described by `what`. */
export const stackFact = <T>(key: string, what: string): StackFact<T> => ({ key, what });

/** The facts installAddons is given, by key (`provide` makes the entries). */
export type StackFacts = Readonly<Record<string, unknown>>;

/** The entry of `fact` in `StackFacts`. */
export const provide = <T>(fact: StackFact<T>, value: T): StackFacts => ({ [fact.key]: value });

/** A fact `self` may go without: undefined when it was not given. */
export const optionalFact = <T>(facts: StackFacts, fact: StackFact<T>): T | undefined =>
    facts[fact.key] as T | undefined;

/** A fact `self` needs; a missing one is a wiring bug, reported on `self`. */
export function requireFact<T>(facts: StackFacts, fact: StackFact<T>, self: string): T {
    const value = optionalFact(facts, fact);
    if (value === undefined) {
        throw new Error(`the ${self} add-on needs ${fact.what} (installAddons' arguments)`);
    }
    return value;
}

/** An installed add-on another may depend on, typed by what it offers (declared in its facts.ts). */
export interface AddonRef<C> {
    readonly name: string;
    /** Never set: carries the component's type. */
    readonly type?: C;
}

/** The reference to the add-on `name`, whose component offers `C`. */
export const addonRef = <C>(name: string): AddonRef<C> => ({ name });

/** The components of the installed add-ons, by name. */
export type InstalledComponents = Readonly<Record<string, pulumi.ComponentResource | undefined>>;

export interface AddonDeclaration {
    /** Its key in the registry (components/k8s/addons/index.ts). */
    name: string;
    /** What the add-on is, in a line. */
    description: string;
    /** Cost attribution of its pods and AWS resources (`Component` tag, `cost.tacos.io/component`). */
    component: string;
    namespace: AddonNamespace;
    /** Charts it installs, pinned. */
    charts: readonly PinnedChart[];
    identity?: AddonIdentity;
    /** Add-ons that must be installed first; their components are passed in `installed`. */
    dependsOn: readonly string[];
    /** Whether the add-on's UI or API is reached through the Gateway's HTTPS listener. */
    routedThroughGateway?: boolean;
    /** Container ports Prometheus scrapes in the add-on's namespace (its ServiceMonitors'); none when it is not scraped. */
    metricsPorts?: readonly number[];
    /** Whether its pods query Prometheus' API: its namespace gets egress to Prometheus, and Prometheus admits it. */
    queriesPrometheus?: boolean;
    /**
     * The kinds of object its controller (the release of one of its charts) acts on when one is
     * deleted, and what it cleans up then: each such object must depend on that release, so that
     * `pulumi destroy` removes it while the controller still runs (tools/plan/teardown.ts checks).
     */
    teardown?: ControllerTeardown;
}

/** Where Prometheus scrapes: a namespace's pods on these ports. */
export interface ScrapeTarget {
    namespace: string;
    ports: number[];
    /** Whether the namespace's pods are in the ambient mesh: Prometheus then joins it and reaches them through HBONE. */
    viaMesh?: boolean;
}

/** The settings every platform controller reads: the VPC (its NetworkPolicies) and whether it runs highly available. */
export interface ControllerSettings {
    vpcCidr: string;
    /** Two or more replicas across zones, with disruption budgets. */
    highAvailability: boolean;
}

export const controllerSettings = (config: StackConfig): ControllerSettings => ({
    vpcCidr: config.network.cidr,
    highAvailability: config.addons.highAvailability,
});

/** Replicas of a platform controller: two across zones in HA stacks, one otherwise. */
export const controllerReplicas = (highAvailability: boolean): number => (highAvailability ? 2 : 1);

/** The public subnets' CIDRs, where the internet-facing load balancer's nodes sit (the source of its traffic to pods). */
export const publicSubnetCidrs = (config: StackConfig): string[] =>
    config.network.zones.map((zone) => zone.publicSubnetCidr);

/** The namespace and cost labels an add-on's component is created with. */
export interface AddonPlacement {
    /** Namespace (from its NamespaceBaseline). */
    namespace: pulumi.Input<string>;
    /** Labels of pods and objects (cost labels). */
    labels: Record<string, string>;
}

/** What the stack offers every add-on: its config and the cluster's facts. */
export interface AddonContext {
    config: StackConfig;
    clusterName: pulumi.Input<string>;
    vpcId: pulumi.Input<string>;
    /** Cost labels of an add-on's objects and pods. */
    labels: Record<string, string>;
    /** Cost tags of AWS resources an add-on's controller creates. */
    tags: Record<string, string>;
    /** The add-on's namespace, once it exists. */
    namespace: pulumi.Output<string>;
    /** Namespaces whose HTTPRoutes may attach to the Gateway: the applications' and routed add-ons'. */
    routeNamespaces: string[];
    /** The add-ons installed before this one (at least those it declares): read them with `dependency`. */
    installed: InstalledComponents;
    /** Cost tags of the application nodes a node autoscaler launches. */
    nodeTags: Record<string, string>;
    /** Every namespace and port Prometheus scrapes (the add-ons' declared metrics ports and the services'). */
    scrapeTargets: ScrapeTarget[];
    /** Namespaces other than Prometheus' own whose pods query it (the add-ons declaring `queriesPrometheus`). */
    prometheusClients: string[];
    /** What the other layers made that add-ons read (`requireFact`, `optionalFact`). */
    facts: StackFacts;
}

/** An add-on's pods, as the plan and the policy pack read them (vocabulary/footprint.ts). */
export { FOOTPRINT_TYPE };
export type { WorkloadFootprint };

export interface Addon<C extends pulumi.ComponentResource = pulumi.ComponentResource> {
    declaration: AddonDeclaration;
    install(ctx: AddonContext, opts: pulumi.ComponentResourceOptions): C;
    /**
     * The pods the add-on runs in this stack, from the same settings its values are built from:
     * the plan's capacity and cost figures and the policy pack's system-node check count them,
     * and they size its namespace's quota.
     */
    footprint(config: StackConfig): WorkloadFootprint[];
    /**
     * Why its namespace gets no ResourceQuota from the footprint, when it does not: the footprint
     * counts the pods that run, not every container the chart may start (hooks, jobs), which a
     * quota would then refuse.
     */
    noQuota?: string;
}

/** A workload of `replicas` pods on the system nodes (`pod` names the pod a container shares with others). */
export const onSystemNodes = (
    name: string,
    replicas: number,
    resources: WorkloadFootprint["resources"],
    pod?: string,
): WorkloadFootprint => ({ name, replicas, nodes: "system", resources, ...(pod ? { pod } : {}) });

/** The resources of the named workload of a footprint (the add-on's values are built from the same record). */
export function resourcesOf(footprint: WorkloadFootprint[], name: string): WorkloadFootprint["resources"] {
    const workload = footprint.find((w) => w.name === name);
    if (!workload) throw new Error(`no workload ${name} in the footprint`);
    return workload.resources;
}

/** An add-on that `self` declares it depends on; a missing one is a wiring bug, reported on `self`. */
export function dependency<C>(
    ctx: AddonContext,
    ref: AddonRef<C>,
    self: string,
): C & pulumi.ComponentResource {
    const component = ctx.installed[ref.name];
    if (!component) {
        throw new Error(
            `add-on ${self} needs ${ref.name}, which is not installed before it: declare it in dependsOn and enable it`,
        );
    }
    return component as C & pulumi.ComponentResource;
}
