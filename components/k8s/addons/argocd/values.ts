/**
 * The argo-cd chart's values, built from the component's arguments: every component on the system
 * nodes with restricted containers, HA replicas and disruption budgets when configured, dex off,
 * the local admin from a bcrypt hash or SSO with its group policy, the controller's and the
 * server's narrowed ClusterRoles, metrics and ServiceMonitors.
 */
import { PRIORITY_CLASSES } from "../../../../vocabulary/placement";
import {
    RESTRICTED_CONTAINER_SECURITY_CONTEXT,
    SYSTEM_NODE_SELECTOR,
    SYSTEM_TOLERATIONS,
} from "../../scheduling";
import { controllerReplicas } from "../addon";
import { controllerClusterRules, rbacConfig, serverClusterRules } from "./access";
import { REDIS_HA_SIZES, resources, SIZES } from "./footprint";
import type { ArgoCdArgs } from "./settings";

/**
 * A fixed change time of the admin password: the chart defaults it to the render time, which would
 * change argocd-secret on every run. Bump it with the hash to end sessions opened before.
 */
const ADMIN_PASSWORD_MTIME = "2026-11-23T00:00:00Z";

/**
 * The redis-ha subchart's values: it reads none of argo-cd's `global.*`, so its placement, cost
 * labels, resources and disruption budgets are set here (keys of redis-ha 4.38.0; its
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

/** The chart's values. */
export function argoCdValues(args: ArgoCdArgs): Record<string, unknown> {
    const ha = args.highAvailability;
    const replicas = controllerReplicas(ha);
    // Voluntary disruptions (node drains, consolidation) take one pod of a component at a time.
    const pdb = { enabled: ha, maxUnavailable: 1 };
    const sso = args.argocd.oidc;
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

    return {
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
                // The controller stops watching what its narrowed ClusterRole may not list.
                "resource.respectRBAC": "normal",
                ...(sso
                    ? {
                          "oidc.config": JSON.stringify({
                              name: "SSO",
                              issuer: sso.issuer,
                              clientID: sso.clientId,
                              clientSecret: "$oidc.clientSecret",
                              requestedScopes: sso.requestedScopes,
                          }),
                      }
                    : {}),
            },
            rbac: rbacConfig(sso),
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
            clusterRoleRules: { enabled: true, rules: controllerClusterRules() },
            metrics: { enabled: true, serviceMonitor: { enabled: true, honorLabels: true } },
        }),
        server: component(SIZES.server, {
            replicas,
            pdb,
            clusterRoleRules: { enabled: true, rules: serverClusterRules() },
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
    };
}
