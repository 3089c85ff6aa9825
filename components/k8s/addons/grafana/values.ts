/**
 * Grafana's chart and its values: the pin, the label its dashboards sidecar loads ConfigMaps by, the
 * admin Secret it reads, and the values that provision Prometheus and the dashboards.
 */
import { PRIORITY_CLASSES } from "../../../../vocabulary/placement";
import { SYSTEM_NODE_SELECTOR, SYSTEM_TOLERATIONS } from "../../scheduling";
import { resourcesOf, WorkloadFootprint } from "../addon";
import type { PinnedChart } from "../chart";
import { PROMETHEUS_URL } from "../monitoring/facts";

/**
 * grafana 12.11.1 (Grafana 13.2.0), the chart kube-prometheus-stack 88.5.3 depends on, from the
 * grafana-community repository that now publishes it.
 */
export const GRAFANA_CHART: PinnedChart = {
    chart: "grafana",
    repo: "https://grafana-community.github.io/helm-charts",
    version: "12.11.1",
    checkedAgainst:
        "grafana-community/helm-charts charts/grafana values.yaml and templates at grafana-12.11.1 (Grafana 13.2.0; priorityClassName and podLabels are commented in values.yaml and read by templates/_pod.tpl and deployment.yaml); rendered with npm run render:addons",
    valuesKeys: [
        "fullnameOverride",
        "rbac.namespaced",
        "testFramework.enabled",
        "admin.existingSecret",
        "admin.userKey",
        "admin.passwordKey",
        "priorityClassName",
        "podLabels",
        "nodeSelector",
        "tolerations",
        "resources",
        "grafana\\.ini",
        "datasources",
        "sidecar.resources",
        "sidecar.dashboards.enabled",
        "sidecar.dashboards.label",
        "sidecar.dashboards.labelValue",
        "sidecar.dashboards.resource",
        "serviceMonitor.enabled",
    ],
};

/** The label the dashboards sidecar loads ConfigMaps by. */
export const DASHBOARD_LABEL = { grafana_dashboard: "1" };

/** The Secret of Grafana's admin credentials, which the chart reads (never its generated one). */
export const ADMIN_SECRET = "grafana-admin";

/** What Grafana's values are built from. */
export interface GrafanaValuesArgs {
    /** The host name Grafana is served on. */
    hostname: string;
    /** Cost labels of its pods. */
    labels: Record<string, string>;
    /** Its pods' resources (grafanaFootprint). */
    footprint: WorkloadFootprint[];
}

/**
 * The chart's values: admin from ADMIN_SECRET, namespaced RBAC, on the system nodes, nothing
 * downloaded at start, Prometheus the default data source, the dashboards sidecar on.
 */
export function grafanaValues(args: GrafanaValuesArgs): Record<string, unknown> {
    return {
        fullnameOverride: "grafana",
        // A Role on its own namespace's ConfigMaps, not the chart's default ClusterRole on every Secret and
        // ConfigMap of the cluster: this pod faces the internet.
        rbac: { namespaced: true },
        // Its helm-test pod does not meet the restricted profile.
        testFramework: { enabled: false },
        admin: {
            existingSecret: ADMIN_SECRET,
            userKey: "admin-user",
            passwordKey: "admin-password",
        },
        priorityClassName: PRIORITY_CLASSES.platform.name,
        podLabels: args.labels,
        nodeSelector: SYSTEM_NODE_SELECTOR,
        tolerations: SYSTEM_TOLERATIONS,
        resources: resourcesOf(args.footprint, "grafana"),
        "grafana.ini": {
            server: { domain: args.hostname, root_url: `https://${args.hostname}` },
            analytics: {
                check_for_updates: false,
                check_for_plugin_updates: false,
                reporting_enabled: false,
            },
            // Grafana 12+ installs a list of app plugins from grafana.com in the background unless told not to.
            plugins: { preinstall_disabled: true },
            users: { allow_sign_up: false },
            "auth.anonymous": { enabled: false },
        },
        datasources: {
            "datasources.yaml": {
                apiVersion: 1,
                datasources: [
                    {
                        name: "Prometheus",
                        uid: "prometheus",
                        type: "prometheus",
                        access: "proxy",
                        url: PROMETHEUS_URL,
                        isDefault: true,
                        editable: false,
                    },
                ],
            },
        },
        sidecar: {
            resources: resourcesOf(args.footprint, "grafana-dashboards-sidecar"),
            dashboards: { enabled: true, ...labelAndValue(), resource: "configmap" },
        },
        serviceMonitor: { enabled: true },
    };
}

/** The sidecar's `label` and `labelValue`: DASHBOARD_LABEL's one key and value. */
const labelAndValue = () => {
    const [[label, labelValue]] = Object.entries(DASHBOARD_LABEL);
    return { label, labelValue };
};
