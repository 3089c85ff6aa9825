import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PRIORITY_CLASSES } from "../../../../vocabulary/placement";
import {
    allowApiServer,
    allowAwsApis,
    allowFromControlPlane,
    allowPolicies,
    allowWithinNamespace,
} from "../../network-policies";
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
    WorkloadFootprint,
} from "../addon";
import { chartRelease, PinnedChart } from "../chart";

/** KEDA 2.20.2 (chart version = app version; 2.20.0's templates break on top-level tolerations, fixed in 2.20.1). */
export const KEDA_CHART: PinnedChart = {
    chart: "keda",
    repo: "https://kedacore.github.io/charts",
    version: "2.20.2",
    checkedAgainst:
        "kedacore/charts keda/values.yaml and templates at v2.20.2; rendered with npm run render:addons",
    valuesKeys: [
        "operator.replicaCount",
        "metricsServer.replicaCount",
        "webhooks.replicaCount",
        "serviceAccount.operator.create",
        "serviceAccount.operator.name",
        "resources.operator",
        "resources.metricServer",
        "resources.webhooks",
        "podSecurityContext.operator",
        "podSecurityContext.metricServer",
        "podSecurityContext.webhooks",
        "securityContext.operator",
        "securityContext.metricServer",
        "securityContext.webhooks",
        "podDisruptionBudget.operator",
        "podDisruptionBudget.metricServer",
        "podDisruptionBudget.webhooks",
        "topologySpreadConstraints.operator",
        "topologySpreadConstraints.metricsServer",
        "topologySpreadConstraints.webhooks",
        "podLabels.keda",
        "podLabels.metricsAdapter",
        "podLabels.webhooks",
        "nodeSelector",
        "tolerations",
        "priorityClassName",
        "prometheus.operator.enabled",
        "prometheus.operator.serviceMonitor.enabled",
        "rbac.scaledRefKinds",
    ],
};

/** The operator reads queue depth for the SQS scaler through its Pod Identity (the chart's default account name). */
const OPERATOR_SERVICE_ACCOUNT = "keda-operator";

export const KEDA: AddonDeclaration = {
    name: "keda",
    description: "Event-driven autoscaling: the worker scales from zero on SQS queue depth.",
    component: "keda",
    namespace: { name: "keda", podSecurity: "restricted" },
    charts: [KEDA_CHART],
    identity: {
        key: "keda-operator",
        serviceAccount: OPERATOR_SERVICE_ACCOUNT,
        grants: [{ kind: "sqs", queue: "reservation-events", access: "inspect" }],
    },
    // Its ServiceMonitor needs the Prometheus Operator's CRDs; its Prometheus trigger queries Prometheus.
    dependsOn: ["monitoring"],
    // The operator's metrics (keda_scaler_*): the worker's backlog alert reads them.
    metricsPorts: [8080],
    // The request-rate trigger's queries.
    queriesPrometheus: true,
};

export type KedaArgs = ControllerSettings & AddonPlacement;

const COMPONENT_RESOURCES = {
    operator: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "1", memory: "512Mi" } },
    metricServer: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "1", memory: "512Mi" } },
    webhooks: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
};

/**
 * Each Deployment's pod selector (`app: <name>`, templates/manager, metrics-server and webhooks
 * deployment.yaml at chart 2.20.2, with the default names), which its spread constraints count.
 */
const POD_SELECTORS = {
    operator: { app: "keda-operator" },
    metricsServer: { app: "keda-operator-metrics-apiserver" },
    webhooks: { app: "keda-admission-webhooks" },
};

/**
 * In HA stacks, each Deployment's replicas across zones (never two in one while another has none)
 * and across nodes where they can be (the chart's `topologySpreadConstraints.<component>`, empty
 * by default at 2.20.2): losing a node or a zone leaves a replica of each, the external-metrics
 * API among them.
 */
