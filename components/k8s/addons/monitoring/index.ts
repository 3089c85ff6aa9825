import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MONITORING_NAMESPACE } from "../../../../vocabulary/platform";
import { allowPolicies } from "../../network-policies";
import { Addon, AddonDeclaration, controllerSettings, requireFact } from "../addon";
import { chartRelease, PinnedChart } from "../chart";
import type { MonitoringArgs } from "./args";
import { controlPlaneMonitors } from "./control-plane";
import { ALERTING_AWS, PLATFORM_ALERTS, PROMETHEUS_PORT } from "./facts";
import { monitoringFootprint } from "./footprint";
import { alertPublishStatements } from "./iam";
import { monitoringAllowRules, PROMETHEUS_POD } from "./network";
import { ALERTMANAGER_SERVICE_ACCOUNT, ENCRYPTED_GP3, kubePrometheusStackValues } from "./values";

/**
 * kube-prometheus-stack 88.5.3 (Prometheus Operator v0.93.1): the operator and its CRDs,
 * Prometheus, Alertmanager and kube-state-metrics. Grafana and node-exporter are add-ons of their
 * own (grafana, node-exporter): Grafana is routed through the Gateway, node-exporter needs a
 * privileged namespace.
 */
export const KUBE_PROMETHEUS_STACK_CHART: PinnedChart = {
    chart: "kube-prometheus-stack",
    repo: "https://prometheus-community.github.io/helm-charts",
    version: "88.5.3",
    checkedAgainst:
        "prometheus-community/helm-charts charts/kube-prometheus-stack values.yaml and templates at ea930baee (chart 88.5.3, operator v0.93.1), with its kube-state-metrics subchart; rendered with npm run render:addons",
    valuesKeys: [
        "fullnameOverride",
        "crds.enabled",
        "defaultRules.create",
        "defaultRules.rules",
        "kubeControllerManager.enabled",
        "kubeEtcd.enabled",
        "kubeScheduler.enabled",
        "kubeProxy.enabled",
        "coreDns.enabled",
        "grafana.enabled",
        "nodeExporter.enabled",
        "prometheusOperator.resources",
        "prometheusOperator.nodeSelector",
        "prometheusOperator.tolerations",
        "prometheusOperator.priorityClassName",
        "prometheusOperator.podLabels",
        "prometheusOperator.admissionWebhooks.patch.nodeSelector",
        "prometheusOperator.admissionWebhooks.patch.tolerations",
        "prometheusOperator.admissionWebhooks.patch.priorityClassName",
        "prometheusOperator.admissionWebhooks.patch.podLabels",
        "prometheusOperator.admissionWebhooks.patch.resources",
        "prometheus.podDisruptionBudget.enabled",
        "prometheus.podDisruptionBudget.minAvailable",
        "prometheus.podDisruptionBudget.unhealthyPodEvictionPolicy",
        "prometheus.prometheusSpec.replicas",
        "prometheus.prometheusSpec.retention",
        "prometheus.prometheusSpec.retentionSize",
        "prometheus.prometheusSpec.storageSpec",
        "prometheus.prometheusSpec.resources",
        "prometheus.prometheusSpec.nodeSelector",
        "prometheus.prometheusSpec.tolerations",
        "prometheus.prometheusSpec.priorityClassName",
        "prometheus.prometheusSpec.podMetadata",
        "prometheus.prometheusSpec.scrapeInterval",
        "prometheus.prometheusSpec.evaluationInterval",
        "prometheus.prometheusSpec.externalLabels",
        "prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValues",
        "prometheus.prometheusSpec.podMonitorSelectorNilUsesHelmValues",
        "prometheus.prometheusSpec.ruleSelectorNilUsesHelmValues",
        "alertmanager.config",
        "alertmanager.serviceAccount.name",
        "alertmanager.podDisruptionBudget.enabled",
        "alertmanager.podDisruptionBudget.minAvailable",
        "alertmanager.podDisruptionBudget.unhealthyPodEvictionPolicy",
        "alertmanager.alertmanagerSpec.replicas",
        "alertmanager.alertmanagerSpec.storage",
        "alertmanager.alertmanagerSpec.resources",
        "alertmanager.alertmanagerSpec.nodeSelector",
        "alertmanager.alertmanagerSpec.tolerations",
        "alertmanager.alertmanagerSpec.priorityClassName",
        "alertmanager.alertmanagerSpec.podMetadata",
        "kube-state-metrics.metricLabelsAllowlist",
        "kube-state-metrics.resources",
        "kube-state-metrics.nodeSelector",
        "kube-state-metrics.tolerations",
        "kube-state-metrics.priorityClassName",
        "kube-state-metrics.customLabels",
        "kube-state-metrics.replicas",
    ],
};

/** Ports scraped in the monitoring namespace: Prometheus, Alertmanager, the operator, kube-state-metrics. */
const MONITORING_METRICS_PORTS = [PROMETHEUS_PORT, 9093, 8080, 10250];

