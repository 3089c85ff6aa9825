import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PRIORITY_CLASSES } from "../../../../vocabulary/placement";
import { MONITORING_NAMESPACE } from "../../../../vocabulary/platform";
import { allowApiServer, allowAwsApis, allowPolicies } from "../../network-policies";
import {
    RESTRICTED_CONTAINER_SECURITY_CONTEXT,
    RESTRICTED_POD_SECURITY_CONTEXT,
    SYSTEM_NODE_SELECTOR,
    SYSTEM_TOLERATIONS,
} from "../../scheduling";
import {
    Addon,
    AddonDeclaration,
    AddonPlacement,
    ControllerSettings,
    controllerSettings,
    resourcesOf,
    WorkloadFootprint,
} from "../addon";
import { chartRelease, PinnedChart } from "../chart";
import { PROMETHEUS_PORT, PROMETHEUS_SERVICE } from "../monitoring/facts";
import { spotPriceReadStatements } from "./iam";

/**
 * OpenCost 2.5.17 (OpenCost 1.120.1, image pinned by digest in the chart). Published: its tag
 * opencost-2.5.17 (725bb939, 2026-04-28, the merge of "Release Opencost v1.120.1", whose charts/
 * tree is a1287bff's) is made by helm/chart-releaser-action with the chart's GitHub release
 * (.github/workflows/publish.yml), which also adds the version to the gh-pages index; Renovate
 * offered a consumer 2.5.19 over 2.5.14 from that index on 2026-05-19 (walnuts1018/infra). The
 * stored gh-pages index.yaml predates the tag (2026-04-15, newest 2.5.14); `helm show chart` against
 * the repository is the direct check, which needs the network.
 *
 * Spot nodes: the AWS provider marks a node spot by its labels (pkg/cloud/aws/provider.go
 * getUsageType: the configurable spotLabel/spotLabelValue, EKS's `eks.amazonaws.com/capacityType:
 * SPOT` and Karpenter's `karpenter.sh/capacity-type: spot`, the last two built in since 2023), so
 * the chart's customPricing (which would also ship its sample cost model) is left off. Upstream
 * prices a spot node from the spot data feed (none here), else from EC2's DescribeSpotPriceHistory
 * (pkg/cloud/aws/spotpricehistory.go, pull request "Add AWS Spot Price History API caching layer",
 * opened 2026-04-15, merged), else on demand. 1.120.1 most likely lacks that fallback: 1.120.0 was
 * released as the pull request opened (its chart on 2026-04-13) and no 1.120.x patch (cherry-picks
 * onto the v1.120 branch) was found to carry it; the next minor, 1.121.0 (2026-07-21), is the first
 * likely to, and an upstream issue of 2026-08-10 describes it as shipped. So this pin most likely prices
 * spot nodes on demand (the check on a cluster: docs/known-limits.md). It stays because no chart with 1.121 could be read whole: chart 2.5.29 is
 * OpenCost 1.121.1 (its Chart.yaml at commit 03705170), and a values.yaml with the 1.121.1 images
 * (exporter digest sha256:50052694…, at commit 96ddf267) still has every key below, but no
 * templates at either commit, nor 96ddf267's chart version, could be read offline.
 */
export const OPENCOST_CHART: PinnedChart = {
    chart: "opencost",
    repo: "https://opencost.github.io/opencost-helm-chart",
    version: "2.5.17",
    checkedAgainst:
        "opencost/opencost-helm-chart charts/opencost values.yaml and templates at tag opencost-2.5.17 (725bb939; chart 2.5.17, OpenCost 1.120.1); rendered with npm run render:addons",
    valuesKeys: [
        "fullnameOverride",
        "priorityClassName",
        "podLabels",
        "podSecurityContext",
        "opencost.exporter.defaultClusterId",
        "opencost.exporter.resources",
        "opencost.exporter.securityContext",
        "opencost.exporter.extraVolumeMounts",
        "extraVolumes",
        "opencost.mcp.enabled",
        "opencost.ui.enabled",
        "opencost.metrics.serviceMonitor.enabled",
        "opencost.metrics.kubeStateMetrics.emitKsmV1Metrics",
        "opencost.prometheus.internal.serviceName",
        "opencost.prometheus.internal.namespaceName",
        "opencost.prometheus.internal.port",
        "opencost.nodeSelector",
        "opencost.tolerations",
    ],
};

/** The exporter's API and metrics port (`opencost.exporter.apiPort`). */
const OPENCOST_PORT = 9003;

