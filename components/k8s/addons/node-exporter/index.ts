import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PRIORITY_CLASSES } from "../../../../vocabulary/placement";
import { Addon, AddonDeclaration, AddonPlacement, resourcesOf, WorkloadFootprint } from "../addon";
import { chartRelease, PinnedChart } from "../chart";

/** prometheus-node-exporter 4.56.1 (node_exporter 1.12.1), the version kube-prometheus-stack 88.5.3 depends on. */
export const NODE_EXPORTER_CHART: PinnedChart = {
    chart: "prometheus-node-exporter",
    repo: "https://prometheus-community.github.io/helm-charts",
    version: "4.56.1",
    checkedAgainst:
        "prometheus-community/helm-charts charts/prometheus-node-exporter values.yaml and templates at prometheus-node-exporter-4.56.1 (node_exporter 1.12.1; priorityClassName is commented in values.yaml and read by templates/daemonset.yaml); rendered with npm run render:addons",
    valuesKeys: [
        "fullnameOverride",
        "image.distroless",
        "priorityClassName",
        "podLabels",
        "resources",
        "containerSecurityContext",
        "prometheus.monitor.enabled",
        "prometheus.monitor.jobLabel",
        "service.labels",
    ],
};

export const NODE_EXPORTER: AddonDeclaration = {
    name: "node-exporter",
    description:
        "Node CPU, memory, disk and network metrics from every node (kube-prometheus-stack's node-exporter, installed on its own for its namespace's level).",
    component: "monitoring",
    namespace: {
        name: "node-exporter",
        podSecurity: "privileged",
        reason: "node_exporter reads the node itself: host network and PID namespaces and hostPath mounts of /, /proc and /sys, which baseline forbids",
    },
    charts: [NODE_EXPORTER_CHART],
    // Its ServiceMonitor needs the Prometheus Operator's CRDs. Prometheus scrapes it on the node's address
    // (host network), so no NetworkPolicy of the namespace applies to it.
    dependsOn: ["monitoring"],
};

/** One pod on every node, the chart's default tolerations (every NoSchedule taint) kept. */
export const nodeExporterFootprint = (): WorkloadFootprint[] => [
    {
        name: "node-exporter",
        replicas: "every-node",
        nodes: "all",
        resources: { requests: { cpu: "20m", memory: "32Mi" }, limits: { cpu: "250m", memory: "128Mi" } },
    },
];

export type NodeExporterArgs = AddonPlacement;

/**
 * node-exporter as a DaemonSet on every node: the privileged level only for the host namespaces
 * and mounts it needs; inside them it drops every capability, cannot escalate, runs as nobody
 * under the runtime's seccomp profile with a read-only root.
 */
export class NodeExporter extends pulumi.ComponentResource {
    public readonly release: k8s.helm.v3.Release;

    constructor(name: string, args: NodeExporterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tacos:k8s:NodeExporter", name, {}, opts);
        this.release = chartRelease(
            `${name}-release`,
            {
                releaseName: "node-exporter",
                namespace: args.namespace,
                chart: NODE_EXPORTER_CHART,
                values: {
                    fullnameOverride: "node-exporter",
                    image: { distroless: true },
                    priorityClassName: PRIORITY_CLASSES.platform.name,
                    podLabels: args.labels,
                    resources: resourcesOf(nodeExporterFootprint(), "node-exporter"),
                    containerSecurityContext: {
                        readOnlyRootFilesystem: true,
                        allowPrivilegeEscalation: false,
                        capabilities: { drop: ["ALL"] },
                        seccompProfile: { type: "RuntimeDefault" },
                    },
                    // Scraped at Prometheus' global interval, as job "node-exporter": the name kube-prometheus-stack's node
                    // rules and alerts select (its own values for this subchart, 88.5.3).
                    service: { labels: { jobLabel: "node-exporter" } },
                    prometheus: { monitor: { enabled: true, jobLabel: "jobLabel" } },
                },
            },
            { parent: this },
        );
        this.registerOutputs({ release: this.release, status: this.release.status });
    }
}

export const nodeExporterAddon: Addon<NodeExporter> = {
    declaration: NODE_EXPORTER,
    footprint: nodeExporterFootprint,
    install: (ctx, opts) =>
        new NodeExporter("node-exporter", { namespace: ctx.namespace, labels: ctx.labels }, opts),
};