export const MONITORING: AddonDeclaration = {
    name: "monitoring",
    description:
        "Prometheus, Alertmanager (to the alert SNS topic, its Watchdog to a heartbeat topic watched from CloudWatch), kube-state-metrics and the Prometheus Operator's CRDs; PrometheusRules from the PerformanceProfile.",
    component: "monitoring",
    namespace: { name: MONITORING_NAMESPACE, podSecurity: "restricted" },
    charts: [KUBE_PROMETHEUS_STACK_CHART],
    identity: {
        key: "alertmanager",
        serviceAccount: ALERTMANAGER_SERVICE_ACCOUNT,
        statements: (aws, facts) =>
            alertPublishStatements(aws, requireFact(facts, ALERTING_AWS, "monitoring")),
    },
    // Prometheus joins the ambient mesh to scrape the services (their STRICT mutual TLS admits no plaintext): its
    // exemption for its own clients is a PeerAuthentication, one of the mesh's CRDs. Its pods (and so every add-on
    // after it) schedule only once the mesh's node agents have lifted the nodes' startup taint.
    dependsOn: ["mesh", "mesh-node"],
    metricsPorts: MONITORING_METRICS_PORTS,
};

/**
 * The monitoring core: the encrypted, cost-tagged gp3 StorageClass; kube-prometheus-stack with
 * Prometheus selecting every ServiceMonitor and PrometheusRule in the cluster, persistent and
 * retained by time and size; Alertmanager routing every paging alert to the SNS topic and the
 * always-firing Watchdog to the heartbeat topic; the platform's alert rules; NetworkPolicies for
 * exactly the scrape targets.
 */
export class Monitoring extends pulumi.ComponentResource {
    public readonly release: k8s.helm.v3.Release;
    public readonly rules: k8s.apiextensions.CustomResource;

    constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tacos:k8s:Monitoring", name, {}, opts);

        const storageClass = new k8s.storage.v1.StorageClass(
            `${name}-gp3-encrypted`,
            {
                metadata: { name: ENCRYPTED_GP3, labels: args.labels },
                provisioner: "ebs.csi.aws.com",
                parameters: pulumi.output(args.volumeKeyArn).apply((key) => ({
                    type: "gp3",
                    encrypted: "true",
                    kmsKeyId: key,
                    "csi.storage.k8s.io/fstype": "ext4",
                    ...Object.fromEntries(
                        Object.entries(args.tags).map(([k, v], i) => [
                            `tagSpecification_${i + 1}`,
                            `${k}=${v}`,
                        ]),
                    ),
                })),
                reclaimPolicy: "Delete",
                volumeBindingMode: "WaitForFirstConsumer",
                allowVolumeExpansion: true,
            },
            { parent: this },
        );

        // Prometheus joins the ambient mesh when a namespace it scrapes is in it: only a mesh identity passes STRICT mutual TLS.
        const inMesh = args.scrapeTargets.some((t) => t.viaMesh);
        const rules = monitoringAllowRules(args, inMesh);
        allowPolicies(name, args.namespace, rules, args.labels, { parent: this });
        // Prometheus' clients (Grafana, KEDA, Argo Rollouts, OpenCost) are outside the mesh: its query port takes
        // their plaintext, every other port of its pods stays STRICT. Before its pods join the mesh.
        const clientPort = inMesh
            ? [
                  new k8s.apiextensions.CustomResource(
                      `${name}-prometheus-clients`,
                      {
                          apiVersion: "security.istio.io/v1",
                          kind: "PeerAuthentication",
                          metadata: {
                              name: "prometheus-clients",
                              namespace: args.namespace,
                              labels: args.labels,
                          },
                          spec: {
                              selector: { matchLabels: PROMETHEUS_POD },
                              portLevelMtls: { [PROMETHEUS_PORT]: { mode: "PERMISSIVE" } },
                          },
                      },
                      { parent: this },
                  ),
              ]
            : [];

        this.release = chartRelease(
            `${name}-release`,
            {
                releaseName: "kube-prometheus-stack",
                namespace: args.namespace,
                chart: KUBE_PROMETHEUS_STACK_CHART,
                values: kubePrometheusStackValues(args, inMesh),
            },
            { parent: this, dependsOn: [storageClass, ...clientPort] },
        );

        controlPlaneMonitors(name, args.labels, { parent: this, dependsOn: [this.release] });

        this.rules = new k8s.apiextensions.CustomResource(
            `${name}-platform-rules`,
            {
                apiVersion: "monitoring.coreos.com/v1",
                kind: "PrometheusRule",
                metadata: {
                    name: "tacos-platform",
                    namespace: args.namespace,
                    labels: args.labels,
                    annotations: args.alerts.exemptions,
                },
                spec: { groups: args.alerts.groups },
            },
            { parent: this, dependsOn: [this.release] },
        );
        this.registerOutputs({ release: this.release, status: this.release.status, rules: this.rules });
    }
}

export const monitoringAddon: Addon<Monitoring> = {
    declaration: MONITORING,
    footprint: monitoringFootprint,
    install: (ctx, opts) => {
        const alerting = requireFact(ctx.facts, ALERTING_AWS, "monitoring");
        return new Monitoring(
            "monitoring",
            {
                ...controllerSettings(ctx.config),
                namespace: ctx.namespace,
                labels: ctx.labels,
                region: ctx.config.region,
                clusterName: ctx.clusterName,
                environment: ctx.config.tags.Environment,
                observability: ctx.config.observability,
                alertTopicArn: alerting.alertTopicArn,
                heartbeatTopicArn: alerting.heartbeatTopicArn,
                volumeKeyArn: alerting.keyArn,
                tags: ctx.tags,
                scrapeTargets: ctx.scrapeTargets,
                prometheusClients: ctx.prometheusClients,
                alerts: requireFact(ctx.facts, PLATFORM_ALERTS, "monitoring"),
                footprint: monitoringFootprint(ctx.config),
            },
            opts,
        );
    },
};