export const OPENCOST: AddonDeclaration = {
    name: "opencost",
    description:
        "Cost allocation: each node's price (the AWS price list's on-demand rate, for spot nodes too: the pinned OpenCost 1.120.1 most likely lacks the spot price history fallback) split over the pods by their requests, exported to Prometheus and grouped by the cost.tacos.io labels on the cost dashboard.",
    component: "opencost",
    namespace: { name: "opencost", podSecurity: "restricted" },
    charts: [OPENCOST_CHART],
    // The chart's service account is its full name (`opencost.serviceAccountName`), fullnameOverride below.
    identity: { key: "opencost", serviceAccount: "opencost", statements: spotPriceReadStatements },
    dependsOn: ["monitoring"],
    metricsPorts: [OPENCOST_PORT],
    queriesPrometheus: true,
};

export const opencostFootprint = (): WorkloadFootprint[] => [
    {
        name: "opencost",
        replicas: 1,
        nodes: "system",
        resources: { requests: { cpu: "50m", memory: "256Mi" }, limits: { cpu: "500m", memory: "1Gi" } },
    },
];

export interface OpenCostArgs extends Pick<ControllerSettings, "vpcCidr">, AddonPlacement {
    clusterName: pulumi.Input<string>;
}

/**
 * The OpenCost exporter alone (no UI or MCP server: the cost dashboard is Grafana's): reads
 * Prometheus, the API server and the public AWS price list (pricing.us-east-1.amazonaws.com, no
 * credentials), exports node prices and per-container allocations to Prometheus. Its Pod Identity
 * role may read EC2's spot price history, which OpenCost most likely calls only from 1.121
 * (OPENCOST_CHART).
 */
export class OpenCost extends pulumi.ComponentResource {
    public readonly release: k8s.helm.v3.Release;

    constructor(name: string, args: OpenCostArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tacos:k8s:OpenCost", name, {}, opts);
        // HTTPS to the public price list and to EC2's regional API: through the NAT gateway, or
        // the `ec2` interface endpoint a stack may list in network.interfaceEndpoints (none does);
        // and the Pod Identity agent for the role's credentials.
        allowPolicies(name, args.namespace, [allowApiServer(args.vpcCidr), allowAwsApis()], args.labels, {
            parent: this,
        });
        this.release = chartRelease(
            `${name}-release`,
            {
                releaseName: "opencost",
                namespace: args.namespace,
                chart: OPENCOST_CHART,
                values: {
                    fullnameOverride: "opencost",
                    priorityClassName: PRIORITY_CLASSES.platform.name,
                    podLabels: args.labels,
                    // The image runs as 1001 (its Dockerfile's USER).
                    podSecurityContext: { ...RESTRICTED_POD_SECURITY_CONTEXT, runAsUser: 1001 },
                    extraVolumes: [
                        { name: "configs", emptyDir: {} },
                        { name: "tmp", emptyDir: {} },
                    ],
                    opencost: {
                        exporter: {
                            defaultClusterId: args.clusterName,
                            resources: resourcesOf(opencostFootprint(), "opencost"),
                            securityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
                            // A read-only root: the directories it writes (/var/configs, /tmp) on emptyDirs.
                            extraVolumeMounts: [
                                { name: "configs", mountPath: "/var/configs" },
                                { name: "tmp", mountPath: "/tmp" },
                            ],
                        },
                        mcp: { enabled: false },
                        ui: { enabled: false },
                        // Its own copies of kube-state-metrics' series (on by default) would double every sum over them.
                        metrics: {
                            serviceMonitor: { enabled: true },
                            kubeStateMetrics: { emitKsmV1Metrics: false },
                        },
                        prometheus: {
                            internal: {
                                serviceName: PROMETHEUS_SERVICE,
                                namespaceName: MONITORING_NAMESPACE,
                                port: PROMETHEUS_PORT,
                            },
                        },
                        nodeSelector: SYSTEM_NODE_SELECTOR,
                        tolerations: SYSTEM_TOLERATIONS,
                    },
                },
            },
            { parent: this },
        );
        this.registerOutputs({ release: this.release, status: this.release.status });
    }
}

export const opencostAddon: Addon<OpenCost> = {
    declaration: OPENCOST,
    footprint: opencostFootprint,
    install: (ctx, opts) =>
        new OpenCost(
            "opencost",
            {
                namespace: ctx.namespace,
                labels: ctx.labels,
                clusterName: ctx.clusterName,
                vpcCidr: controllerSettings(ctx.config).vpcCidr,
            },
            opts,
        ),
};
