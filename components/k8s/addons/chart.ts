/**
 * A pinned third-party Helm chart, and the release every add-on installs it with. The pins live
 * in each add-on's folder, next to the values they were checked against.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

export interface PinnedChart {
    chart: string;
    repo: string;
    version: string;
    /** Where the values keys the program sets were read, and at which version. */
    checkedAgainst: string;
    /**
     * The chart's values keys the add-on sets, each found in the chart's values.yaml at this
     * version; a key covers everything below it (objects such as `resources`, free-form maps such
     * as `configs.params`). Helm ignores a misspelt key, so the tests refuse any key not listed. A
     * dot inside one key's own name is escaped (`grafana\.ini`).
     */
    valuesKeys: readonly string[];
}

/** A chart in an OCI registry is named by its full reference; one in a classic repository by name and repository. */
export function chartSource(chart: PinnedChart): { chart: string; repositoryOpts?: { repo: string } } {
    return chart.repo.startsWith("oci://")
        ? { chart: `${chart.repo}/${chart.chart}` }
        : { chart: chart.chart, repositoryOpts: { repo: chart.repo } };
}

export interface ChartReleaseArgs {
    /** Release name (also the prefix of the chart's object names). */
    releaseName: string;
    namespace: pulumi.Input<string>;
    chart: PinnedChart;
    values: pulumi.Input<Record<string, unknown>>;
    /** Skip the chart's `crds/` (Helm installs them once and never upgrades them): the add-on applies its CRDs itself. @default false */
    skipCrds?: boolean;
}

/**
 * A Helm release of a pinned chart that rolls itself back when an install or upgrade fails
 * (`atomic`, `cleanupOnFail`) and keeps a bounded history.
 */
export function chartRelease(
    name: string,
    args: ChartReleaseArgs,
    opts: pulumi.CustomResourceOptions,
): k8s.helm.v3.Release {
    return new k8s.helm.v3.Release(
        name,
        {
            name: args.releaseName,
            namespace: args.namespace,
            ...chartSource(args.chart),
            version: args.chart.version,
            values: args.values,
            skipCrds: args.skipCrds ?? false,
            atomic: true,
            cleanupOnFail: true,
            maxHistory: 10,
            timeout: 900,
        },
        opts,
    );
}
