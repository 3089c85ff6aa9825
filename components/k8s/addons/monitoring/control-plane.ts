/**
 * The EKS control plane's scheduler and controller manager, scraped through the API server. EKS
 * runs them out of the cluster's reach, so kube-prometheus-stack's own monitors (which look for
 * their pods or host ports) find nothing and stay off (values.ts); from Kubernetes 1.28, EKS
 * serves their metrics under the `metrics.eks.amazonaws.com` API group (EKS User Guide, "Fetch
 * control plane raw metrics in Prometheus format").
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { MONITORING_NAMESPACE } from "../../../../vocabulary/platform";
import { PROMETHEUS_SERVICE_ACCOUNT } from "./facts";

/** The scrape jobs of the control plane's components, by the path the API server serves each one's metrics on. */
export const CONTROL_PLANE_JOBS = {
    "kube-scheduler": "/apis/metrics.eks.amazonaws.com/v1/ksh/container/metrics",
    "kube-controller-manager": "/apis/metrics.eks.amazonaws.com/v1/kcm/container/metrics",
} as const;

/** What reading them takes, as the EKS User Guide's page gives it: `get` on these resources of the group. */
export const CONTROL_PLANE_METRICS_RULE = {
    apiGroups: ["metrics.eks.amazonaws.com"],
    resources: ["kcm/metrics", "ksh/metrics"],
    verbs: ["get"],
};

/** The service account's credentials and the cluster's CA, as the chart's own apiserver ServiceMonitor uses them (chart 88.5.3). */
const API_SERVER_ENDPOINT = {
    port: "https",
    scheme: "https",
    bearerTokenFile: "/var/run/secrets/kubernetes.io/serviceaccount/token",
    tlsConfig: {
        caFile: "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt",
        serverName: "kubernetes",
        insecureSkipVerify: false,
    },
};

/**
 * A ServiceMonitor on the `kubernetes` Service in `default` (every API server endpoint, as the
 * EKS page's scrape config does), one endpoint per component named by its job, and the
 * ClusterRole and binding that let Prometheus' service account read them. The API server's
 * address is already open to Prometheus (allowApiServer).
 */
export function controlPlaneMonitors(
    name: string,
    labels: Record<string, string>,
    opts: pulumi.CustomResourceOptions,
): void {
    const role = new k8s.rbac.v1.ClusterRole(
        `${name}-control-plane-metrics`,
        {
            metadata: { name: "prometheus-eks-control-plane-metrics", labels },
            rules: [CONTROL_PLANE_METRICS_RULE],
        },
        opts,
    );
    new k8s.rbac.v1.ClusterRoleBinding(
        `${name}-control-plane-metrics`,
        {
            metadata: { name: "prometheus-eks-control-plane-metrics", labels },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role.metadata.name },
            subjects: [
                { kind: "ServiceAccount", name: PROMETHEUS_SERVICE_ACCOUNT, namespace: MONITORING_NAMESPACE },
            ],
        },
        opts,
    );
    new k8s.apiextensions.CustomResource(
        `${name}-control-plane`,
        {
            apiVersion: "monitoring.coreos.com/v1",
            kind: "ServiceMonitor",
            metadata: { name: "eks-control-plane", namespace: MONITORING_NAMESPACE, labels },
            spec: {
                namespaceSelector: { matchNames: ["default"] },
                selector: { matchLabels: { component: "apiserver", provider: "kubernetes" } },
                endpoints: Object.entries(CONTROL_PLANE_JOBS).map(([job, path]) => ({
                    ...API_SERVER_ENDPOINT,
                    path,
                    relabelings: [{ action: "replace", targetLabel: "job", replacement: job }],
                })),
            },
        },
        opts,
    );
}
