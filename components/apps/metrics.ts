/**
 * The metric names something in the stack exports, by exporter and the version they were read at.
 * Alert rules and the request-rate trigger may name only these; the tests parse every expression
 * and check each metric it selects against this list.
 */
import { CATALOGUE, SERVICE_NAMES } from "./catalogue";

/** The services' own series (catalogue.ts names them, from each service's code). */
function serviceMetricNames(): string[] {
    return SERVICE_NAMES.flatMap((service) => {
        const m = CATALOGUE[service].metrics;
        if (m.kind === "none") return [];
        const counter = m.kind === "requests" ? m.requests.name : m.events.name;
        return [counter, `${m.duration}_bucket`, `${m.duration}_count`, `${m.duration}_sum`];
    });
}

export const EXPORTED_METRICS: Record<string, { source: string; names: readonly string[] }> = {
    services: { source: "the services' code (components/apps/catalogue.ts)", names: serviceMetricNames() },
    "kube-state-metrics": {
        source: "kube-state-metrics v2.20.0 (chart 8.4.0, the one kube-prometheus-stack 88.5.3 ships)",
        names: [
            "kube_horizontalpodautoscaler_status_current_replicas",
            "kube_horizontalpodautoscaler_status_desired_replicas",
            "kube_horizontalpodautoscaler_spec_max_replicas",
            "kube_pod_container_status_restarts_total",
            "kube_pod_container_status_last_terminated_reason",
            "kube_pod_status_phase",
            "kube_pod_labels",
            "kube_node_labels",
            "kube_deployment_status_replicas_available",
            "kube_pod_container_resource_requests",
            "kube_pod_owner",
        ],
    },
    kubelet: {
        source: "the kubelet's cAdvisor endpoint (kube-prometheus-stack's kubelet ServiceMonitor)",
        names: ["container_cpu_usage_seconds_total", "container_memory_working_set_bytes"],
    },
    "kube-apiserver": {
        source: "the EKS API server (kube-prometheus-stack's apiserver ServiceMonitor), Kubernetes 1.35",
        names: ["pod_security_evaluations_total"],
    },
    keda: {
        source: "KEDA 2.20.2 operator (prometheus.operator.enabled)",
        names: [
            "keda_scaler_metrics_value",
            "keda_scaler_active",
            "keda_scaler_detail_errors_total",
            "keda_scaled_object_errors_total",
        ],
    },
    karpenter: {
        source: "Karpenter 1.14.1 (kubernetes-sigs/karpenter v1.14.0)",
        names: [
            "karpenter_cloudprovider_errors_total",
            "karpenter_nodeclaims_disrupted_total",
            "karpenter_nodes_current_lifetime_seconds",
            "karpenter_nodepools_usage",
            "karpenter_nodepools_limit",
        ],
    },
    argocd: { source: "Argo CD v3.2.0 application controller", names: ["argocd_app_info"] },
    prometheus: { source: "Prometheus v3.14.0", names: ["up", "ALERTS"] },
    opencost: {
        source: "OpenCost 1.120.1 (chart 2.5.17; pkg/costmodel/metrics.go, the names unchanged since v1.112.0)",
        names: [
            "node_cpu_hourly_cost",
            "node_ram_hourly_cost",
            "node_total_hourly_cost",
            "container_cpu_allocation",
            "container_memory_allocation_bytes",
            "pv_hourly_cost",
        ],
    },
};

/** Every exported metric name. */
export const KNOWN_METRICS: ReadonlySet<string> = new Set(
    Object.values(EXPORTED_METRICS).flatMap((e) => e.names),
);
