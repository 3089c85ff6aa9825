/**
 * Which cluster add-ons a stack may switch off (`tacos:addons.enabled.<name>`), what switching
 * each off takes away, and why the others stay. The registry (components/k8s/addons/index.ts)
 * checks that these keys are exactly its add-ons; the config layer imports no add-on.
 */
import { z } from "zod";

/** The add-ons a stack may switch off, and what the stack then goes without (its dependents adjusted by the program). */
export const SWITCHABLE_ADDONS = {
    tracing:
        "the OpenTelemetry Collector: the services export no spans (gateway-api's OBSERVABILITY_TRACING_ENABLED false, reservation-api's OTEL_TRACES_EXPORTER none, inventory-api's endpoint unset) and lose their egress to the collector",
    opencost:
        "OpenCost: no cost allocation in the cluster; Prometheus has no job for it and Grafana no cost dashboard (AWS Cost Explorer by the cost tags remains)",
    vpa: "the Vertical Pod Autoscaler: the services get no VerticalPodAutoscaler objects, so npm run rightsize has no recommendation to read",
    rollouts:
        "Argo Rollouts: the services roll as Deployments; delivery.canary must then be unset (prod's policy config requires canaries)",
} as const;

/** The add-ons every stack runs, with the reason a stack cannot go without them. */
export const FIXED_ADDONS = {
    mesh: "every call between the services is mutual TLS through the ambient mesh: their NetworkPolicies admit only HBONE (15008), PeerAuthentication is STRICT and the AuthorizationPolicies are the call graph by mesh identity; Prometheus joins the mesh to scrape them",
    "mesh-node": "the mesh's node agents (istio-cni, ztunnel), without which the mesh carries no traffic",
    monitoring:
        "Prometheus: the alerts, the canary analysis, KEDA's request-rate trigger, Grafana and every add-on's ServiceMonitor need it",
    "node-exporter":
        "not switchable yet: the nodes' own metrics, and Prometheus' egress rule to the nodes names its port (9100)",
    logging:
        "Fluent Bit: the only copy of the pods' logs beyond their nodes (CloudWatch), kept in every stack as the record of an incident",
    "metrics-server": "the resource metrics the services' HorizontalPodAutoscalers scale on",
    karpenter: "the application nodes (tacos:karpenter.nodePools): the services run only there",
    gateway:
        "the load balancer controller: the Gateway, the services' target groups, and the routes of Argo CD and Grafana",
    keda: "the worker's queue-depth scaling and gateway-api's request-rate trigger (ScaledObjects)",
    argocd: "not switchable yet: its settings (tacos:argocd) and its secrets are required of every stack; deliver with delivery.mode helm to bypass it",
    grafana:
        "not switchable yet: its host name (observability.grafana) and admin password are required of every stack",
} as const;

/** An add-on a stack may switch off. */
export type SwitchableAddon = keyof typeof SWITCHABLE_ADDONS;

const switches = Object.fromEntries(
    Object.entries(SWITCHABLE_ADDONS).map(([name, without]) => [
        name,
        z.boolean().default(true).describe(`Whether the ${name} add-on is installed. Off: ${without}.`),
    ]),
) as { [K in SwitchableAddon]: z.ZodDefault<z.ZodBoolean> };

const fixed = Object.fromEntries(
    Object.entries(FIXED_ADDONS).map(([name, reason]) => [
        name,
        z
            .literal(true, { error: `cannot be switched off: ${reason}` })
            .optional()
            .describe(`Always installed (true or unset): ${reason}.`),
    ]),
) as { [K in keyof typeof FIXED_ADDONS]: z.ZodOptional<z.ZodLiteral<true>> };

/** `tacos:addons.enabled`: one key per add-on; only the switchable ones may be false. */
export const addonSwitchesSchema = z
    .strictObject({ ...switches, ...fixed })
    .prefault({})
    .describe(
        "One key per cluster add-on: false leaves a switchable add-on out of the stack (its dependents adjusted, docs/review-stacks.md); the others cannot be switched off and say why.",
    );

export type AddonSwitches = z.output<typeof addonSwitchesSchema>;

/** A setting of the stack that needs an add-on, and where the stack file holds it. */
interface AddonDependent {
    addon: SwitchableAddon;
    /** The setting's path in the parsed config (under `platform`). */
    path: PropertyKey[];
    /** Whether the stack uses the setting. */
    uses: (platform: DependentSettings) => boolean;
}

/** The parts of the stack config whose settings need a switchable add-on. */
interface DependentSettings {
    delivery: { canary?: unknown };
}

/** Every setting that needs a switchable add-on. */
const DEPENDENTS: readonly AddonDependent[] = [
    { addon: "rollouts", path: ["delivery", "canary"], uses: (p) => p.delivery.canary !== undefined },
];

/** The problem of a setting (at `path`, as the stack file spells it) that needs the switched-off `addon`. */
export const disabledAddonMessage = (addon: string): string =>
    `needs the ${addon} add-on, which addons.enabled.${addon} switches off: unset the setting or switch the add-on on`;

/** The issues of the settings the stack uses whose add-on it switches off (paths under `platform`). */
export function disabledAddonIssues(
    platform: DependentSettings & { addons: { enabled: AddonSwitches } },
): { path: PropertyKey[]; message: string }[] {
    return DEPENDENTS.filter((d) => !platform.addons.enabled[d.addon] && d.uses(platform)).map((d) => ({
        path: d.path,
        message: disabledAddonMessage(d.addon),
    }));
}
