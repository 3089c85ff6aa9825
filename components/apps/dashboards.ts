/**
 * The Grafana dashboards, as code: one per service (requests, errors, P50/P95/P99 latency,
 * saturation, replicas against their maximum), the platform (nodes by capacity type, pending
 * pods, queue depth) and cost by service. Every query is built from the same series the alerts
 * read (the catalogue's metrics, kube-state-metrics, the kubelet, KEDA, OpenCost), and the tests
 * parse each one with the PromQL parser and check its metric names against metrics.ts.
 */
import { APP_NAMESPACE } from "../../vocabulary/platform";
import type { StackConfig } from "../config";
import { costLabelKey } from "../../vocabulary/tags";
import { errorRatioExpression, latencyQuantileExpression, requestRateExpression } from "./alerts";
import { CATALOGUE, SERVICE_NAMES, ServiceName } from "./catalogue";
import { Dashboard, dashboard, layout, PanelSpec } from "./dashboard-model";

/** Hours in an average month, for monthly figures from hourly prices. */
const HOURS_PER_MONTH = 730;

const podsOf = (service: ServiceName) => `namespace="${APP_NAMESPACE}", pod=~"${service}-.*"`;
/** The HPA of a service: its own in hpa mode, KEDA's `keda-hpa-<ScaledObject>` otherwise. */
const hpaOf = (service: ServiceName) =>
    `namespace="${APP_NAMESPACE}", horizontalpodautoscaler=~"(keda-hpa-)?${service}"`;

/** The panels of one service: its traffic, then its saturation and replicas. */
export function serviceDashboard(service: ServiceName): Dashboard {
    return dashboard(
        `tacos-${service}`,
        `Traffic Tacos / ${service}`,
        ["service", service],
        layout([...trafficPanels(service), ...capacityPanels(service)]),
    );
}

/**
 * A service's traffic: requests (or events) per second, the error share and the latency quantiles
 * from its own metrics; a note saying why when it exports none.
 */
function trafficPanels(service: ServiceName): (PanelSpec | { title: string; text: string })[] {
    const m = CATALOGUE[service].metrics;
    const rate = requestRateExpression(service);
    const errors = errorRatioExpression(service);
    return m.kind === "none"
        ? [
              {
                  title: "No request metrics",
                  text: `${service} exports no request metrics of its own: ${m.why}. Saturation and replicas below come from the kubelet and kube-state-metrics.`,
              },
          ]
        : [
              m.kind === "requests"
                  ? {
                        title: "Requests per second",
                        unit: "reqps",
                        queries: [{ expr: rate as string, legendFormat: "requests/s" }],
                    }
                  : {
                        title: "Events per second",
                        unit: "ops",
                        queries: [
                            {
                                expr: `sum by (outcome) (rate(${m.events.name}{namespace="${APP_NAMESPACE}", service="${service}"}[5m]))`,
                                legendFormat: "{{outcome}}",
                            },
                        ],
                    },
              {
                  title:
                      m.kind === "requests" ? "Server errors (share of requests)" : "Failed events (share)",
                  unit: "percentunit",
                  queries: [{ expr: errors as string, legendFormat: "errors" }],
              },
              {
                  title: "Latency P50 / P95 / P99",
                  unit: "s",
                  queries: [0.5, 0.95, 0.99].map((q) => ({
                      expr: latencyQuantileExpression(service, q) as string,
                      legendFormat: `P${Math.round(q * 100)}`,
                  })),
              },
          ];
}

/** A service's saturation (CPU and memory usage against requests) and its replicas against the HPA's maximum. */
function capacityPanels(service: ServiceName): PanelSpec[] {
    return [
        {
            title: "Saturation (usage / request)",
            unit: "percentunit",
            queries: [
                {
                    expr: `sum(rate(container_cpu_usage_seconds_total{${podsOf(service)}, container="${service}"}[5m])) / sum(kube_pod_container_resource_requests{${podsOf(service)}, container="${service}", resource="cpu"})`,
                    legendFormat: "CPU",
                },
                {
                    expr: `sum(container_memory_working_set_bytes{${podsOf(service)}, container="${service}"}) / sum(kube_pod_container_resource_requests{${podsOf(service)}, container="${service}", resource="memory"})`,
                    legendFormat: "memory",
                },
            ],
        },
        {
            title: "Replicas against maximum",
            unit: "short",
            queries: [
                {
                    expr: `max(kube_horizontalpodautoscaler_status_current_replicas{${hpaOf(service)}})`,
                    legendFormat: "current",
                },
                {
                    expr: `max(kube_horizontalpodautoscaler_status_desired_replicas{${hpaOf(service)}})`,
                    legendFormat: "desired",
                },
                {
                    expr: `max(kube_horizontalpodautoscaler_spec_max_replicas{${hpaOf(service)}})`,
                    legendFormat: "max",
                },
            ],
        },
    ];
}

