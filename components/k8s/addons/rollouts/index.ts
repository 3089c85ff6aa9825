/**
 * Argo Rollouts: the controller that runs each service's release as a canary judged by
 * its own metrics. It runs on the system nodes (two replicas with leader election in HA stacks),
 * queries Prometheus for its AnalysisRuns, and shifts the Gateway's HTTPRoute weights through the
 * Gateway API traffic-router plugin, which an init container copies in from the plugin's image:
 * the controller downloads nothing when it starts.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PRIORITY_CLASSES } from "../../../../vocabulary/placement";
import { ARGO_ROLLOUTS_CHART_NAME } from "../../../../vocabulary/platform";
import { allowApiServer, allowAwsApis, allowPolicies } from "../../network-policies";
import {
    RESTRICTED_CONTAINER_SECURITY_CONTEXT,
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
import { chartRelease, PinnedChart } from "../chart";
import { metricsReadStatements } from "./iam";

/** Argo Rollouts chart 2.41.0 (controller v1.9.0); its CRDs are templates, so an upgrade upgrades them. */
export const ARGO_ROLLOUTS_CHART: PinnedChart = {
    chart: ARGO_ROLLOUTS_CHART_NAME,
    repo: "https://argoproj.github.io/argo-helm",
    version: "2.41.0",
    checkedAgainst:
        "argoproj/argo-helm charts/argo-rollouts values.yaml and templates at argo-rollouts-2.41.0 (Argo Rollouts v1.9.0): controller/deployment.yaml, configmap.yaml, _helpers.tpl's role rules; rendered with npm run render:addons",
    valuesKeys: [
        "controller.replicas",
        "controller.resources",
        "controller.nodeSelector",
        "controller.tolerations",
        "controller.priorityClassName",
        "controller.topologySpreadConstraints",
        "controller.pdb.enabled",
        "controller.pdb.maxUnavailable",
        "controller.podLabels",
        "controller.metrics.enabled",
        "controller.metrics.serviceMonitor.enabled",
        "controller.initContainers",
        "controller.volumes",
        "controller.volumeMounts",
        "controller.trafficRouterPlugins",
        "controller.extraEnv",
        "podSecurityContext",
        "containerSecurityContext",
        "providerRBAC.providers",
        "providerRBAC.additionalRules",
        "dashboard.enabled",
    ],
};

/**
 * The Gateway API traffic-router plugin, v0.15.0 (argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi:
 * docs/installation.md and Dockerfile at v0.15.0). Its image is published for linux/amd64 and
 * linux/arm64 (the system nodes pull the arm64 build) with the binary at `binary`; it runs as
 * user 999 on Alpine, whose `cp` the init container uses.
 */
export const GATEWAY_API_PLUGIN = {
    name: "argoproj-labs/gatewayAPI",
    image: "ghcr.io/argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi:v0.15.0",
    binary: "/bin/rollouts-plugin-trafficrouter-gatewayapi",
    /** Where the init container puts it and the controller loads it from (an emptyDir both mount). */
    directory: "/plugins",
    /**
     * The emptyDir's limit: the binary is 51,052,706 bytes (48.7 MiB) for linux/arm64 at v0.15.0,
     * built as the Dockerfile builds it (CGO_ENABLED=0, -ldflags "-s -w", at tag v0.15.0 with Go
     * 1.26.8; the image's builder is golang:1.24), so 64Mi left 15 MiB before kubelet evicts the
     * controller. 128Mi holds 2.6 times it, room for the next releases' growth; a bump of the
     * plugin re-measures it.
     */
    emptyDir: { sizeLimit: "128Mi" },
} as const;

/** The controller's metrics port (the chart's `controller.containerPorts.metrics`). */
export const ROLLOUTS_METRICS_PORT = 8090;

export const ARGO_ROLLOUTS: AddonDeclaration = {
    name: "rollouts",
    description:
        "Canary releases of the services judged by their own metrics (Argo Rollouts), with the Gateway API traffic-router plugin.",
    component: "rollouts",
    namespace: { name: "argo-rollouts", podSecurity: "restricted" },
    charts: [ARGO_ROLLOUTS_CHART],
    dependsOn: ["monitoring", "gateway"],
    // The controller's own service account (the chart's fullname with release name argo-rollouts): the CloudWatch
    // provider of the worker's analysis reads reservation-events' queue age through EKS Pod Identity.
    identity: { key: "argo-rollouts", serviceAccount: "argo-rollouts", statements: metricsReadStatements },
    metricsPorts: [ROLLOUTS_METRICS_PORT],
    queriesPrometheus: true,
};

