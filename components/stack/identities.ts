/**
 * The stack's workload identities (the services', the add-ons', the EBS CSI driver's), and the AWS
 * layer's facts the add-ons read, each under the key its add-on's facts.ts declares.
 */
import type * as pulumi from "@pulumi/pulumi";
import { AwsScope, GrantTargets } from "../aws/access";
import { ebsCsiIdentity } from "../aws/ebs-csi-driver-policy";
import { WorkloadIdentity } from "../aws/identity";
import { containerLogGroupPrefix } from "../aws/observability";
import { serviceIdentities } from "../apps/identities";
import type { StackConfig } from "../config";
import { addonIdentities, enabledAddons } from "../k8s/addons";
import { provide, StackFacts } from "../k8s/addons/addon";
import { KARPENTER_AWS } from "../k8s/addons/karpenter/facts";
import { CONTAINER_LOG_GROUP_PREFIX } from "../k8s/addons/logging/facts";
import { ALERTING_AWS } from "../k8s/addons/monitoring/facts";
import { mapValues, mergeDistinct } from "../util";
import type { AwsLayer } from "./aws-layer";

/** What the add-ons read of the AWS layer: Karpenter's node role and queue, the alert topic and key, the log groups. */
export const addonAwsFacts = (aws: AwsLayer, prefix: string): StackFacts => ({
    ...provide(KARPENTER_AWS, aws.karpenter),
    ...provide(ALERTING_AWS, {
        alertTopicArn: aws.observability.alertTopicArn,
        heartbeatTopicArn: aws.observability.heartbeatTopicArn,
        keyArn: aws.observability.keyArn,
    }),
    ...provide(CONTAINER_LOG_GROUP_PREFIX, containerLogGroupPrefix(prefix)),
});

/** One WorkloadIdentity per declared identity, its grants resolved on the AWS layer's resources. */
export function createWorkloadIdentities(
    config: StackConfig,
    prefix: string,
    aws: AwsLayer,
    facts: StackFacts,
    opts: pulumi.ComponentResourceOptions,
): Record<string, WorkloadIdentity> {
    const { cluster, data, messaging, observability } = aws;
    const scope: AwsScope = {
        region: config.region,
        accountId: aws.accountId,
        clusterName: prefix,
        vpcId: aws.network.vpcId,
    };
    const targets: GrantTargets = {
        ...scope,
        tableArns: mapValues(data.tables, (t) => t.arn),
        queueArns: mapValues(messaging.queues, (q) => q.arn),
        eventBusArn: messaging.eventBusArn,
        scheduleGroupName: messaging.scheduleGroupName,
        schedulerRoleArn: messaging.schedulerRoleArn,
        redisSecretArn: data.redisSecretArn,
        dataKeyArn: data.dataKeyArn,
    };
    const declared = mergeDistinct(
        "workload identity",
        serviceIdentities(),
        addonIdentities(enabledAddons(config), scope, facts),
        ebsCsiIdentity(scope, observability.keyArn),
    );
    return mapValues(
        declared,
        (declaration, key) =>
            new WorkloadIdentity(
                `identity-${key}`,
                {
                    ...declaration,
                    clusterName: cluster.clusterName,
                    clusterArn: cluster.clusterArn,
                    targets,
                    tags: config.tags,
                    agent: cluster.podIdentityAgent,
                },
                opts,
            ),
    );
}