/** The platform: nodes by capacity type, pending pods, the worker's queue depth. */
export function platformDashboard(): Dashboard {
    return dashboard(
        "tacos-platform",
        "Traffic Tacos / platform",
        ["platform"],
        layout([
            {
                title: "Nodes by capacity type",
                unit: "short",
                queries: [
                    {
                        expr: `count by (label_karpenter_sh_capacity_type) (kube_node_labels{label_karpenter_sh_capacity_type!=""})`,
                        legendFormat: "Karpenter {{label_karpenter_sh_capacity_type}}",
                    },
                    {
                        expr: `count by (label_eks_amazonaws_com_capacity_type) (kube_node_labels{label_eks_amazonaws_com_capacity_type!=""})`,
                        legendFormat: "managed {{label_eks_amazonaws_com_capacity_type}}",
                    },
                ],
            },
            {
                title: "Pending pods",
                unit: "short",
                queries: [
                    {
                        expr: `sum by (namespace) (kube_pod_status_phase{phase="Pending"})`,
                        legendFormat: "{{namespace}}",
                    },
                ],
            },
            {
                title: "reservation-events depth (KEDA)",
                unit: "short",
                queries: [
                    {
                        expr: `max(keda_scaler_metrics_value{exported_namespace="${APP_NAMESPACE}", scaledObject="reservation-worker"})`,
                        legendFormat: "messages",
                    },
                ],
            },
            {
                title: "NodePool usage against limits (CPU)",
                unit: "percentunit",
                queries: [
                    {
                        expr: `sum by (nodepool) (karpenter_nodepools_usage{resource_type="cpu"}) / sum by (nodepool) (karpenter_nodepools_limit{resource_type="cpu"})`,
                        legendFormat: "{{nodepool}}",
                    },
                ],
            },
        ]),
    );
}

/** kube-state-metrics' name of a pod label on kube_pod_labels. */
export const podLabelSeriesName = (label: string): string => `label_${label.replace(/[^A-Za-z0-9]/g, "_")}`;

/** The cost labels the cost dashboard groups by (kube-state-metrics allowlists them: monitoring's COST_LABEL_ALLOWLIST). */
const [SERVICE_LABEL, COMPONENT_LABEL, ENVIRONMENT_LABEL] = ["Service", "Component", "Environment"].map(
    (key) => podLabelSeriesName(costLabelKey(key)),
);

/**
 * Each pod's hourly cost, as OpenCost allocates it (its CPU and memory allocation times its
 * node's hourly prices), carrying the pod's cost labels from kube-state-metrics.
 */
export function podHourlyCostExpression(): string {
    const labels = [SERVICE_LABEL, COMPONENT_LABEL, ENVIRONMENT_LABEL].join(", ");
    const cpu =
        "sum by (namespace, pod) (container_cpu_allocation * on (node) group_left () max by (node) (node_cpu_hourly_cost))";
    const memory =
        "sum by (namespace, pod) (container_memory_allocation_bytes / 1073741824 * on (node) group_left () max by (node) (node_ram_hourly_cost))";
    // kube-state-metrics' copy of the labels (OpenCost exports one too).
    return `(${cpu} + ${memory}) * on (namespace, pod) group_left (${labels}) max by (namespace, pod, ${labels}) (kube_pod_labels{job="kube-state-metrics"})`;
}

/** Cost by service and environment: monthly run rate from OpenCost's allocation, grouped by the cost labels. */
export function costDashboard(): Dashboard {
    const [service, component, environment] = [SERVICE_LABEL, COMPONENT_LABEL, ENVIRONMENT_LABEL];
    const monthly = (by: string) => `sum by (${by}) (${podHourlyCostExpression()}) * ${HOURS_PER_MONTH}`;
    return dashboard(
        "tacos-cost",
        "Traffic Tacos / cost by service",
        ["cost"],
        layout([
            {
                title: "Monthly run rate by service (USD)",
                unit: "currencyUSD",
                queries: [
                    {
                        expr: monthly(`${service}, ${environment}`),
                        legendFormat: "{{" + service + "}} ({{" + environment + "}})",
                    },
                ],
            },
            {
                title: "Monthly run rate by platform component (USD)",
                unit: "currencyUSD",
                queries: [
                    {
                        expr: monthly(`${component}, ${environment}`),
                        legendFormat: "{{" + component + "}} ({{" + environment + "}})",
                    },
                ],
            },
            {
                title: "Monthly run rate by namespace (USD)",
                unit: "currencyUSD",
                queries: [{ expr: monthly("namespace"), legendFormat: "{{namespace}}" }],
            },
            {
                title: "How these figures are made",
                text: "OpenCost prices each node from the AWS price list and splits it over the pods by their requests (`container_cpu_allocation`, `container_memory_allocation_bytes`); the cost labels come from kube-state-metrics' `kube_pod_labels`. Spot discounts, EBS, load balancers and AWS services outside the cluster are not in these figures: AWS Cost Explorer by the `Service` and `Component` tags has them.",
            },
        ]),
    );
}

/** Every dashboard of the stack, by ConfigMap file name: the cost one only where OpenCost runs (it reads only OpenCost's series). */
export function dashboards(config: Pick<StackConfig, "addons">): Record<string, Dashboard> {
    return {
        ...Object.fromEntries(
            SERVICE_NAMES.map((service) => [`service-${service}`, serviceDashboard(service)]),
        ),
        platform: platformDashboard(),
        ...(config.addons.enabled.opencost ? { cost: costDashboard() } : {}),
    };
}