export const rolloutsFootprint = (config: { addons: { highAvailability: boolean } }): WorkloadFootprint[] => [
    onSystemNodes("argo-rollouts", controllerReplicas(config.addons.highAvailability), {
        requests: { cpu: "100m", memory: "256Mi" },
        limits: { cpu: "1", memory: "512Mi" },
    }),
];

export interface RolloutsArgs extends ControllerSettings, AddonPlacement {
    footprint: WorkloadFootprint[];
    /** The region the CloudWatch provider queries: Pod Identity gives credentials, not a region (the provider's docs ask for AWS_REGION). */
    region: string;
}

/** The plugin's own permissions beyond the chart's Gateway API rule (get, list, watch, update): it patches routes (plugin docs, v0.15.0). */
const PLUGIN_RBAC = [
    { apiGroups: ["gateway.networking.k8s.io"], resources: ["httproutes", "grpcroutes"], verbs: ["patch"] },
];

export class Rollouts extends pulumi.ComponentResource {
    public readonly release: k8s.helm.v3.Release;

    constructor(name: string, args: RolloutsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tacos:k8s:Rollouts", name, {}, opts);
        const podLabels = {
            "app.kubernetes.io/name": "argo-rollouts",
            "app.kubernetes.io/component": "rollouts-controller",
        };
        // The API server (Rollouts, ReplicaSets, routes) and CloudWatch with the Pod Identity agent; Prometheus' egress comes with queriesPrometheus.
        allowPolicies(name, args.namespace, [allowApiServer(args.vpcCidr), allowAwsApis()], args.labels, {
            parent: this,
        });
        const pluginVolume = { name: "gateway-api-plugin", mountPath: GATEWAY_API_PLUGIN.directory };
        this.release = chartRelease(
            `${name}-release`,
            {
                releaseName: "argo-rollouts",
                namespace: args.namespace,
                chart: ARGO_ROLLOUTS_CHART,
                values: {
                    controller: {
                        replicas: args.footprint[0].replicas,
                        resources: resourcesOf(args.footprint, "argo-rollouts"),
                        nodeSelector: SYSTEM_NODE_SELECTOR,
                        tolerations: SYSTEM_TOLERATIONS,
                        priorityClassName: PRIORITY_CLASSES.platform.name,
                        topologySpreadConstraints: spreadAcrossZones(podLabels),
                        pdb: { enabled: args.highAvailability, maxUnavailable: 1 },
                        podLabels: args.labels,
                        metrics: { enabled: true, serviceMonitor: { enabled: true } },
                        initContainers: [
                            {
                                name: "copy-gateway-api-plugin",
                                image: GATEWAY_API_PLUGIN.image,
                                command: [
                                    "cp",
                                    GATEWAY_API_PLUGIN.binary,
                                    `${GATEWAY_API_PLUGIN.directory}/`,
                                ],
                                securityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
                                resources: {
                                    requests: { cpu: "10m", memory: "32Mi" },
                                    limits: { cpu: "100m", memory: "64Mi" },
                                },
                                volumeMounts: [pluginVolume],
                            },
                        ],
                        volumes: [{ name: pluginVolume.name, emptyDir: GATEWAY_API_PLUGIN.emptyDir }],
                        volumeMounts: [pluginVolume],
                        extraEnv: [{ name: "AWS_REGION", value: args.region }],
                        trafficRouterPlugins: [
                            {
                                name: GATEWAY_API_PLUGIN.name,
                                location: `file://${GATEWAY_API_PLUGIN.directory}/rollouts-plugin-trafficrouter-gatewayapi`,
                            },
                        ],
                    },
                    podSecurityContext: RESTRICTED_POD_SECURITY_CONTEXT,
                    containerSecurityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
                    // Only the Gateway API's route rules: no other traffic provider is used.
                    providerRBAC: {
                        providers: {
                            istio: false,
                            smi: false,
                            ambassador: false,
                            awsLoadBalancerController: false,
                            awsAppMesh: false,
                            traefik: false,
                            apisix: false,
                            contour: false,
                            glooPlatform: false,
                            gatewayAPI: true,
                        },
                        additionalRules: PLUGIN_RBAC,
                    },
                    dashboard: { enabled: false },
                },
            },
            { parent: this },
        );
        this.registerOutputs({ release: this.release, status: this.release.status });
    }
}

export const rolloutsAddon: Addon<Rollouts> = {
    declaration: ARGO_ROLLOUTS,
    footprint: rolloutsFootprint,
    install: (ctx, opts) =>
        new Rollouts(
            "rollouts",
            {
                ...controllerSettings(ctx.config),
                namespace: ctx.namespace,
                labels: ctx.labels,
                footprint: rolloutsFootprint(ctx.config),
                region: ctx.config.region,
            },
            opts,
        ),
};
