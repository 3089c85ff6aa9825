/**
 * The mesh's node agents: the Istio CNI agent, which moves each ambient pod's traffic
 * into ztunnel from inside the pod's network namespace, and ztunnel, which carries it as mutual
 * TLS (HBONE, TCP 15008) with the pod's own identity. Both run on every node, the system nodes
 * included, in a namespace of their own: they need what Pod Security's baseline forbids.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MESH_ROOT_NAMESPACE } from "../../../../vocabulary/mesh";
import { allowApiServer, allowPolicies, allowToNamespaces } from "../../network-policies";
import { EVERY_NODE_TOLERATIONS } from "../../scheduling";
import {
    Addon,
    AddonDeclaration,
    AddonPlacement,
    ControllerSettings,
    controllerSettings,
    resourcesOf,
    WorkloadFootprint,
} from "../addon";
import { chartRelease } from "../chart";
import { istioChart, ISTIO_IMAGES, ISTIOD_XDS_PORT, MESH_NODE_NAMESPACE } from "../mesh/facts";

export const ISTIO_CNI_CHART = istioChart(
    "cni",
    "istio-cni",
    [
        "profile",
        "global.hub",
        "global.tag",
        "resources",
        "tolerations",
        "podLabels",
        "env",
        "ambient.enableAmbientDetectionRetry",
    ],
    " (`profile` is read by templates/zzz_profile.yaml from files/profile-ambient.yaml, which sets ambient.enabled)",
);

export const ZTUNNEL_CHART = istioChart("ztunnel", "ztunnel", [
    "hub",
    "tag",
    "resources",
    "tolerations",
    "podLabels",
]);

export const MESH_NODE: AddonDeclaration = {
    name: "mesh-node",
    description:
        "Istio's node agents for ambient mode: ztunnel (each pod's mutual TLS with its own identity) and the CNI agent (redirects each ambient pod's traffic to ztunnel), on every node.",
    component: "mesh",
    namespace: {
        name: MESH_NODE_NAMESPACE,
        podSecurity: "privileged",
        reason: "the CNI agent and ztunnel enter every ambient pod's network namespace: root with NET_ADMIN, NET_RAW and SYS_ADMIN (the CNI agent also SYS_PTRACE and DAC_OVERRIDE) and hostPath mounts of the CNI directories, /proc and their sockets, which baseline forbids; kept out of istiod's restricted namespace",
    },
    charts: [ISTIO_CNI_CHART, ZTUNNEL_CHART],
    dependsOn: ["mesh"],
};

/** The pod labels the charts give each agent (templates/daemonset.yaml of each). */
const CNI_POD = { "k8s-app": "istio-cni-node" };
const ZTUNNEL_POD = { app: "ztunnel" };

/**
 * One pod of each agent on every node, tolerating every taint: a node without them runs its
 * ambient pods without mutual TLS. ztunnel's CPU limit is also its worker thread count
 * (ZTUNNEL_CPU_LIMIT); the CNI agent's memory limit is its GOMEMLIMIT.
 */
export const meshNodeFootprint = (): WorkloadFootprint[] => [
    {
        name: "ztunnel",
        replicas: "every-node",
        nodes: "all",
        resources: { requests: { cpu: "200m", memory: "256Mi" }, limits: { cpu: "2", memory: "1Gi" } },
    },
    {
        name: "istio-cni-node",
        replicas: "every-node",
        nodes: "all",
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
    },
];

export type MeshNodeArgs = Pick<ControllerSettings, "vpcCidr"> & AddonPlacement;

/**
 * The CNI agent (ambient profile: in-pod redirection, DNS capture) and ztunnel as DaemonSets,
 * pinned to the release's images. Their priority is the charts' own system-node-critical: a
 * node that loses them loses its pods' mesh. NetworkPolicies: the CNI agent watches pods through
 * the API server; ztunnel streams its configuration and its pods' certificates from istiod.
 * The agents' own pods are outside the mesh (their charts label them `dataplane-mode: none`).
 */
export class MeshNode extends pulumi.ComponentResource {
    public readonly cni: k8s.helm.v3.Release;
    public readonly ztunnel: k8s.helm.v3.Release;

    constructor(name: string, args: MeshNodeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tacos:k8s:MeshNode", name, {}, opts);
        const footprint = meshNodeFootprint();
        allowPolicies(
            name,
            args.namespace,
            [
                allowApiServer(args.vpcCidr, CNI_POD),
                allowToNamespaces(
                    "ztunnel-to-istiod",
                    [{ namespace: MESH_ROOT_NAMESPACE, ports: [ISTIOD_XDS_PORT] }],
                    ZTUNNEL_POD,
                ),
            ],
            args.labels,
            { parent: this },
        );
        this.cni = chartRelease(
            `${name}-cni`,
            {
                releaseName: "istio-cni",
                namespace: args.namespace,
                chart: ISTIO_CNI_CHART,
                values: {
                    profile: "ambient",
                    global: { ...ISTIO_IMAGES },
                    // A pod whose ambient membership cannot be looked up at sandbox creation is retried, not started
                    // outside the mesh (cni/pkg/plugin at 1.30.3: without it such a pod runs uncaptured).
                    ambient: { enableAmbientDetectionRetry: true },
                    resources: resourcesOf(footprint, "istio-cni-node"),
                    // Every taint, the startup taint among them: this pod's readiness is what lets istiod lift it.
                    tolerations: EVERY_NODE_TOLERATIONS,
                    podLabels: args.labels,
                    // Where the agent recognises ztunnel's pods (cni/pkg/util/podutil.go IsZtunnelPod; default istio-system).
                    env: { SYSTEM_NAMESPACE: MESH_NODE_NAMESPACE },
                },
            },
            { parent: this },
        );
        // After the CNI agent, as upstream installs them: ztunnel serves the pods the agent hands it.
        this.ztunnel = chartRelease(
            `${name}-ztunnel`,
            {
                releaseName: "ztunnel",
                namespace: args.namespace,
                chart: ZTUNNEL_CHART,
                values: {
                    ...ISTIO_IMAGES,
                    resources: resourcesOf(footprint, "ztunnel"),
                    tolerations: EVERY_NODE_TOLERATIONS,
                    podLabels: args.labels,
                },
            },
            { parent: this, dependsOn: [this.cni] },
        );
        this.registerOutputs({ cni: this.cni, ztunnel: this.ztunnel, status: this.ztunnel.status });
    }
}

export const meshNodeAddon: Addon<MeshNode> = {
    declaration: MESH_NODE,
    footprint: meshNodeFootprint,
    install: (ctx, opts) =>
        new MeshNode(
            "mesh-node",
            { vpcCidr: controllerSettings(ctx.config).vpcCidr, namespace: ctx.namespace, labels: ctx.labels },
            opts,
        ),
};
