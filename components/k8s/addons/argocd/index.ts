import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PRIORITY_CLASSES } from "../../../../vocabulary/placement";
import { APP_NAMESPACE } from "../../../../vocabulary/platform";
import type { ArgocdConfig, StackConfig } from "../../../config";
import {
    allowApiServer,
    allowAwsApis,
    allowFromLoadBalancer,
    allowPolicies,
    allowWithinNamespace,
} from "../../network-policies";
import {
    RESTRICTED_CONTAINER_SECURITY_CONTEXT,
    SYSTEM_NODE_SELECTOR,
    SYSTEM_TOLERATIONS,
} from "../../scheduling";
import {
    Addon,
    AddonDeclaration,
    ControllerSettings,
    controllerReplicas,
    controllerSettings,
    dependency,
    onSystemNodes,
    publicSubnetCidrs,
    WorkloadFootprint,
} from "../addon";
import { chartRelease, PinnedChart } from "../chart";
import type { ArgoCdOutputs } from "./facts";
import { GATEWAY, GatewayParentRef } from "../gateway/facts";

/** Argo CD v3.2 (chart 9.1.3, with the redis-ha 4.34.11 subchart for HA). */
export const ARGOCD_CHART: PinnedChart = {
    chart: "argo-cd",
    repo: "https://argoproj.github.io/argo-helm",
    version: "9.1.3",
    checkedAgainst:
        "argoproj/argo-helm charts/argo-cd values.yaml and templates at argo-cd-9.1.3, and DandyDeveloper/charts redis-ha values.yaml at redis-ha-4.34.11; rendered with npm run render:addons",
    valuesKeys: [
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
        "redis-ha.haproxy.deploymentStrategy",
        "redis.resources",
        "redis.containerSecurityContext",
        "redisSecretInit.resources",
        "controller.replicas",
        "controller.metrics.enabled",
        "controller.metrics.serviceMonitor.enabled",
        "controller.metrics.serviceMonitor.honorLabels",
        "server.metrics.enabled",
        "server.metrics.serviceMonitor.enabled",
        "repoServer.metrics.enabled",
        "repoServer.metrics.serviceMonitor.enabled",
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
};

/**
 * A fixed change time of the admin password: the chart defaults it to the render time, which would
 * change argocd-secret on every run. Bump it with the hash to end sessions opened before.
 */
const ADMIN_PASSWORD_MTIME = "2026-11-23T00:00:00Z";

export const ARGOCD: AddonDeclaration = {
    name: "argocd",
    description: "GitOps delivery of the services: Argo CD and the tacos AppProject (constitution I).",
    component: "argocd",
    namespace: { name: "argocd", podSecurity: "restricted" },
    charts: [ARGOCD_CHART],
    dependsOn: ["gateway", "monitoring"],
    // Application controller, server and repo server metrics (chart 9.1.3).
    metricsPorts: [8082, 8083, 8084],
    routedThroughGateway: true,
};

/** Kinds an application in the tacos project may create: namespaced, and only what the services need. */
export const TACOS_PROJECT_KINDS = [
    { group: "apps", kind: "Deployment" },
    { group: "", kind: "Service" },
    { group: "", kind: "ServiceAccount" },
    { group: "", kind: "ConfigMap" },
    { group: "autoscaling", kind: "HorizontalPodAutoscaler" },
    { group: "policy", kind: "PodDisruptionBudget" },
    { group: "networking.k8s.io", kind: "NetworkPolicy" },
    { group: "keda.sh", kind: "ScaledObject" },
    { group: "keda.sh", kind: "TriggerAuthentication" },
    { group: "gateway.networking.k8s.io", kind: "HTTPRoute" },
    { group: "gateway.k8s.aws", kind: "TargetGroupConfiguration" },
    { group: "monitoring.coreos.com", kind: "ServiceMonitor" },
    { group: "autoscaling.k8s.io", kind: "VerticalPodAutoscaler" },
    // Canary releases (Argo Rollouts); the controller creates the AnalysisRuns and ReplicaSets itself.
    { group: "argoproj.io", kind: "Rollout" },
    { group: "argoproj.io", kind: "AnalysisTemplate" },
    // The services' mesh authorization and gateway-api's plaintext port (Istio ambient).
    { group: "security.istio.io", kind: "AuthorizationPolicy" },
    { group: "security.istio.io", kind: "PeerAuthentication" },
];

/** Argo CD's settings, read from the stack config. */
export interface ArgoCdSettings extends ControllerSettings {
    argocd: ArgocdConfig;
    /** bcrypt hash of the admin password (secret); unused when SSO is configured. */
    adminPasswordHash?: pulumi.Output<string>;
    /** OIDC client secret (secret), when SSO is configured. */
    oidcClientSecret?: pulumi.Output<string>;
    /** Public subnets, where the load balancer's nodes sit. */
    publicSubnetCidrs: string[];
}

export const argoCdSettings = (config: StackConfig): ArgoCdSettings => ({
    ...controllerSettings(config),
    argocd: config.argocd,
    adminPasswordHash: config.secrets.argocdAdminPasswordHash,
    oidcClientSecret: config.secrets.argocdOidcClientSecret,
    publicSubnetCidrs: publicSubnetCidrs(config),
});

export interface ArgoCdArgs extends ArgoCdSettings {
    /** Namespace (from its NamespaceBaseline). */
    namespace: pulumi.Input<string>;
    /** The Gateway's HTTPS listener, the UI's only way in; no route when nothing is exposed. */
    parentRef?: GatewayParentRef;
    /** The Gateway API CRDs, for the HTTPRoute. */
    gatewayCrds: pulumi.Resource[];
    labels: Record<string, string>;
}

const resources = (cpu: string, memory: string, cpuLimit: string, memoryLimit: string) => ({
    requests: { cpu, memory },
    limits: { cpu: cpuLimit, memory: memoryLimit },
});

/** Each Argo CD component's container, and Redis HA's (one source for the values and the footprint). */
const SIZES = {
    controller: resources("250m", "512Mi", "2", "2Gi"),
    server: resources("100m", "128Mi", "1", "512Mi"),
    repoServer: resources("100m", "256Mi", "1", "1Gi"),
    applicationSet: resources("50m", "64Mi", "500m", "256Mi"),
    redis: resources("100m", "128Mi", "500m", "256Mi"),
    redisSecretInit: resources("10m", "32Mi", "100m", "64Mi"),
};
const REDIS_HA_SIZES = {
    redis: resources("100m", "256Mi", "500m", "512Mi"),
    sentinel: resources("50m", "64Mi", "200m", "128Mi"),
    splitBrainDetection: resources("10m", "32Mi", "100m", "64Mi"),
    init: resources("10m", "32Mi", "100m", "64Mi"),
    haproxy: resources("50m", "64Mi", "500m", "256Mi"),
};
/** Redis HA's Redis and HAProxy pods: the subchart's `replicas` and `haproxy.replicas` defaults (redis-ha 4.34.11). */
const REDIS_HA_REPLICAS = 3;

/** Argo CD's running pods: one application controller, the HA count of the rest, Redis HA (three servers, three proxies) or one Redis. */
export const argoCdFootprint = (config: { addons: { highAvailability: boolean } }): WorkloadFootprint[] => {
    const replicas = controllerReplicas(config.addons.highAvailability);
    const redis = config.addons.highAvailability
        ? [
              onSystemNodes("redis-ha/redis", REDIS_HA_REPLICAS, REDIS_HA_SIZES.redis, "redis-ha-server"),
              onSystemNodes(
                  "redis-ha/sentinel",
                  REDIS_HA_REPLICAS,
                  REDIS_HA_SIZES.sentinel,
                  "redis-ha-server",
              ),
              onSystemNodes(
                  "redis-ha/split-brain-fix",
                  REDIS_HA_REPLICAS,
                  REDIS_HA_SIZES.splitBrainDetection,
                  "redis-ha-server",
              ),
              onSystemNodes("redis-ha-haproxy", REDIS_HA_REPLICAS, REDIS_HA_SIZES.haproxy),
          ]
        : [onSystemNodes("redis", 1, SIZES.redis)];
    return [
        onSystemNodes("application-controller", 1, SIZES.controller),
        onSystemNodes("server", replicas, SIZES.server),
        onSystemNodes("repo-server", replicas, SIZES.repoServer),
        onSystemNodes("applicationset-controller", replicas, SIZES.applicationSet),
        ...redis,
    ];
};

/**
 * The redis-ha subchart's values: it reads none of argo-cd's `global.*`, so its placement, cost
 * labels, resources and disruption budgets are set here (keys of redis-ha 4.34.11; its
 * `nodeSelector`, `tolerations` and `extraLabels` cover both Redis and HAProxy). Argo CD's own
 * `redis-ha` defaults (HAProxy's name label, read-only roots) are merged in by Helm, not replaced.
 */
function redisHaValues(enabled: boolean, labels: Record<string, string>): Record<string, unknown> {
    const budget = { maxUnavailable: 1 };
    return {
        enabled,
        nodeSelector: SYSTEM_NODE_SELECTOR,
        tolerations: SYSTEM_TOLERATIONS,
        extraLabels: labels,
        podDisruptionBudget: budget,
        redis: { resources: REDIS_HA_SIZES.redis },
        sentinel: { resources: REDIS_HA_SIZES.sentinel },
        splitBrainDetection: { resources: REDIS_HA_SIZES.splitBrainDetection },
        init: { resources: REDIS_HA_SIZES.init },
        haproxy: {
            resources: REDIS_HA_SIZES.haproxy,
            init: { resources: REDIS_HA_SIZES.init },
            podDisruptionBudget: budget,
            // Three proxies on three nodes, never two on one (haproxy.hardAntiAffinity, on by default): a surge
            // pod would find no node on a three-node system group, so an update replaces one proxy at a time.
            deploymentStrategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
        },
    };
}

/**
 * Argo CD (constitution I): the argo-cd chart on the system nodes, HA when configured (Redis HA,
 * two or more server, repo-server and ApplicationSet replicas), dex off, local admin from a
 * secret bcrypt hash or disabled under SSO; reached only through the Gateway over HTTPS; and
 * the `tacos` AppProject, limited to this repository and the application namespace.
 */
export class ArgoCd extends pulumi.ComponentResource implements ArgoCdOutputs {
    public readonly release: k8s.helm.v3.Release;
    public readonly project: k8s.apiextensions.CustomResource;
    /** The namespace Argo CD runs in (and its Applications live in). */
    public readonly namespace: pulumi.Output<string>;

    constructor(name: string, args: ArgoCdArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tacos:k8s:ArgoCd", name, {}, opts);
        this.namespace = pulumi.output(args.namespace);
        const ha = args.highAvailability;
        const replicas = controllerReplicas(ha);
        // Voluntary disruptions (node drains, consolidation) take one pod of a component at a time.
        const pdb = { enabled: ha, maxUnavailable: 1 };
        const sso = args.argocd.oidc;
        const serverLabels = { "app.kubernetes.io/name": "argocd-server" };
        const repoServerLabels = { "app.kubernetes.io/name": "argocd-repo-server" };

        const rules = [
            allowWithinNamespace(),
            allowApiServer(args.vpcCidr),
            // The repo server fetches this repository over HTTPS; the server reaches SSO.
            { ...allowAwsApis(repoServerLabels), name: "repo-server-https" },
            ...(sso ? [{ ...allowAwsApis(serverLabels), name: "server-https" }] : []),
            allowFromLoadBalancer(args.publicSubnetCidrs, [8080], serverLabels),
        ];
        allowPolicies(name, args.namespace, rules, args.labels, { parent: this });

        const component = (sized: ReturnType<typeof resources>, extra: Record<string, unknown> = {}) => ({
            resources: sized,
            containerSecurityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
            ...extra,
        });
        const secret: Record<string, unknown> = sso
            ? { extra: { "oidc.clientSecret": args.oidcClientSecret } }
            : {
                  argocdServerAdminPassword: args.adminPasswordHash,
                  argocdServerAdminPasswordMtime: ADMIN_PASSWORD_MTIME,
              };

        this.release = chartRelease(
            `${name}-release`,
            {
                releaseName: "argocd",
                namespace: args.namespace,
                chart: ARGOCD_CHART,
                values: {
                    global: {
                        domain: args.argocd.hostname,
                        nodeSelector: SYSTEM_NODE_SELECTOR,
                        tolerations: SYSTEM_TOLERATIONS,
                        // Reaches every component, Redis HA's pods included.
                        priorityClassName: PRIORITY_CLASSES.platform.name,
                        podLabels: args.labels,
                        networkPolicy: { create: false },
                    },
                    configs: {
                        // TLS ends at the load balancer; the server speaks HTTP inside the VPC.
                        params: { "server.insecure": true },
                        cm: {
                            "admin.enabled": !sso,
                            ...(sso
                                ? {
                                      "oidc.config": JSON.stringify({
                                          name: "SSO",
                                          issuer: sso.issuer,
                                          clientID: sso.clientId,
                                          clientSecret: "$oidc.clientSecret",
                                      }),
                                  }
                                : {}),
                        },
                        secret,
                    },
                    dex: { enabled: false },
                    notifications: { enabled: false },
                    "redis-ha": redisHaValues(ha, args.labels),
                    redis: component(SIZES.redis),
                    // Each with its metrics Service and ServiceMonitor; the controller's keeps argocd_app_info's own labels.
                    controller: component(SIZES.controller, {
                        replicas: 1,
                        pdb,
                        metrics: { enabled: true, serviceMonitor: { enabled: true, honorLabels: true } },
                    }),
                    server: component(SIZES.server, {
                        replicas,
                        pdb,
                        metrics: { enabled: true, serviceMonitor: { enabled: true } },
                    }),
                    repoServer: component(SIZES.repoServer, {
                        replicas,
                        pdb,
                        metrics: { enabled: true, serviceMonitor: { enabled: true } },
                    }),
                    applicationSet: component(SIZES.applicationSet, { replicas, pdb }),
                    // The hook Job that writes the Redis password before install.
                    redisSecretInit: { resources: SIZES.redisSecretInit },
                },
            },
            { parent: this },
        );

        if (args.parentRef) {
            this.createRoute(name, args, args.parentRef);
        }

        this.project = new k8s.apiextensions.CustomResource(
            `${name}-project-tacos`,
            {
                apiVersion: "argoproj.io/v1alpha1",
                kind: "AppProject",
                metadata: { name: "tacos", namespace: args.namespace, labels: args.labels },
                spec: {
                    description:
                        "The Traffic Tacos services: this repository's chart, into the tacos namespace only",
                    sourceRepos: [args.argocd.repoUrl],
                    destinations: [{ server: "https://kubernetes.default.svc", namespace: APP_NAMESPACE }],
                    clusterResourceWhitelist: [],
                    namespaceResourceWhitelist: TACOS_PROJECT_KINDS,
                    orphanedResources: { warn: true },
                },
            },
            { parent: this, dependsOn: [this.release] },
        );

        this.registerOutputs({
            release: this.release,
            status: this.release.status,
            project: this.project,
            namespace: this.namespace,
        });
    }

    /** The UI's HTTPRoute on the Gateway's HTTPS listener. */
    private createRoute(name: string, args: ArgoCdArgs, parentRef: GatewayParentRef): void {
        new k8s.apiextensions.CustomResource(
            `${name}-route`,
            {
                apiVersion: "gateway.networking.k8s.io/v1",
                kind: "HTTPRoute",
                metadata: { name: "argocd-server", namespace: args.namespace, labels: args.labels },
                spec: {
                    parentRefs: [parentRef],
                    hostnames: [args.argocd.hostname],
                    rules: [{ backendRefs: [{ name: "argocd-server", port: 80 }] }],
                },
            },
            { parent: this, dependsOn: [...args.gatewayCrds, this.release] },
        );
    }
}

export const argoCdAddon: Addon<ArgoCd> = {
    declaration: ARGOCD,
    footprint: argoCdFootprint,
    noQuota:
        "its chart starts a hook Job (redis-secret-init) before every install and upgrade, which the footprint of running pods does not count",
    install: (ctx, opts) => {
        const gateway = dependency(ctx, GATEWAY, "argocd");
        return new ArgoCd(
            "argocd",
            {
                ...argoCdSettings(ctx.config),
                namespace: ctx.namespace,
                parentRef: gateway.httpsParentRef,
                gatewayCrds: gateway.crds,
                labels: ctx.labels,
            },
            opts,
        );
    },
};
