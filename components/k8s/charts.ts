/**
 * Every third-party Helm chart and manifest bundle the platform installs, pinned. One place to
 * bump a version; `test/chart-values.test.ts` checks each release's values against the keys
 * recorded for its chart.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

export interface PinnedChart {
    chart: string;
    repo: string;
    version: string;
}

export const CHARTS = {
    /** Argo CD v3.2 line. */
    argocd: { chart: "argo-cd", repo: "https://argoproj.github.io/argo-helm", version: "9.1.3" },
    /** KEDA 2.20 (chart version = app version). */
    keda: { chart: "keda", repo: "https://kedacore.github.io/charts", version: "2.20.0" },
    /** AWS Load Balancer Controller v2.17.1, with Gateway API (ALB) support. */
    awsLoadBalancerController: { chart: "aws-load-balancer-controller", repo: "https://aws.github.io/eks-charts", version: "1.17.1" },
} as const satisfies Record<string, PinnedChart>;

/** The standard-channel Gateway API CRDs, one release bundle at a pinned version. */
export const GATEWAY_API_CRDS = {
    version: "v1.6.0",
    url: "https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.6.0/standard-install.yaml",
} as const;

export interface ChartReleaseArgs {
    /** Release name (also the prefix of the chart's object names). */
    releaseName: string;
    namespace: pulumi.Input<string>;
    chart: PinnedChart;
    values: pulumi.Input<Record<string, unknown>>;
}

/**
 * A Helm release of a pinned chart that rolls itself back when an install or upgrade fails
 * (`atomic`, `cleanupOnFail`) and keeps a bounded history.
 */
export function chartRelease(name: string, args: ChartReleaseArgs, opts: pulumi.CustomResourceOptions): k8s.helm.v3.Release {
    return new k8s.helm.v3.Release(name, {
        name: args.releaseName,
        namespace: args.namespace,
        chart: args.chart.chart,
        version: args.chart.version,
        repositoryOpts: { repo: args.chart.repo },
        values: args.values,
        atomic: true,
        cleanupOnFail: true,
        maxHistory: 10,
        timeout: 900,
    }, opts);
}
