import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PRIORITY_CLASSES } from "../../../../vocabulary/placement";
import { allowApiServer, allowFromLoadBalancer, allowPolicies } from "../../network-policies";
import { SYSTEM_NODE_SELECTOR, SYSTEM_TOLERATIONS } from "../../scheduling";
import {
    Addon,
    AddonDeclaration,
    AddonPlacement,
    ControllerSettings,
    controllerSettings,
    dependency,
    optionalFact,
    publicSubnetCidrs,
    resourcesOf,
    WorkloadFootprint,
} from "../addon";
import { chartRelease, PinnedChart } from "../chart";
import { GATEWAY, GatewayParentRef } from "../gateway/facts";
import { PROMETHEUS_URL } from "../monitoring/facts";
import { DASHBOARDS } from "./facts";

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

/** Grafana's container port (`podPortName: grafana`) and its Service's port (`service.port`). */
const GRAFANA_PORT = 3000;
const GRAFANA_SERVICE_PORT = 80;
/** The label the dashboards sidecar loads ConfigMaps by. */
export const DASHBOARD_LABEL = { grafana_dashboard: "1" };

export const GRAFANA: AddonDeclaration = {
    name: "grafana",
    description:
        "Grafana on its own host name through the Gateway: Prometheus as its data source, the dashboards as code (per service, the platform, cost by service) loaded by its sidecar.",
    component: "monitoring",
    namespace: { name: "grafana", podSecurity: "restricted" },
    charts: [GRAFANA_CHART],
    dependsOn: ["gateway", "monitoring"],
    routedThroughGateway: true,
    metricsPorts: [GRAFANA_PORT],
    queriesPrometheus: true,
};

/**
 * One replica: Grafana keeps its users and sessions in SQLite on an emptyDir, and everything
 * else (data source, dashboards) is provisioned, so a restart loses nothing the program owns.
 */
export const grafanaFootprint = (): WorkloadFootprint[] => [
    {
        name: "grafana",
        replicas: 1,
        nodes: "system",
        resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "512Mi" } },
    },
    {
        name: "grafana-dashboards-sidecar",
        replicas: 1,
        nodes: "system",
        resources: { requests: { cpu: "10m", memory: "64Mi" }, limits: { cpu: "100m", memory: "128Mi" } },
    },
];

export interface GrafanaArgs extends Pick<ControllerSettings, "vpcCidr">, AddonPlacement {
    hostname: string;
    publicSubnetCidrs: string[];
    adminPassword: pulumi.Input<string>;
    /** Dashboards by file name (without .json): Grafana's dashboard JSON model. */
    dashboards: Record<string, object>;
    /** The Gateway's HTTPS listener; no route when nothing is exposed. */
    parentRef?: GatewayParentRef;
    gatewayCrds: pulumi.Resource[];
}

const ADMIN_SECRET = "grafana-admin";

/**
 * Grafana: admin password from secret config (a Secret the chart reads, never its generated
 * one), Prometheus provisioned as the default data source, every dashboard a labelled ConfigMap
 * the sidecar loads; nothing downloaded at start (no plugins, no update checks); reached only
 * through the Gateway over HTTPS on its own host name.
 */
export class Grafana extends pulumi.ComponentResource {
    public readonly release: k8s.helm.v3.Release;

