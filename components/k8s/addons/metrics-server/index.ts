import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PRIORITY_CLASSES } from "../../../../vocabulary/placement";
import {
    allowApiServer,
    allowFromControlPlane,
    allowPolicies,
    AllowRule,
    cidr,
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
    WorkloadFootprint,
} from "../addon";
import { chartRelease, PinnedChart } from "../chart";

/**
 * metrics-server 0.8.1 from its own chart rather than the EKS community add-on: the chart's
 * values can be read and rendered offline at the pinned version (npm run render:addons), and it
 * takes the platform's placement, priority, spread and disruption budget like every add-on.
 */
export const METRICS_SERVER_CHART: PinnedChart = {
    chart: "metrics-server",
    repo: "https://kubernetes-sigs.github.io/metrics-server/",
    version: "3.13.1",
    checkedAgainst:
        "kubernetes-sigs/metrics-server charts/metrics-server values.yaml and templates at metrics-server-helm-chart-3.13.1 (metrics-server 0.8.1); rendered with npm run render:addons",
    valuesKeys: [
        "replicas",
        "podDisruptionBudget.enabled",
        "podDisruptionBudget.maxUnavailable",
        "priorityClassName",
        "nodeSelector",
        "tolerations",
        "topologySpreadConstraints",
        "podLabels",
        "podSecurityContext",
        "resources",
    ],
};

export const METRICS_SERVER: AddonDeclaration = {
    name: "metrics-server",
    description: "Pod CPU and memory for the HPAs (metrics.k8s.io), served before any HPA exists.",
    component: "metrics-server",
    namespace: { name: "metrics-server", podSecurity: "restricted" },
    charts: [METRICS_SERVER_CHART],
    // Its pods schedule only once the mesh's node agents have lifted the nodes' startup taint.
    dependsOn: ["mesh-node"],
};

export type MetricsServerArgs = ControllerSettings & AddonPlacement;

/** The container port metrics-server serves on and scrapes kubelets on (chart 3.13.1's containerPort). */
const KUBELET_AND_SERVING_PORT = 10250;

/** Egress to every node's kubelet, whose resource metrics it scrapes. */
const allowKubelets = (vpcCidr: string): AllowRule => ({
    name: "kubelets",
    egress: [{ to: [cidr(vpcCidr)], ports: tcp(KUBELET_AND_SERVING_PORT) }],
});

const RESOURCES = { requests: { cpu: "100m", memory: "200Mi" }, limits: { cpu: "1", memory: "400Mi" } };

export const metricsServerFootprint = (config: {
    addons: { highAvailability: boolean };
}): WorkloadFootprint[] => [
    onSystemNodes("metrics-server", controllerReplicas(config.addons.highAvailability), RESOURCES),
];

/**
 * metrics-server on the system nodes: the API server reaches it for metrics.k8s.io (aggregated
 * API), it scrapes the kubelets; restricted pods, two replicas across zones in HA stacks.
 */
export class MetricsServer extends pulumi.ComponentResource {
    public readonly release: k8s.helm.v3.Release;

    constructor(name: string, args: MetricsServerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tacos:k8s:MetricsServer", name, {}, opts);
        const podLabels = { "app.kubernetes.io/name": "metrics-server" };
        allowPolicies(
            name,
            args.namespace,
            [
                allowApiServer(args.vpcCidr),
                allowFromControlPlane(args.vpcCidr, [KUBELET_AND_SERVING_PORT]),
                allowKubelets(args.vpcCidr),
            ],
            args.labels,
            { parent: this },
        );
        this.release = chartRelease(
            `${name}-release`,
            {
                releaseName: "metrics-server",
                namespace: args.namespace,
                chart: METRICS_SERVER_CHART,
                values: {
                    replicas: controllerReplicas(args.highAvailability),
                    podDisruptionBudget: { enabled: args.highAvailability, maxUnavailable: 1 },
                    priorityClassName: PRIORITY_CLASSES.platform.name,
                    nodeSelector: SYSTEM_NODE_SELECTOR,
                    tolerations: SYSTEM_TOLERATIONS,
                    topologySpreadConstraints: spreadAcrossZones(podLabels),
                    podLabels: args.labels,
                    podSecurityContext: RESTRICTED_POD_SECURITY_CONTEXT,
                    resources: RESOURCES,
                },
            },
            { parent: this },
        );
        this.registerOutputs({ release: this.release, status: this.release.status });
    }
}

export const metricsServerAddon: Addon<MetricsServer> = {
    declaration: METRICS_SERVER,
    footprint: metricsServerFootprint,
    install: (ctx, opts) =>
        new MetricsServer(
            "metrics-server",
            { ...controllerSettings(ctx.config), namespace: ctx.namespace, labels: ctx.labels },
            opts,
        ),
};
