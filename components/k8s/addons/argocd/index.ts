import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { allowPolicies } from "../../network-policies";
import { Addon, AddonDeclaration, dependency } from "../addon";
import { chartRelease, PinnedChart } from "../chart";
import { GATEWAY } from "../gateway/facts";
import type { ArgoCdOutputs } from "./facts";
import { argoCdFootprint } from "./footprint";
import { argoCdAllowRules } from "./network";
import { DEFAULT_PROJECT_SPEC, tacosProjectSpec } from "./project";
import { repositoryCredential } from "./repository";
import { createArgoCdRoute } from "./route";
import { ArgoCdArgs, argoCdSettings } from "./settings";
import { ARGOCD_MANAGES } from "./teardown";
import { argoCdValues } from "./values";

/**
 * Argo CD v3.5.2 (chart 10.4.2, with the redis-ha 4.38.0 subchart for HA). Argo CD 3.5 is tested
 * on Kubernetes 1.33 to 1.36 (argoproj/argo-cd v3.5.1, docs/operator-manual/tested-kubernetes-versions.md);
 * the chart asks for >=1.25.0-0 (Chart.yaml kubeVersion). Upgrade notes 3.2-3.3, 3.3-3.4 and
 * 3.4-3.5 (docs/operator-manual/upgrading/ at v3.5.1) change nothing set here: the ApplicationSet
 * CRD's size only matters to client-side apply, which Helm does not use; the repo server's Helm 4
 * only changes plain-HTTP OCI registries, which the tacos chart does not use.
 */
export const ARGOCD_CHART: PinnedChart = {
    chart: "argo-cd",
    repo: "https://argoproj.github.io/argo-helm",
    version: "10.4.2",
    checkedAgainst:
        "argoproj/argo-helm charts/argo-cd values.yaml and templates at argo-cd-10.1.1 (10.2 to 10.4.2's release notes add the h2c service port, VPA recommenders, Argo CD v3.5.1 and v3.5.2 and a redis_exporter tag, none a key set here; 10.0.0 turns global.networkPolicy.create on, set off here), and DandyDeveloper/charts redis-ha values.yaml at redis-ha-4.38.0; rendered with npm run render:addons",
    valuesKeys: [
        "global.domain",
        "global.nodeSelector",
        "global.tolerations",
        "global.podLabels",
        "global.networkPolicy.create",
        "global.priorityClassName",
        "configs.params",
        "configs.cm",
        "configs.rbac",
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
        "controller.clusterRoleRules.enabled",
        "controller.clusterRoleRules.rules",
        "server.replicas",
        "server.clusterRoleRules.enabled",
        "server.clusterRoleRules.rules",
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

export const ARGOCD: AddonDeclaration = {
    name: "argocd",
    description: "GitOps delivery of the services: Argo CD and the tacos AppProject.",
    component: "argocd",
    namespace: { name: "argocd", podSecurity: "restricted" },
    charts: [ARGOCD_CHART],
    dependsOn: ["gateway", "monitoring"],
    // Application controller, server and repo server metrics (chart argo-cd-10.1.1 values.yaml).
    metricsPorts: [8082, 8083, 8084],
    routedThroughGateway: true,
    teardown: { controller: { helmChart: ARGOCD_CHART.chart }, manages: ARGOCD_MANAGES },
};

/**
 * Argo CD: the argo-cd chart on the system nodes, HA when configured (Redis HA,
 * two or more server, repo-server and ApplicationSet replicas), dex off, local admin from a
 * secret bcrypt hash or disabled under SSO (whose groups map to Argo CD's roles); reached only
 * through the Gateway over HTTPS from the configured source ranges; the `default` AppProject
 * allowing nothing and the `tacos` one, limited to this repository and the application namespace; the
 * credential Argo CD reads the repository with (a GitHub App's, unless the repository is public).
 */
export class ArgoCd extends pulumi.ComponentResource implements ArgoCdOutputs {
    public readonly release: k8s.helm.v3.Release;
    public readonly project: k8s.apiextensions.CustomResource;
    /** The repository Secret Argo CD reads this repository with; none when the repository is public. */
    public readonly repository?: k8s.core.v1.Secret;
    /** The namespace Argo CD runs in (and its Applications live in). */
    public readonly namespace: pulumi.Output<string>;

    constructor(name: string, args: ArgoCdArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tacos:k8s:ArgoCd", name, {}, opts);
        this.namespace = pulumi.output(args.namespace);

        allowPolicies(name, args.namespace, argoCdAllowRules(args), args.labels, { parent: this });

        this.release = chartRelease(
            `${name}-release`,
            {
                releaseName: "argocd",
                namespace: args.namespace,
                chart: ARGOCD_CHART,
                values: argoCdValues(args),
            },
            { parent: this },
        );

        if (args.parentRef) {
            createArgoCdRoute(
                name,
                {
                    namespace: args.namespace,
                    hostname: args.argocd.hostname,
                    sourceRanges: args.argocd.sourceRanges,
                    parentRef: args.parentRef,
                    labels: args.labels,
                },
                { parent: this, dependsOn: [...args.gatewayCrds, this.release] },
            );
        }

        this.project = new k8s.apiextensions.CustomResource(
            `${name}-project-tacos`,
            {
                apiVersion: "argoproj.io/v1alpha1",
                kind: "AppProject",
                metadata: { name: "tacos", namespace: args.namespace, labels: args.labels },
                spec: tacosProjectSpec(args.argocd.repoUrl),
            },
            { parent: this, dependsOn: [this.release] },
        );
        // The server has created `default` before the release is ready; this takes its spec over.
        new k8s.apiextensions.CustomResourcePatch(
            `${name}-project-default`,
            {
                apiVersion: "argoproj.io/v1alpha1",
                kind: "AppProject",
                metadata: {
                    name: "default",
                    namespace: args.namespace,
                    annotations: { "pulumi.com/patchForce": "true" },
                },
                spec: DEFAULT_PROJECT_SPEC,
            },
            { parent: this, dependsOn: [this.release] },
        );
        this.repository = repositoryCredential(
            `${name}-repository`,
            {
                argocd: args.argocd,
                githubAppPrivateKey: args.repoGithubAppPrivateKey,
                namespace: args.namespace,
                labels: args.labels,
            },
            { parent: this },
        );

        this.registerOutputs({
            release: this.release,
            status: this.release.status,
            project: this.project,
            repository: this.repository,
            namespace: this.namespace,
        });
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
