import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AMBIENT, DATAPLANE_MODE_LABEL, HBONE_PORT, PROBE_SNAT_CIDR } from "../../../../vocabulary/mesh";
import { PRIORITY_CLASSES } from "../../../../vocabulary/placement";
import { MONITORING_NAMESPACE } from "../../../../vocabulary/platform";
import type { ObservabilityConfig, StackConfig } from "../../../config";
import {
    allowApiServer,
    allowAwsApis,
    allowFromControlPlane,
    allowPolicies,
    AllowRule,
    allowToNamespaces,
    allowWithinNamespace,
    cidr,
    namespacePeer,
    tcp,
} from "../../network-policies";
import { SYSTEM_NODE_SELECTOR, SYSTEM_TOLERATIONS } from "../../scheduling";
import {
    Addon,
    AddonDeclaration,
    AddonPlacement,
    ControllerSettings,
    controllerReplicas,
    controllerSettings,
    requireFact,
    resourcesOf,
    ScrapeTarget,
    WorkloadFootprint,
} from "../addon";
import { chartRelease, PinnedChart } from "../chart";
import { ALERTING_AWS, FULLNAME, PLATFORM_ALERTS, PlatformAlerts, PROMETHEUS_PORT } from "./facts";
import { alertPublishStatements } from "./iam";

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

/** The label of Prometheus' pods (the operator's), which its policies select. */
const PROMETHEUS_POD = { "app.kubernetes.io/name": "prometheus" };
/** Alertmanager publishes to SNS with this service account's Pod Identity. */
export const ALERTMANAGER_SERVICE_ACCOUNT = "alertmanager";
/** The StorageClass of Prometheus' and Alertmanager's volumes. */
export const ENCRYPTED_GP3 = "gp3-encrypted";

/** Ports scraped in the monitoring namespace: Prometheus, Alertmanager, the operator, kube-state-metrics. */
const MONITORING_METRICS_PORTS = [PROMETHEUS_PORT, 9093, 8080, 10250];

export const MONITORING: AddonDeclaration = {
    name: "monitoring",
    description:
        "Prometheus, Alertmanager (to the alert SNS topic), kube-state-metrics and the Prometheus Operator's CRDs; PrometheusRules from the PerformanceProfile (FR-021, FR-024).",
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
    // exemption for its own clients is a PeerAuthentication, one of the mesh's CRDs.
    dependsOn: ["mesh"],
    metricsPorts: MONITORING_METRICS_PORTS,
};

/** Cost labels kube-state-metrics exports on kube_pod_labels and kube_namespace_labels (OpenCost and the cost dashboard group by them). */
export const COST_LABEL_ALLOWLIST = [
    "cost.tacos.io/service",
    "cost.tacos.io/component",
    "cost.tacos.io/environment",
    "app.kubernetes.io/name",
];

export interface MonitoringArgs extends ControllerSettings, AddonPlacement {
    region: string;
    clusterName: pulumi.Input<string>;
    environment: string;
    observability: ObservabilityConfig;
    /** The alert SNS topic Alertmanager publishes to. */
    alertTopicArn: pulumi.Input<string>;
    /** The KMS key Prometheus' volumes are encrypted with. */
    volumeKeyArn: pulumi.Input<string>;
    /** Tags of every volume. */
    tags: Record<string, string>;
    /** Where Prometheus scrapes. */
    scrapeTargets: ScrapeTarget[];
    /** Namespaces (other than its own) whose pods query Prometheus' API. */
    prometheusClients: string[];
    /** The platform's alert rules (built by the apps layer from the catalogue and the config). */
    alerts: PlatformAlerts;
    /** The monitoring workloads' replicas and sizing (monitoringFootprint). */
    footprint: WorkloadFootprint[];
}

/** The settings of the monitoring workloads in this stack: one replica each, two of Prometheus and Alertmanager in HA stacks. */
export function monitoringFootprint(config: StackConfig): WorkloadFootprint[] {
    const replicas = controllerReplicas(config.addons.highAvailability);
    return [
        {
            name: "prometheus",
            replicas,
            nodes: "system",
            resources: { requests: { cpu: "500m", memory: "3Gi" }, limits: { cpu: "2", memory: "4Gi" } },
        },
        {
            name: "alertmanager",
            replicas,
            nodes: "system",
            resources: { requests: { cpu: "20m", memory: "64Mi" }, limits: { cpu: "200m", memory: "256Mi" } },
        },
        {
            name: "prometheus-operator",
            replicas: 1,
            nodes: "system",
            resources: {
                requests: { cpu: "50m", memory: "128Mi" },
                limits: { cpu: "500m", memory: "512Mi" },
            },
        },
        {
            name: "kube-state-metrics",
            replicas: 1,
            nodes: "system",
            resources: {
                requests: { cpu: "50m", memory: "128Mi" },
                limits: { cpu: "500m", memory: "512Mi" },
            },
        },
    ];
}

