import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { allowApiServer, allowFromLoadBalancer, allowPolicies } from "../../network-policies";
import {
    Addon,
    AddonDeclaration,
    AddonPlacement,
    ControllerSettings,
    controllerSettings,
    dependency,
    optionalFact,
    publicSubnetCidrs,
    WorkloadFootprint,
} from "../addon";
import { chartRelease } from "../chart";
import { GATEWAY, GatewayParentRef } from "../gateway/facts";
import { DASHBOARDS } from "./facts";
import { ADMIN_SECRET, DASHBOARD_LABEL, GRAFANA_CHART, grafanaValues } from "./values";

/** Grafana's container port (`podPortName: grafana`) and its Service's port (`service.port`). */
const GRAFANA_PORT = 3000;
const GRAFANA_SERVICE_PORT = 80;

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
        const dashboards = this.createDashboards(name, args);
        this.release = chartRelease(
            `${name}-release`,
            {
                releaseName: "grafana",
                namespace: args.namespace,
                chart: GRAFANA_CHART,
                values: grafanaValues({
                    hostname: args.hostname,
                    labels: args.labels,
                    footprint: grafanaFootprint(),
                }),
            },
            { parent: this, dependsOn: [admin, ...dashboards] },
        );
        if (args.parentRef) {
            this.createRoute(name, args, args.parentRef);
        }
        this.registerOutputs({ release: this.release, status: this.release.status });
    }

    /** Every dashboard a ConfigMap in Grafana's namespace, labelled for the sidecar to load. */
    private createDashboards(name: string, args: GrafanaArgs): k8s.core.v1.ConfigMap[] {
        return Object.entries(args.dashboards).map(
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