const topologySpread = (highAvailability: boolean) =>
    highAvailability
        ? {
              topologySpreadConstraints: {
                  operator: spreadAcrossZones(POD_SELECTORS.operator),
                  metricsServer: spreadAcrossZones(POD_SELECTORS.metricsServer),
                  webhooks: spreadAcrossZones(POD_SELECTORS.webhooks),
              },
          }
        : {};

/** KEDA's three Deployments, each at the controllers' replica count. */
export const kedaFootprint = (config: { addons: { highAvailability: boolean } }): WorkloadFootprint[] => {
    const replicas = controllerReplicas(config.addons.highAvailability);
    return [
        onSystemNodes("keda-operator", replicas, COMPONENT_RESOURCES.operator),
        onSystemNodes("keda-operator-metrics-apiserver", replicas, COMPONENT_RESOURCES.metricServer),
        onSystemNodes("keda-admission-webhooks", replicas, COMPONENT_RESOURCES.webhooks),
    ];
};

/**
 * KEDA: operator, metrics API server and admission webhooks on the system nodes,
 * restricted security contexts, the operator's service account matching its Pod Identity
 * association (so `podIdentity.provider: aws` TriggerAuthentications work without keys).
 */
export class Keda extends pulumi.ComponentResource {
    public readonly release: k8s.helm.v3.Release;

    constructor(name: string, args: KedaArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tacos:k8s:Keda", name, {}, opts);
        const replicas = controllerReplicas(args.highAvailability);
        const pdb = args.highAvailability ? { minAvailable: 1 } : {};

        const rules = [
            allowWithinNamespace(),
            allowApiServer(args.vpcCidr),
            allowAwsApis(),
            allowFromControlPlane(args.vpcCidr, [6443, 9443]),
        ];
        allowPolicies(name, args.namespace, rules, args.labels, { parent: this });

        this.release = chartRelease(
            `${name}-release`,
            {
                releaseName: "keda",
                namespace: args.namespace,
                chart: KEDA_CHART,
                values: {
                    operator: { replicaCount: replicas },
                    metricsServer: { replicaCount: replicas },
                    webhooks: { replicaCount: replicas },
                    serviceAccount: { operator: { create: true, name: OPERATOR_SERVICE_ACCOUNT } },
                    resources: COMPONENT_RESOURCES,
                    podSecurityContext: {
                        operator: RESTRICTED_POD_SECURITY_CONTEXT,
                        metricServer: RESTRICTED_POD_SECURITY_CONTEXT,
                        webhooks: RESTRICTED_POD_SECURITY_CONTEXT,
                    },
                    // Read-only roots for all three: the metrics server reads its certificate from the
                    // kedaorg-certs secret mounted at /certs and writes nothing (chart 2.20.2).
                    securityContext: {
                        operator: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
                        metricServer: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
                        webhooks: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
                    },
                    podDisruptionBudget: { operator: pdb, metricServer: pdb, webhooks: pdb },
                    ...topologySpread(args.highAvailability),
                    podLabels: { keda: args.labels, metricsAdapter: args.labels, webhooks: args.labels },
                    nodeSelector: SYSTEM_NODE_SELECTOR,
                    tolerations: SYSTEM_TOLERATIONS,
                    priorityClassName: PRIORITY_CLASSES.platform.name,
                    prometheus: { operator: { enabled: true, serviceMonitor: { enabled: true } } },
                    // The custom kinds a ScaledObject may target (Deployments and StatefulSets are built in): the
                    // services' Rollouts. The chart's default, every kind of every group, lets the operator read every
                    // object in the cluster, Secrets included (templates/manager/clusterrole.yaml at 2.20.2: `kind` is the resource).
                    rbac: { scaledRefKinds: [{ apiGroup: "argoproj.io", kind: "rollouts" }] },
                },
            },
            { parent: this },
        );
        this.registerOutputs({ release: this.release, status: this.release.status });
    }
}

export const kedaAddon: Addon<Keda> = {
    declaration: KEDA,
    footprint: kedaFootprint,
    install: (ctx, opts) =>
        new Keda(
            "keda",
            { ...controllerSettings(ctx.config), namespace: ctx.namespace, labels: ctx.labels },
            opts,
        ),
};
