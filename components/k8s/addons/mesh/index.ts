/**
 * The mesh's control plane: Istio's base chart (its CRDs, as templates that upgrade)
 * and istiod in ambient mode, and the mesh-wide PeerAuthentication that makes every connection
 * between workloads in the mesh mutual TLS. The node agents that carry the traffic (ztunnel and
 * the CNI agent) are the mesh-node add-on, in a privileged namespace of their own.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MESH_ROOT_NAMESPACE, TRUST_DOMAIN } from "../../../../vocabulary/mesh";
import { MESH_STARTUP_TOLERATIONS, PRIORITY_CLASSES } from "../../../../vocabulary/placement";
import {
    allowApiServer,
    allowFromControlPlane,
    allowPolicies,
    namespacePeer,
    tcp,
} from "../../network-policies";
import {
    RESTRICTED_POD_SECURITY_CONTEXT,
    spreadAcrossZones,
    SYSTEM_NODE_SELECTOR,
    SYSTEM_TOLERATIONS,
} from "../../scheduling";
import {
    Addon,
    AddonDeclaration,
    AddonPlacement,
    ControllerSettings,
    controllerReplicas,
    controllerSettings,
    onSystemNodes,
    resourcesOf,
    WorkloadFootprint,
} from "../addon";
import { chartRelease } from "../chart";
import { ISTIOD_MANAGES } from "./teardown";
import { istioChart, ISTIO_IMAGES, ISTIOD_WEBHOOK_PORT, ISTIOD_XDS_PORT, MESH_NODE_NAMESPACE } from "./facts";

/** The CRDs (security.istio.io among them) and the default revision's validation webhook; no pods, so no values. */
export const ISTIO_BASE_CHART = istioChart("base", "base", []);

export const ISTIOD_CHART = istioChart(
    "istiod",
    "istio-control/istio-discovery",
    [
        "profile",
        "global.hub",
        "global.tag",
        "global.priorityClassName",
        "global.defaultPodDisruptionBudget.enabled",
        "autoscaleEnabled",
        "replicaCount",
        "resources",
        "nodeSelector",
        "tolerations",
        "topologySpreadConstraints",
        "podLabels",
        "seccompProfile",
        "trustedZtunnelNamespace",
        "meshConfig.trustDomain",
        "taint.enabled",
        "taint.namespace",
    ],
    " (`profile` is read by templates/zzz_profile.yaml from files/profile-ambient.yaml, which sets PILOT_ENABLE_AMBIENT)",
);

export const MESH: AddonDeclaration = {
    name: "mesh",
    description:
        "Istio's control plane in ambient mode (istiod, the CRDs) and mesh-wide STRICT mutual TLS: every call between the services encrypted and authenticated.",
    component: "mesh",
    namespace: { name: MESH_ROOT_NAMESPACE, podSecurity: "restricted" },
    charts: [ISTIO_BASE_CHART, ISTIOD_CHART],
    dependsOn: [],
    teardown: { controller: { helmChart: ISTIOD_CHART.chart }, manages: ISTIOD_MANAGES },
};

/** istiod's pod labels (its chart's template), which its spread selects. */
const ISTIOD_LABELS = { app: "istiod" };

/** istiod at the controllers' replica count: it serves only the ztunnels' xDS and certificates (no sidecars), a small load. */
export const meshFootprint = (config: { addons: { highAvailability: boolean } }): WorkloadFootprint[] => [
    onSystemNodes("istiod", controllerReplicas(config.addons.highAvailability), {
        requests: { cpu: "250m", memory: "512Mi" },
        limits: { cpu: "2", memory: "2Gi" },
    }),
];

export interface MeshArgs extends ControllerSettings, AddonPlacement {
    footprint: WorkloadFootprint[];
}

/**
 * Installs base and istiod with the ambient profile on the system nodes, restricted (istiod runs
 * as non-root, read-only, no capabilities, RuntimeDefault seccomp), trusting the ztunnels of the
 * node agents' namespace to ask for their pods' certificates and lifting each node's startup
 * taint once the node's CNI agent is Ready; then the mesh-wide STRICT policy.
 */