/**
 * The monitoring core: the encrypted, cost-tagged gp3 StorageClass; kube-prometheus-stack with
 * Prometheus selecting every ServiceMonitor and PrometheusRule in the cluster, persistent and
 * retained by time and size; Alertmanager routing every alert but the always-firing Watchdog to
 * the SNS topic; the platform's alert rules; NetworkPolicies for exactly the scrape targets.
 */
export class Monitoring extends pulumi.ComponentResource {
    public readonly release: k8s.helm.v3.Release;
    public readonly rules: k8s.apiextensions.CustomResource;

    constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tacos:k8s:Monitoring", name, {}, opts);
        const obs = args.observability;
        const replicas = controllerReplicas(args.highAvailability);
        const placement = {
            nodeSelector: SYSTEM_NODE_SELECTOR,
            tolerations: SYSTEM_TOLERATIONS,
            priorityClassName: PRIORITY_CLASSES.platform.name,
        };

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
        const rules: AllowRule[] = [
            allowWithinNamespace(),
            allowApiServer(args.vpcCidr),
            allowFromControlPlane(args.vpcCidr, [10250]),
            { ...allowAwsApis({ "app.kubernetes.io/name": "alertmanager" }), name: "alertmanager-to-sns" },
            // A namespace in the mesh is reached through its pods' HBONE port (the metrics port is inside the tunnel).
            allowToNamespaces(
                "to-scrape-targets",
                args.scrapeTargets
                    .filter((t) => t.namespace !== MONITORING_NAMESPACE)
                    .map((t) => (t.viaMesh ? { namespace: t.namespace, ports: [HBONE_PORT] } : t)),
            ),
            // (An empty `from` would admit everyone: no rule without clients.)
            ...(args.prometheusClients.length > 0
                ? [
                      {
                          name: "prometheus-from-clients",
                          podSelector: PROMETHEUS_POD,
                          ingress: [
                              {
                                  from: args.prometheusClients.map((ns) => namespacePeer(ns)),
                                  ports: tcp(PROMETHEUS_PORT),
                              },
                          ],
                      },
                  ]
                : []),
            // In the mesh, kubelet's probes of Prometheus come from the CNI agent's SNAT address.
            ...(inMesh
                ? [
                      {
                          name: "prometheus-probes",
                          podSelector: PROMETHEUS_POD,
                          ingress: [{ from: [cidr(PROBE_SNAT_CIDR)], ports: tcp(PROMETHEUS_PORT) }],
                      },
                  ]
                : []),
            // The kubelets' cAdvisor and resource metrics, and node-exporter on the host network.
            { name: "to-nodes", egress: [{ to: [cidr(args.vpcCidr)], ports: tcp(10250, 9100) }] },
        ];
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

