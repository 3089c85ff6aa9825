/**
 * The teardown section of the plan: in which order `pulumi destroy` removes the objects that
 * controllers turn into cloud resources, their controllers, the cluster and the network, and
 * whether every such object goes while its controller still runs. The order comes from the run's
 * own resource graph (teardown-graph.ts); which kinds a controller manages is declared next to the
 * controller (an add-on's `teardown`, the EBS CSI driver's in components/aws/block-storage.ts).
 */
import { EBS_CSI_DRIVER_TEARDOWN } from "../../components/aws/block-storage";
import { ADDONS } from "../../components/k8s/addons";
import {
    ControllerResource,
    ControllerTeardown,
    kubernetesType,
    ManagedKind,
} from "../../components/teardown";
import type { RecordedResource } from "../registrations";
import { DestroyGraph, destroyGraph } from "./teardown-graph";
import { EKS_CLUSTER_TYPES, MANAGED_NODE_GROUP_TYPES } from "../../vocabulary/eks";

/** A declared controller, named by the add-on (or driver) it belongs to. */
export interface NamedController extends ControllerTeardown {
    name: string;
}

/** The objects of one managed kind, and the latest step at which one of them goes. */
export interface TeardownObjects {
    type: string;
    names: string[];
    step: number;
    cleansUp: string;
}

/** One controller: its objects (each before it) and the step at which the controller itself goes. */
export interface TeardownStep {
    controller: string;
    /** The controller's resources (a Helm release, an EKS add-on), by name. */
    resources: string[];
    /** The earliest step at which the controller goes (the first of its resources). */
    step: number;
    objects: TeardownObjects[];
}

/** The plan's teardown section. */
export interface TeardownReport {
    /** The controllers present in the stack, in the order a destroy removes them. */
    controllers: TeardownStep[];
    /** What goes after every Kubernetes object: the controllers' credentials, add-ons and nodes, the cluster, the VPC. */
    /** Each foundation group, from the step its first member can go to the step its last one can. */
    infrastructure: { what: string; names: string[]; step: number; lastStep: number }[];
    /** Each object that a destroy could remove after its controller, or a controller the stack lacks. */
    problems: string[];
}

/** Every controller the program declares: the add-ons' and the EBS CSI driver's. */
export function declaredControllers(): NamedController[] {
    return [
        ...Object.values(ADDONS).flatMap(({ declaration }) =>
            declaration.teardown ? [{ name: declaration.name, ...declaration.teardown }] : [],
        ),
        { name: "ebs-csi-driver", ...EBS_CSI_DRIVER_TEARDOWN },
    ];
}

/** Whether `r` is the controller's resource: the release of its chart (by name or OCI reference) or its EKS add-on. */
function isController(r: RecordedResource, controller: ControllerResource): boolean {
    if ("eksAddon" in controller) {
        return r.type === "aws:eks/addon:Addon" && r.inputs.addonName === controller.eksAddon;
    }
    const chart = String(r.inputs.chart ?? "");
    return (
        r.type === "kubernetes:helm.sh/v3:Release" &&
        (chart === controller.helmChart || chart.endsWith(`/${controller.helmChart}`))
    );
}

/** Each managed kind declared by two controllers: one controller must own a kind. */
function doubleDeclarations(controllers: NamedController[]): string[] {
    const owners = new Map<string, string[]>();
    for (const c of controllers) {
        for (const kind of c.manages) {
            owners.set(kubernetesType(kind), [...(owners.get(kubernetesType(kind)) ?? []), c.name]);
        }
    }
    return [...owners]
        .filter(([, names]) => names.length > 1)
        .map(([type, names]) => `${type} is declared as managed by ${names.join(" and ")}`);
}

