/** The pods of the monitoring add-on: Prometheus, Alertmanager, the operator and kube-state-metrics. */
import type { StackConfig } from "../../../config";
import { controllerReplicas, WorkloadFootprint } from "../addon";

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