export class Mesh extends pulumi.ComponentResource {
    public readonly base: k8s.helm.v3.Release;
    public readonly istiod: k8s.helm.v3.Release;
    /** The mesh-wide STRICT PeerAuthentication. */
    public readonly strict: k8s.apiextensions.CustomResource;

    constructor(name: string, args: MeshArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tacos:k8s:Mesh", name, {}, opts);
        allowPolicies(
            name,
            args.namespace,
            [
                allowApiServer(args.vpcCidr),
                // The validation and injection webhooks (istiod's Service port 443).
                allowFromControlPlane(args.vpcCidr, [ISTIOD_WEBHOOK_PORT]),
                // Every ztunnel's xDS stream and certificate requests.
                {
                    name: "from-ztunnel",
                    ingress: [
                        {
                            from: [namespacePeer(MESH_NODE_NAMESPACE, { app: "ztunnel" })],
                            ports: tcp(ISTIOD_XDS_PORT),
                        },
                    ],
                },
            ],
            args.labels,
            { parent: this },
        );

        this.base = chartRelease(
            `${name}-base`,
            { releaseName: "istio-base", namespace: args.namespace, chart: ISTIO_BASE_CHART, values: {} },
            { parent: this },
        );
        const replicas = args.footprint[0].replicas as number;
        this.istiod = chartRelease(
            `${name}-istiod`,
            {
                releaseName: "istiod",
                namespace: args.namespace,
                chart: ISTIOD_CHART,
                values: {
                    // Ambient: PILOT_ENABLE_AMBIENT and HBONE. No `platform` (on EKS the defaults hold).
                    profile: "ambient",
                    global: {
                        ...ISTIO_IMAGES,
                        priorityClassName: PRIORITY_CLASSES.platform.name,
                        // A budget of minAvailable 1 over a single replica would block every node drain.
                        defaultPodDisruptionBudget: { enabled: args.highAvailability },
                    },
                    autoscaleEnabled: false,
                    replicaCount: replicas,
                    resources: resourcesOf(args.footprint, "istiod"),
                    nodeSelector: SYSTEM_NODE_SELECTOR,
                    // istiod lifts the startup taint, so it must start on a node that still has it (a new cluster's).
                    tolerations: [...SYSTEM_TOLERATIONS, ...MESH_STARTUP_TOLERATIONS],
                    topologySpreadConstraints: spreadAcrossZones(ISTIOD_LABELS),
                    podLabels: args.labels,
                    // The chart's container context is restricted but for seccomp.
                    seccompProfile: RESTRICTED_POD_SECURITY_CONTEXT.seccompProfile,
                    trustedZtunnelNamespace: MESH_NODE_NAMESPACE,
                    meshConfig: { trustDomain: TRUST_DOMAIN },
                    // The untaint controller (1.30.3 templates: deployment.yaml sets PILOT_ENABLE_NODE_UNTAINT_CONTROLLERS
                    // and --cniNamespace, clusterrole.yaml grants `patch` on nodes): it removes the startup taint
                    // (vocabulary/placement.ts, the chart's default `taint.name`) once the node's CNI agent, in the node
                    // agents' namespace, is Ready.
                    taint: { enabled: true, namespace: MESH_NODE_NAMESPACE },
                },
            },
            { parent: this, dependsOn: [this.base] },
        );

        this.strict = new k8s.apiextensions.CustomResource(
            `${name}-strict-mtls`,
            {
                apiVersion: "security.istio.io/v1",
                kind: "PeerAuthentication",
                // `default`: Istio's name for the root namespace's mesh-wide policy.
                metadata: { name: "default", namespace: args.namespace, labels: args.labels },
                spec: { mtls: { mode: "STRICT" } },
            },
            { parent: this, dependsOn: [this.istiod] },
        );
        this.registerOutputs({
            base: this.base,
            istiod: this.istiod,
            status: this.istiod.status,
            strict: this.strict,
        });
    }
}

export const meshAddon: Addon<Mesh> = {
    declaration: MESH,
    footprint: meshFootprint,
    install: (ctx, opts) =>
        new Mesh(
            "mesh",
            {
                ...controllerSettings(ctx.config),
                namespace: ctx.namespace,
                labels: ctx.labels,
                footprint: meshFootprint(ctx.config),
            },
            opts,
        ),
};
