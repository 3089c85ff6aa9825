/**
 * The AWS layer of the stack, in dependency order: the network, the cluster, Karpenter's node role
 * and interruption queue, messaging, data and the observability resources.
 */
import type * as pulumi from "@pulumi/pulumi";
import { accountIdOf } from "../aws/account";
import { Cluster } from "../aws/cluster";
import { Data } from "../aws/data";
import { karpenterDiscoveryTag, KarpenterInfrastructure } from "../aws/karpenter";
import { Messaging } from "../aws/messaging";
import { Network } from "../aws/network";
import { ObservabilityInfrastructure } from "../aws/observability";
import type { StackConfig } from "../config";

/** What the AWS layer made. */
export interface AwsLayer {
    network: Network;
    cluster: Cluster;
    karpenter: KarpenterInfrastructure;
    messaging: Messaging;
    data: Data;
    observability: ObservabilityInfrastructure;
    /** The account the cluster is in (from its ARN). */
    accountId: pulumi.Output<string>;
}

/** Creates the AWS layer of `config`'s stack, its names prefixed with `prefix`; `logNamespaces` get a log group each. */
export function createAwsLayer(
    config: StackConfig,
    prefix: string,
    logNamespaces: string[],
    opts: pulumi.ComponentResourceOptions,
): AwsLayer {
    const base = { tags: config.tags, protection: config.protection };
    const discoveryTag = karpenterDiscoveryTag(prefix);
    const network = new Network(
        "network",
        {
            region: config.region,
            network: config.network,
            tags: config.tags,
            privateSubnetTags: { [discoveryTag.key]: discoveryTag.value },
        },
        opts,
    );
    const cluster = new Cluster(
        "cluster",
        {
            ...base,
            clusterName: prefix,
            region: config.region,
            vpcId: network.vpcId,
            privateSubnetIds: network.privateSubnetIds,
            cluster: config.cluster,
        },
        opts,
    );
    const karpenter = new KarpenterInfrastructure(
        "node-autoscaling",
        {
            clusterName: prefix,
            eksClusterName: cluster.clusterName,
            clusterSecurityGroupId: cluster.clusterSecurityGroupId,
            tags: config.tags,
        },
        opts,
    );
    const messaging = new Messaging("messaging", { ...base, prefix, messaging: config.messaging }, opts);
    const data = new Data(
        "data",
        {
            ...base,
            prefix,
            data: config.data,
            vpcId: network.vpcId,
            privateSubnetIds: network.privateSubnetIds,
            clientSecurityGroupId: cluster.clusterSecurityGroupId,
        },
        opts,
    );
    const accountId = cluster.clusterArn.apply(accountIdOf);
    const observability = new ObservabilityInfrastructure(
        "observability",
        {
            prefix,
            region: config.region,
            accountId,
            observability: config.observability,
            queues: messaging.queues,
            logNamespaces,
            protection: config.protection,
            tags: config.tags,
        },
        opts,
    );
    return { network, cluster, karpenter, messaging, data, observability, accountId };
}
