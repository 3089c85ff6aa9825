/**
 * The values keys each pinned chart accepts, as far as this project sets them, each read from the
 * chart's own values documentation. An entry covers the key and everything below it (objects such
 * as `resources` or free-form maps such as `configs.params`). A key the program sets that no entry
 * covers fails the test: Helm would silently ignore a misspelt key.
 *
 * `checkedAgainst` names the copy each list was read from. Where that copy is not the pinned
 * version (no copy of the pinned version's values could be read offline), the gap is stated.
 */
import { CHARTS } from "../components/k8s/charts";

export interface ChartKeys {
    chart: string;
    pinned: string;
    checkedAgainst: string;
    keys: string[];
}

export const CHART_KEYS: Record<string, ChartKeys> = {
    "argo-cd": {
        chart: CHARTS.argocd.chart,
        pinned: CHARTS.argocd.version,
        checkedAgainst: "argoproj/argo-helm charts/argo-cd/README.md parameter tables (chart 8.x line; last highlighted change 8.0.0); not 9.1.3 itself",
        keys: [
            "global.domain",
            "global.nodeSelector",
            "global.tolerations",
            "global.podLabels",
            "global.networkPolicy.create",
            "configs.params",
            "configs.cm",
            "configs.secret.argocdServerAdminPassword",
            "configs.secret.extra",
            "dex.enabled",
            "notifications.enabled",
            "redis-ha.enabled",
            "redis.resources",
            "redis.containerSecurityContext",
            "controller.replicas",
            "controller.resources",
            "controller.containerSecurityContext",
            "server.replicas",
            "server.resources",
            "server.containerSecurityContext",
            "repoServer.replicas",
            "repoServer.resources",
            "repoServer.containerSecurityContext",
            "applicationSet.replicas",
            "applicationSet.resources",
            "applicationSet.containerSecurityContext",
        ],
    },
    keda: {
        chart: CHARTS.keda.chart,
        pinned: CHARTS.keda.version,
        checkedAgainst: "kedacore/charts keda/README.md parameter tables at chart 2.16.0; not 2.20.0 itself",
        keys: [
            "operator.replicaCount",
            "metricsServer.replicaCount",
            "webhooks.replicaCount",
            "serviceAccount.operator.create",
            "serviceAccount.operator.name",
            "resources.operator",
            "resources.metricServer",
            "resources.webhooks",
            "podSecurityContext.operator",
            "podSecurityContext.metricServer",
            "podSecurityContext.webhooks",
            "securityContext.operator",
            "securityContext.metricServer",
            "securityContext.webhooks",
            "podDisruptionBudget.operator",
            "podDisruptionBudget.metricServer",
            "podDisruptionBudget.webhooks",
            "podLabels.keda",
            "podLabels.metricsAdapter",
            "podLabels.webhooks",
            "nodeSelector",
            "tolerations",
        ],
    },
    "aws-load-balancer-controller": {
        chart: CHARTS.awsLoadBalancerController.chart,
        pinned: CHARTS.awsLoadBalancerController.version,
        checkedAgainst: "kubernetes-sigs/aws-load-balancer-controller helm/aws-load-balancer-controller/values.yaml (chart for v2.6.1); not 1.17.1 itself",
        keys: [
            "clusterName",
            "region",
            "vpcId",
            "replicaCount",
            "serviceAccount.create",
            "serviceAccount.name",
            "resources",
            "podSecurityContext",
            "securityContext",
            "nodeSelector",
            "tolerations",
            "topologySpreadConstraints",
            "podDisruptionBudget",
            "podLabels",
            "defaultTags",
            "defaultTargetType",
            "createIngressClassResource",
            "enableServiceMutatorWebhook",
            "controllerConfig.featureGates",
        ],
    },
};

/** Every leaf key path of a values object (dots join levels; keys holding dots stay whole). */
export function leafPaths(values: unknown, prefix: string[] = []): string[][] {
    if (values === null || typeof values !== "object" || Array.isArray(values) || Object.keys(values as object).length === 0) {
        return [prefix];
    }
    return Object.entries(values as Record<string, unknown>).flatMap(([key, child]) => leafPaths(child, [...prefix, key]));
}

/** The leaf paths no key of the chart covers. */
export function unknownKeys(chart: ChartKeys, values: Record<string, unknown>): string[] {
    const known = chart.keys.map((k) => k.split("."));
    return leafPaths(values)
        .filter((path) => !known.some((key) => key.length <= path.length && key.every((part, i) => part === path[i])))
        .map((path) => path.join("."));
}