        const prometheusStorageBytes = obs.prometheus.volumeGiB * 2 ** 30;
        this.release = chartRelease(
            `${name}-release`,
            {
                releaseName: "kube-prometheus-stack",
                namespace: args.namespace,
                chart: KUBE_PROMETHEUS_STACK_CHART,
                values: {
                    fullnameOverride: FULLNAME,
                    crds: { enabled: true },
                    // EKS runs the control plane: its controller manager, scheduler and etcd cannot be scraped, and
                    // kube-proxy serves metrics on the node's loopback only.
                    kubeControllerManager: { enabled: false },
                    kubeEtcd: { enabled: false },
                    kubeScheduler: { enabled: false },
                    kubeProxy: { enabled: false },
                    defaultRules: {
                        create: true,
                        rules: {
                            etcd: false,
                            kubeControllerManager: false,
                            kubeSchedulerAlerting: false,
                            kubeSchedulerRecording: false,
                            kubeProxy: false,
                        },
                    },
                    grafana: { enabled: false },
                    nodeExporter: { enabled: false },
                    prometheusOperator: {
                        resources: resourcesOf(args.footprint, "prometheus-operator"),
                        ...placement,
                        podLabels: args.labels,
                        admissionWebhooks: {
                            patch: {
                                ...placement,
                                podLabels: args.labels,
                                resources: {
                                    requests: { cpu: "10m", memory: "32Mi" },
                                    limits: { cpu: "100m", memory: "64Mi" },
                                },
                            },
                        },
                    },
                    prometheus: {
                        prometheusSpec: {
                            replicas,
                            retention: `${obs.prometheus.retentionDays}d`,
                            // Size-based retention below the volume, so that a burst of series never fills it.
                            retentionSize: `${Math.floor((prometheusStorageBytes * 0.85) / 2 ** 30)}GiB`,
                            storageSpec: {
                                volumeClaimTemplate: {
                                    spec: {
                                        storageClassName: ENCRYPTED_GP3,
                                        accessModes: ["ReadWriteOnce"],
                                        resources: { requests: { storage: `${obs.prometheus.volumeGiB}Gi` } },
                                    },
                                },
                            },
                            resources: resourcesOf(args.footprint, "prometheus"),
                            ...placement,
                            // In the ambient mesh (when it scrapes a namespace there), with its own identity, which the services admit.
                            podMetadata: {
                                labels: {
                                    ...args.labels,
                                    ...(inMesh ? { [DATAPLANE_MODE_LABEL]: AMBIENT } : {}),
                                },
                            },
                            scrapeInterval: `${obs.prometheus.scrapeIntervalSeconds}s`,
                            evaluationInterval: `${obs.prometheus.scrapeIntervalSeconds}s`,
                            externalLabels: { cluster: args.clusterName, environment: args.environment },
                            // Every ServiceMonitor, PodMonitor and PrometheusRule in the cluster, not only the release's.
                            serviceMonitorSelectorNilUsesHelmValues: false,
                            podMonitorSelectorNilUsesHelmValues: false,
                            ruleSelectorNilUsesHelmValues: false,
                        },
                    },
                    alertmanager: {
                        serviceAccount: { name: ALERTMANAGER_SERVICE_ACCOUNT },
                        config: pulumi
                            .output(args.alertTopicArn)
                            .apply((topic) => alertmanagerConfig(topic, args.region)),
                        alertmanagerSpec: {
                            replicas,
                            storage: {
                                volumeClaimTemplate: {
                                    spec: {
                                        storageClassName: ENCRYPTED_GP3,
                                        accessModes: ["ReadWriteOnce"],
                                        resources: { requests: { storage: "2Gi" } },
                                    },
                                },
                            },
                            resources: resourcesOf(args.footprint, "alertmanager"),
                            ...placement,
                            podMetadata: { labels: args.labels },
                        },
                    },
                    "kube-state-metrics": {
                        replicas: 1,
                        metricLabelsAllowlist: [
                            `pods=[${COST_LABEL_ALLOWLIST.join(",")}]`,
                            `namespaces=[${COST_LABEL_ALLOWLIST.join(",")}]`,
                            "nodes=[karpenter.sh/capacity-type,karpenter.sh/nodepool,eks.amazonaws.com/capacityType,node.kubernetes.io/instance-type]",
                        ],
                        resources: resourcesOf(args.footprint, "kube-state-metrics"),
                        ...placement,
                        customLabels: args.labels,
                    },
                },
            },
            { parent: this, dependsOn: [storageClass, ...clientPort] },
        );

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

/**
 * Alertmanager's configuration: every alert grouped by name and service and sent to the SNS topic
 * (with its own Pod Identity through SigV4), resolved ones too; the Watchdog, which always fires
 * to prove the pipeline works, and the chart's InfoInhibitor go nowhere.
 */
export function alertmanagerConfig(topicArn: string, region: string): Record<string, unknown> {
    return {
        global: { resolve_timeout: "5m" },
        route: {
            receiver: "sns",
            group_by: ["alertname", "namespace", "service"],
            group_wait: "30s",
            group_interval: "5m",
            repeat_interval: "4h",
            routes: [{ receiver: "null", matchers: ['alertname=~"Watchdog|InfoInhibitor"'] }],
        },
        inhibit_rules: [
            {
                source_matchers: ['severity="critical"'],
                target_matchers: ['severity="warning"'],
                equal: ["alertname", "namespace", "service"],
            },
        ],
        receivers: [
            { name: "null" },
            {
                name: "sns",
                sns_configs: [
                    {
                        topic_arn: topicArn,
                        sigv4: { region },
                        send_resolved: true,
                        subject:
                            "[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} {{ .CommonLabels.service }}",
                        message:
                            "{{ range .Alerts }}{{ .Annotations.summary }}\n{{ .Annotations.description }}\n{{ end }}",
                    },
                ],
            },
        ],
    };
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