/** One controller's step and the problems of its objects: each must depend on every resource of the controller. */
function controllerStep(
    graph: DestroyGraph,
    resources: readonly RecordedResource[],
    controller: NamedController,
): { step?: TeardownStep; problems: string[] } {
    const own = resources.filter((r) => isController(r, controller.controller));
    const groups = controller.manages
        .map((kind: ManagedKind) => ({
            kind,
            objects: resources.filter((r) => r.custom && r.type === kubernetesType(kind)),
        }))
        .filter((g) => g.objects.length > 0);
    const problems = groups.flatMap(({ objects }) =>
        objects.flatMap((o) =>
            own.length === 0
                ? [`${o.type} ${o.name} is managed by ${controller.name}, which the stack does not install`]
                : own
                      .filter((c) => !graph.dependsOn(o.urn, c.urn))
                      .map(
                          (c) =>
                              `${o.type} ${o.name} does not depend on ${c.name} (${controller.name}): a destroy may remove the controller first`,
                      ),
        ),
    );
    if (own.length === 0) return { problems };
    return {
        problems,
        step: {
            controller: controller.name,
            resources: own.map((r) => r.name),
            step: Math.min(...own.map((r) => graph.stepOf(r.urn))),
            objects: groups.map(({ kind, objects }) => ({
                type: kubernetesType(kind),
                names: objects.map((o) => o.name),
                step: Math.max(...objects.map((o) => graph.stepOf(o.urn))),
                cleansUp: kind.cleansUp,
            })),
        },
    };
}

/**
 * What goes after every Kubernetes object, in order: what the controllers run on and act with (their
 * Pod Identity associations, the EKS managed add-ons, the node groups), then the cluster, then the
 * VPC (whose deletion fails while an ENI or security group of the cluster's is left in it).
 */
const FOUNDATION = [
    { what: "Pod Identity associations", type: "aws:eks/podIdentityAssociation:PodIdentityAssociation" },
    { what: "EKS managed add-ons", type: "aws:eks/addon:Addon" },
    // The @pulumi/eks components, all an offline run sees; their AWS resources go with them.
    { what: "node groups", type: MANAGED_NODE_GROUP_TYPES.component },
    { what: "EKS cluster", type: EKS_CLUSTER_TYPES.component },
    { what: "VPC", type: "aws:ec2/vpc:Vpc" },
] as const;

/** The foundation's groups with the step each starts at, and each resource that does not go before what it must. */
function foundation(
    graph: DestroyGraph,
    resources: readonly RecordedResource[],
): Pick<TeardownReport, "infrastructure" | "problems"> {
    const ofType = (type: string) => resources.filter((r) => r.type === type);
    const [associations, addons, nodeGroups, clusters, vpcs] = FOUNDATION.map((f) => ofType(f.type));
    const mustPrecede = (from: RecordedResource[], targets: RecordedResource[]) =>
        from.flatMap((r) =>
            targets
                .filter((t) => !graph.dependsOn(r.urn, t.urn))
                .map((t) => `${r.type} ${r.name} does not go before ${t.type} ${t.name}`),
        );
    const kubernetes = resources.filter((r) => r.custom && r.type.startsWith("kubernetes:"));
    const underCluster = [...associations, ...addons, ...nodeGroups];
    return {
        infrastructure: FOUNDATION.map((f) => ({ f, group: ofType(f.type) }))
            .filter(({ group }) => group.length > 0)
            .map(({ f, group }) => ({
                what: f.what,
                names: group.map((r) => r.name),
                step: Math.min(...group.map((r) => graph.stepOf(r.urn))),
                lastStep: Math.max(...group.map((r) => graph.stepOf(r.urn))),
            })),
        problems: [
            ...mustPrecede(kubernetes, [...underCluster, ...clusters]),
            ...mustPrecede(underCluster, clusters),
            ...mustPrecede(clusters, vpcs),
        ],
    };
}

/** The teardown section of `resources` (a run's registrations), checked against `controllers`. */
export function teardownOf(
    resources: readonly RecordedResource[],
    controllers: NamedController[] = declaredControllers(),
): TeardownReport {
    const graph = destroyGraph(resources);
    const results = controllers.map((c) => controllerStep(graph, resources, c));
    const last = foundation(graph, resources);
    return {
        controllers: results.flatMap((r) => (r.step ? [r.step] : [])).sort((a, b) => a.step - b.step),
        infrastructure: last.infrastructure,
        problems: [
            ...doubleDeclarations(controllers),
            ...results.flatMap((r) => r.problems),
            ...last.problems,
        ],
    };
}
