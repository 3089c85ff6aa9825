/**
 * The layers of a stack a rule judges, and the one place that decides, from the stack's own
 * resources, which layers a run created. A first deploy from outside the VPC (`ci.bootstrap`)
 * creates the AWS layer and the PlatformProfile only; the cluster layer (everything the Kubernetes
 * provider creates: add-ons, namespaces, NodePools, the services) follows once CI runs inside the
 * VPC. A rule about the cluster layer has nothing to judge before then, and its requirements (a
 * NodePool that allows spot, a quota per namespace) would fail a bootstrap run that is right.
 */
import type {
    ResourceValidationPolicy,
    StackValidation,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";

/**
 * A layer of the stack:
 * - `profile`: the stack's own settings, the PlatformProfile every run registers;
 * - `aws`: the AWS layer (network, EKS and its managed node groups, IAM, queues, data), created by
 *   every run, a bootstrap run included;
 * - `cluster`: what the Kubernetes provider creates, absent while the stack bootstraps.
 */
export type Layer = "profile" | "aws" | "cluster";

/** A resource rule and the layer whose resources it judges (it sees one resource at a time, so an absent layer leaves it nothing to judge). */
export type LayeredResourcePolicy = ResourceValidationPolicy & { layer: Layer };

/** A stack rule's checks, each under the layer whose resources it judges. */
export type LayerChecks = Partial<Record<Layer, StackValidation>>;

/** A stack rule and its checks by layer; its `validateStack` runs every check, as over a stack with every layer. */
export type LayeredStackPolicy = StackValidationPolicy & { layers: LayerChecks };

/** Any rule of the pack, with the layers it judges. */
export type LayeredPolicy = LayeredResourcePolicy | LayeredStackPolicy;

/** The type of the Kubernetes provider the program creates the cluster layer through. */
const KUBERNETES_PROVIDER_TYPE = "pulumi:providers:kubernetes";

/**
 * Whether the stack has its cluster layer: a Kubernetes provider or any object of one. Read from
 * the types alone, which the CrossGuard runtime knows in every preview (the values may be unknown).
 */
export function hasClusterLayer(resources: readonly { type: string }[]): boolean {
    return resources.some((r) => r.type === KUBERNETES_PROVIDER_TYPE || r.type.startsWith("kubernetes:"));
}

/** The layers the stack's resources show: the profile and the AWS layer always, the cluster layer when it is there. */
export function presentLayers(resources: readonly { type: string }[]): Layer[] {
    return hasClusterLayer(resources) ? ["profile", "aws", "cluster"] : ["profile", "aws"];
}

/** Raised by a check's own `notApplicable`, so that the other checks still run. */
class CheckNotApplicable extends Error {}

/** The layers in the order a rule's checks run. */
const LAYER_ORDER: Layer[] = ["profile", "aws", "cluster"];

/**
 * A stack validation that runs the checks of `layers` whose layer `present` gives. A check that
 * finds itself not applicable leaves the others' reports standing; the rule is not applicable
 * when every check it runs is, or when the stack has none of its layers.
 */
function validateLayers(
    layers: LayerChecks,
    present: (args: StackValidationArgs) => Layer[],
): StackValidation {
    return async (args, report) => {
        const shown = present(args);
        const judged = LAYER_ORDER.filter((layer) => layers[layer]);
        const run = judged.filter((layer) => shown.includes(layer));
        const reasons: string[] = [];
        for (const layer of run) {
            const notApplicable = (reason?: string): never => {
                throw new CheckNotApplicable(reason ?? `not applicable to the ${layer} layer`);
            };
            try {
                await layers[layer]!({ ...args, notApplicable }, report);
            } catch (e) {
                if (!(e instanceof CheckNotApplicable)) throw e;
                reasons.push(e.message);
            }
        }
        if (run.length === 0) args.notApplicable(`the stack has no ${judged.join(" or ")} layer`);
        if (reasons.length === run.length) args.notApplicable(reasons.join("; "));
    };
}

/** A stack rule from its metadata and its checks by layer (at least one); it runs them all. */
export function stackRule(
    rule: Omit<StackValidationPolicy, "validateStack"> & LayerChecks,
): LayeredStackPolicy {
    const { profile, aws, cluster, ...meta } = rule;
    const layers: LayerChecks = Object.fromEntries(
        Object.entries({ profile, aws, cluster }).filter(([, check]) => check),
    );
    if (Object.keys(layers).length === 0)
        throw new Error(`stack rule ${rule.name} has no check of any layer`);
    return { ...meta, layers, validateStack: validateLayers(layers, () => LAYER_ORDER) };
}

/**
 * The rule as the pack runs it: a stack rule runs only the checks of the layers the stack has
 * (presentLayers), and is not applicable when it has none of them; a resource rule is left as it
 * is, since a layer the stack lacks has no resources to show it.
 */
export function scopeToLayers<P extends LayeredPolicy>(rule: P): P {
    if (!("layers" in rule)) return rule;
    return { ...rule, validateStack: validateLayers(rule.layers, (args) => presentLayers(args.resources)) };
}
