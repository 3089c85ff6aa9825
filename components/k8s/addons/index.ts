/**
 * The registry of cluster add-ons: an import of each add-on's folder and its entry in ADDONS. Everything the
 * program does with them (order, checks, identities, namespaces, installation, the docs/addons/
 * pages) is derived from their declarations (./registry.ts, ./install.ts); docs/adding-an-addon.md walks
 * through adding one.
 */
import * as pulumi from "@pulumi/pulumi";
import type { AwsScope } from "../../aws/access";
import type { WorkloadIdentityDeclaration } from "../../aws/identity";
import type { AddonSwitches, StackConfig } from "../../config";
import type { Addon, StackFacts } from "./addon";
import { argoCdAddon } from "./argocd";
import { gatewayAddon } from "./gateway";
import { grafanaAddon } from "./grafana";
import { InstallAddonsArgs, InstalledPlatform, installAddons as install } from "./install";
import { karpenterAddon } from "./karpenter";
import { kedaAddon } from "./keda";
import { loggingAddon } from "./logging";
import { meshAddon } from "./mesh";
import { meshNodeAddon } from "./mesh-node";
import { metricsServerAddon } from "./metrics-server";
import { monitoringAddon } from "./monitoring";
import { nodeExporterAddon } from "./node-exporter";
import { opencostAddon } from "./opencost";
import * as registry from "./registry";
import { rolloutsAddon } from "./rollouts";
import { tracingAddon } from "./tracing";
import { vpaAddon } from "./vpa";

/**
 * Every add-on, by name (its declaration's name), each with its key in `tacos:addons.enabled`
 * (the config's addon-switches.ts): the program installs those the stack does not switch off, in
 * dependency order.
 */
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
} satisfies Record<keyof AddonSwitches, Addon<any>>;

export type AddonName = keyof typeof ADDONS;

/** Every add-on's name, in the registry's order. */
export const ADDON_NAMES = Object.keys(ADDONS) as AddonName[];

/** The add-ons `config` installs: every registered one but those it switches off, in the registry's order. */
export const enabledAddons = (config: StackConfig): AddonName[] =>
    ADDON_NAMES.filter((name) => config.addons.enabled[name] !== false);

/** Every third-party chart an add-on installs, pinned in its folder. */
export const PINNED_CHARTS = Object.values(ADDONS).flatMap((addon) => addon.declaration.charts);

/** The component of each installed add-on, by name. */
export type InstalledAddons = { -readonly [K in AddonName]?: ReturnType<(typeof ADDONS)[K]["install"]> };

/** The declarations of `enabled`, dependencies first; an add-on whose dependency is not enabled is an error. */
export const addonOrder = (enabled: readonly AddonName[]) => registry.addonOrder(ADDONS, enabled);

/** Checks that the enabled add-ons can be installed as the stack says (one ConfigError names every problem). */
export const checkAddons = (enabled: readonly AddonName[], config: StackConfig): void =>
    registry.checkAddons(ADDONS, enabled, config);

/** The namespaces the stack allows: its SecurityPolicy's list, or every registered add-on's and the applications'. */
export const allowedNamespaces = (config: StackConfig): string[] =>
    registry.allowedNamespaces(ADDONS, config);

/** The workload identities the enabled add-ons declare, by their keys, their statements built in `aws` from `facts`. */
export const addonIdentities = (
    enabled: readonly AddonName[],
    aws: AwsScope,
    facts: StackFacts,
): Record<string, WorkloadIdentityDeclaration> => registry.addonIdentities(ADDONS, enabled, aws, facts);

/** The namespaces of the enabled add-ons. */
export const addonNamespaces = (enabled: readonly AddonName[]): string[] =>
    registry.addonNamespaces(ADDONS, enabled);

/** The namespaces a stack allows when its config names none: every add-on's and the applications'. */
export const defaultAllowedNamespaces = (): string[] => registry.defaultAllowedNamespaces(ADDONS);

/** Installs the enabled add-ons, each in its own namespace baseline, dependencies first. */
export function installAddons(
    enabled: readonly AddonName[],
    args: InstallAddonsArgs,
    opts: pulumi.ComponentResourceOptions,
): Omit<InstalledPlatform, "addons"> & { addons: InstalledAddons } {
    return install(ADDONS, enabled, args, opts);
}

/** The components of the installed add-ons `names`, which `by` depends on; a missing one is a wiring bug. */
export function requireInstalled(
    installed: InstalledAddons,
    names: readonly AddonName[],
    by: string,
): pulumi.Resource[] {
    return names.map((name) => {
        const addon = installed[name];
        if (!addon) throw new Error(`${by} needs the ${name} add-on, which the program does not install`);
        return addon;
    });
}