    constructor(name: string, args: GrafanaArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tacos:k8s:Grafana", name, {}, opts);
        const podLabels = { "app.kubernetes.io/name": "grafana" };
        // The sidecar watches ConfigMaps through the API server; the load balancer reaches Grafana's pod.
        allowPolicies(
            name,
            args.namespace,
            [
                allowApiServer(args.vpcCidr),
                allowFromLoadBalancer(args.publicSubnetCidrs, [GRAFANA_PORT], podLabels),
            ],
            args.labels,
            { parent: this },
        );
        const admin = new k8s.core.v1.Secret(
            `${name}-admin`,
            {
                metadata: { name: ADMIN_SECRET, namespace: args.namespace, labels: args.labels },
                stringData: { "admin-user": "admin", "admin-password": args.adminPassword },
            },
            { parent: this },
        );
        const dashboards = Object.entries(args.dashboards).map(
            ([file, model]) =>
                new k8s.core.v1.ConfigMap(
                    `${name}-dashboard-${file}`,
                    {
                        metadata: {
                            name: `dashboard-${file}`,
                            namespace: args.namespace,
                            labels: { ...args.labels, ...DASHBOARD_LABEL },
                        },
                        data: { [`${file}.json`]: JSON.stringify(model) },
                    },
                    { parent: this },
                ),
        );
        const footprint = grafanaFootprint();
        this.release = chartRelease(
            `${name}-release`,
            {
                releaseName: "grafana",
                namespace: args.namespace,
                chart: GRAFANA_CHART,
                values: {
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
                    resources: resourcesOf(footprint, "grafana"),
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
                        resources: resourcesOf(footprint, "grafana-dashboards-sidecar"),
                        dashboards: { enabled: true, ...labelAndValue(), resource: "configmap" },
                    },
                    serviceMonitor: { enabled: true },
                },
            },
            { parent: this, dependsOn: [admin, ...dashboards] },
        );
        if (args.parentRef) {
            this.createRoute(name, args, args.parentRef);
        }
        this.registerOutputs({ release: this.release, status: this.release.status });
    }

    /** The HTTPRoute on the Gateway's HTTPS listener, and its target group's health check on Grafana's health endpoint (GET / redirects to the login page). */
    private createRoute(name: string, args: GrafanaArgs, parentRef: GatewayParentRef): void {
        const after = { parent: this, dependsOn: [...args.gatewayCrds, this.release] };
        new k8s.apiextensions.CustomResource(
            `${name}-target-group`,
            {
                apiVersion: "gateway.k8s.aws/v1",
                kind: "TargetGroupConfiguration",
                metadata: { name: "grafana", namespace: args.namespace, labels: args.labels },
                spec: {
                    targetReference: { name: "grafana" },
                    defaultConfiguration: {
                        targetType: "ip",
                        protocol: "HTTP",
                        healthCheckConfig: {
                            healthCheckProtocol: "HTTP",
                            healthCheckPath: "/api/health",
                            healthCheckPort: "traffic-port",
                            matcher: { httpCode: "200" },
                        },
                    },
                },
            },
            after,
        );
        new k8s.apiextensions.CustomResource(
            `${name}-route`,
            {
                apiVersion: "gateway.networking.k8s.io/v1",
                kind: "HTTPRoute",
                metadata: { name: "grafana", namespace: args.namespace, labels: args.labels },
                spec: {
                    parentRefs: [parentRef],
                    hostnames: [args.hostname],
                    rules: [{ backendRefs: [{ name: "grafana", port: GRAFANA_SERVICE_PORT }] }],
                },
            },
            after,
        );
    }
}

const labelAndValue = () => {
    const [[label, labelValue]] = Object.entries(DASHBOARD_LABEL);
    return { label, labelValue };
};

export const grafanaAddon: Addon<Grafana> = {
    declaration: GRAFANA,
    footprint: grafanaFootprint,
    install: (ctx, opts) => {
        const gateway = dependency(ctx, GATEWAY, "grafana");
        return new Grafana(
            "grafana",
            {
                namespace: ctx.namespace,
                labels: ctx.labels,
                hostname: ctx.config.observability.grafana.hostname,
                vpcCidr: controllerSettings(ctx.config).vpcCidr,
                publicSubnetCidrs: publicSubnetCidrs(ctx.config),
                adminPassword: ctx.config.secrets.grafanaAdminPassword,
                dashboards: optionalFact(ctx.facts, DASHBOARDS) ?? {},
                parentRef: gateway.httpsParentRef,
                gatewayCrds: gateway.crds,
            },
            opts,
        );
    },
};
