/**
 * The values keys each pinned chart accepts, as far as this project sets them, each read from the
 * chart's own values documentation. An entry covers the key and everything below it (objects such
 * as `resources` or free-form maps such as `configs.params`). A key the program sets that no entry
 * covers fails the test: Helm would silently ignore a misspelt key.
 *
 * Each pin's `checkedAgainst` names the copy each list was read from, and the gap where that copy
 * is not the pinned version.
 */
import type { PinnedChart } from "../components/k8s/addons/chart";
import { ARGOCD_CHART } from "../components/k8s/addons/argocd";
import { LOAD_BALANCER_CONTROLLER_CHART } from "../components/k8s/addons/gateway";
import { KEDA_CHART } from "../components/k8s/addons/keda";

export interface ChartKeys {
    /** The chart as pinned in its add-on's folder, with where its values were checked. */
    pinned: PinnedChart;
    keys: string[];
}

export const CHART_KEYS: Record<string, ChartKeys> = {
    "argo-cd": {
        pinned: ARGOCD_CHART,
        keys: [
            "global.domain",
            "global.nodeSelector",
            "global.tolerations",
            "global.podLabels",
            "global.networkPolicy.create",
            "global.priorityClassName",
            "configs.params",
            "configs.cm",
            "configs.secret.argocdServerAdminPassword",
            "configs.secret.argocdServerAdminPasswordMtime",
            "configs.secret.extra",
            "dex.enabled",
            "notifications.enabled",
            "redis-ha.enabled",
            "redis-ha.nodeSelector",
            "redis-ha.tolerations",
            "redis-ha.extraLabels",
            "redis-ha.podDisruptionBudget",
            "redis-ha.redis.resources",
            "redis-ha.sentinel.resources",
            "redis-ha.splitBrainDetection.resources",
            "redis-ha.init.resources",
            "redis-ha.haproxy.resources",
            "redis-ha.haproxy.init.resources",
            "redis-ha.haproxy.podDisruptionBudget",
            "redis.resources",
            "redis.containerSecurityContext",
            "redisSecretInit.resources",
            "controller.replicas",
            "controller.resources",
            "controller.containerSecurityContext",
            "controller.pdb.enabled",
            "controller.pdb.maxUnavailable",
            "server.replicas",
            "server.resources",
            "server.containerSecurityContext",
            "server.pdb.enabled",
            "server.pdb.maxUnavailable",
            "repoServer.replicas",
            "repoServer.resources",
            "repoServer.containerSecurityContext",
            "repoServer.pdb.enabled",
            "repoServer.pdb.maxUnavailable",
            "applicationSet.replicas",
            "applicationSet.resources",
            "applicationSet.containerSecurityContext",
            "applicationSet.pdb.enabled",
            "applicationSet.pdb.maxUnavailable",
        ],
    },
    keda: {
        pinned: KEDA_CHART,
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
            "priorityClassName",
        ],
    },
    "aws-load-balancer-controller": {
        pinned: LOAD_BALANCER_CONTROLLER_CHART,
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
            "keepTLSSecret",
            "priorityClassName",
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
