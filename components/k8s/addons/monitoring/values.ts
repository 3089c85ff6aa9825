/**
 * kube-prometheus-stack's values, built from the monitoring component's arguments: the operator,
 * Prometheus (persistent, retained by time and size, selecting every ServiceMonitor, PodMonitor and
 * PrometheusRule), Alertmanager to the SNS topic, kube-state-metrics with the cost labels.
 */
import * as pulumi from "@pulumi/pulumi";
import { AMBIENT, DATAPLANE_MODE_LABEL } from "../../../../vocabulary/mesh";
import { PRIORITY_CLASSES } from "../../../../vocabulary/placement";
import { SYSTEM_NODE_SELECTOR, SYSTEM_TOLERATIONS } from "../../scheduling";
import { controllerReplicas, resourcesOf } from "../addon";
import { alertmanagerConfig } from "./alertmanager";
import type { MonitoringArgs } from "./args";
import { FULLNAME } from "./facts";

/** Alertmanager publishes to SNS with this service account's Pod Identity. */
export const ALERTMANAGER_SERVICE_ACCOUNT = "alertmanager";
/** The StorageClass of Prometheus' and Alertmanager's volumes. */
export const ENCRYPTED_GP3 = "gp3-encrypted";

/** Cost labels kube-state-metrics exports on kube_pod_labels and kube_namespace_labels (OpenCost and the cost dashboard group by them). */
export const COST_LABEL_ALLOWLIST = [
    "cost.tacos.io/service",
    "cost.tacos.io/component",
    "cost.tacos.io/environment",
    "app.kubernetes.io/name",
];

/** Where the stack's pods run: on the system nodes, at the platform's priority. */
const PLACEMENT = {
    nodeSelector: SYSTEM_NODE_SELECTOR,
    tolerations: SYSTEM_TOLERATIONS,
    priorityClassName: PRIORITY_CLASSES.platform.name,
};

/** A storage spec of one ReadWriteOnce volume of `size` per pod, on the encrypted gp3 class. */
function encryptedVolumeClaim(size: string) {
    return {
        volumeClaimTemplate: {
            spec: {
                storageClassName: ENCRYPTED_GP3,
                accessModes: ["ReadWriteOnce"],
                resources: { requests: { storage: size } },
            },
        },
    };
}

/**
 * The chart's PodDisruptionBudget of Prometheus or Alertmanager (`<component>.podDisruptionBudget`,
 * off by default at chart 88.5.3, selecting the operator's pods of the one instance): with two
 * replicas, a drain evicts one at a time, so one keeps scraping or notifying while the other's
 * single-zone volume follows it. `unhealthyPodEvictionPolicy` is the chart's default, written out:
 * a pod that is not ready may always be evicted, so a broken one never blocks a drain.
 */
function disruptionBudget(highAvailability: boolean): Record<string, unknown> {
    return highAvailability
        ? { enabled: true, minAvailable: 1, unhealthyPodEvictionPolicy: "AlwaysAllow" }
        : { enabled: false };
}

/** The chart's values; `inMesh` when Prometheus joins the ambient mesh (it scrapes a namespace there). */
export function kubePrometheusStackValues(args: MonitoringArgs, inMesh: boolean): Record<string, unknown> {
    return {
        fullnameOverride: FULLNAME,
        crds: { enabled: true },
        // All four on by default at chart 88.5.3, and all pointing at nothing on EKS. The controller manager's
        // and the scheduler's monitors look for pods or host ports EKS does not run in the cluster: their
        // metrics come through the API server instead (control-plane.ts). etcd's are not exposed at all (the
        // API server's own apiserver_storage_* series stand in). kube-proxy, an EKS add-on, binds its metrics
        // to 127.0.0.1:10249 by default, out of Prometheus' reach; its rules (below) go with it.
        kubeControllerManager: { enabled: false },
        kubeEtcd: { enabled: false },
        kubeScheduler: { enabled: false },
        kubeProxy: { enabled: false },
        // CoreDNS (the EKS add-on) serves metrics on 9153: the chart's headless Service and ServiceMonitor in
        // kube-system select its pods, and Prometheus' NetworkPolicy lets it reach them (network.ts).
        coreDns: { enabled: true },
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
        prometheusOperator: operatorValues(args),
        prometheus: prometheusValues(args, inMesh),
        alertmanager: alertmanagerValues(args),
        "kube-state-metrics": kubeStateMetricsValues(args),
    };
}

/** The Prometheus operator, and the job that patches its admission webhooks. */
function operatorValues(args: MonitoringArgs): Record<string, unknown> {
    return {
        resources: resourcesOf(args.footprint, "prometheus-operator"),
        ...PLACEMENT,
        podLabels: args.labels,
        admissionWebhooks: {
            patch: {
                ...PLACEMENT,
                podLabels: args.labels,
                resources: {
                    requests: { cpu: "10m", memory: "32Mi" },
                    limits: { cpu: "100m", memory: "64Mi" },
                },
            },
        },
    };
}

/**
 * Prometheus: persistent, retained by time and by size, labelled with the cluster and environment,
 * selecting every ServiceMonitor, PodMonitor and PrometheusRule.
 */
function prometheusValues(args: MonitoringArgs, inMesh: boolean): Record<string, unknown> {
    const obs = args.observability;
    const prometheusStorageBytes = obs.prometheus.volumeGiB * 2 ** 30;
    return {
        podDisruptionBudget: disruptionBudget(args.highAvailability),
        prometheusSpec: {
            replicas: controllerReplicas(args.highAvailability),
            retention: `${obs.prometheus.retentionDays}d`,
            // Size-based retention below the volume, so that a burst of series never fills it.
            retentionSize: `${Math.floor((prometheusStorageBytes * 0.85) / 2 ** 30)}GiB`,
            storageSpec: encryptedVolumeClaim(`${obs.prometheus.volumeGiB}Gi`),
            resources: resourcesOf(args.footprint, "prometheus"),
            ...PLACEMENT,
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
    };
}

/** Alertmanager: persistent, publishing to the SNS topic with its service account's Pod Identity. */
function alertmanagerValues(args: MonitoringArgs): Record<string, unknown> {
    return {
        podDisruptionBudget: disruptionBudget(args.highAvailability),
        serviceAccount: { name: ALERTMANAGER_SERVICE_ACCOUNT },
        config: pulumi
            .all([args.alertTopicArn, args.heartbeatTopicArn])
            .apply(([alertTopicArn, heartbeatTopicArn]) =>
                alertmanagerConfig({ alertTopicArn, heartbeatTopicArn }, args.region),
            ),
        alertmanagerSpec: {
            replicas: controllerReplicas(args.highAvailability),
            storage: encryptedVolumeClaim("2Gi"),
            resources: resourcesOf(args.footprint, "alertmanager"),
            ...PLACEMENT,
            podMetadata: { labels: args.labels },
        },
    };
}

/** kube-state-metrics, exporting the cost labels of pods and namespaces and the capacity labels of nodes. */
function kubeStateMetricsValues(args: MonitoringArgs): Record<string, unknown> {
    return {
        replicas: 1,
        metricLabelsAllowlist: [
            `pods=[${COST_LABEL_ALLOWLIST.join(",")}]`,
            `namespaces=[${COST_LABEL_ALLOWLIST.join(",")}]`,
            "nodes=[karpenter.sh/capacity-type,karpenter.sh/nodepool,eks.amazonaws.com/capacityType,node.kubernetes.io/instance-type]",
        ],
        resources: resourcesOf(args.footprint, "kube-state-metrics"),
        ...PLACEMENT,
        customLabels: args.labels,
    };
}
