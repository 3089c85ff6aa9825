/**
 * What Karpenter needs on the AWS side, as upstream's getting-started CloudFormation at v1.14.1
 * lays it out (the controller's own policy is the add-on's, components/k8s/addons/karpenter/iam.ts):
 * - the role its nodes run with, joined to the cluster by an EC2_LINUX access entry;
 * - the interruption queue (SSE-SQS encrypted, TLS only, messages kept 300 s) fed by the five
 *   EventBridge rules upstream lists: AWS Health events, spot interruption warnings, rebalance
 *   recommendations, instance state changes, capacity-reservation interruption warnings;
 * - the discovery tag on the cluster security group (the private subnets get it from the network),
 *   by which the EC2NodeClass finds where and with what security group to launch.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Tags } from "../config";
import { type CostTags, costTags } from "../tags";
import { denyInsecureTransport } from "./messaging";
import { createNodeRole } from "./node-groups";

/** The tag subnets and security groups carry for Karpenter to find them: `karpenter.sh/discovery=<cluster>`. */
export const karpenterDiscoveryTag = (clusterName: string) => ({
    key: "karpenter.sh/discovery",
    value: clusterName,
});

/** Upstream's five interruption rules (CloudFormation v1.14.1): the events that end or threaten a node. */
export const INTERRUPTION_EVENTS = {
    "scheduled-change": { source: "aws.health", detailType: "AWS Health Event" },
    "spot-interruption": { source: "aws.ec2", detailType: "EC2 Spot Instance Interruption Warning" },
    rebalance: { source: "aws.ec2", detailType: "EC2 Instance Rebalance Recommendation" },
    "instance-state-change": { source: "aws.ec2", detailType: "EC2 Instance State-change Notification" },
    "capacity-reservation-interruption": {
        source: "aws.ec2",
        detailType: "EC2 Capacity Reservation Instance Interruption Warning",
    },
} as const;

/** How long an interruption message is worth keeping: a spot warning gives two minutes. */
const INTERRUPTION_RETENTION_SECONDS = 300;

export interface KarpenterInfrastructureArgs {
    /** The cluster's name (the discovery tag's value; the private subnets get the same tag from the network). */
    clusterName: string;
    /** The EKS cluster the node role joins. */
    eksClusterName: pulumi.Input<string>;
    /** The cluster security group: Karpenter's nodes get it, as managed nodes do (Redis admits it). */
    clusterSecurityGroupId: pulumi.Input<string>;
    /** Base cost tags of the stack. */
    tags: Tags;
}

/** Karpenter's AWS side: its nodes' role and access entry, the interruption queue and its rules, the discovery tag. */
export class KarpenterInfrastructure extends pulumi.ComponentResource {
    public readonly nodeRoleArn: pulumi.Output<string>;
    public readonly nodeRoleName: pulumi.Output<string>;
    public readonly interruptionQueueArn: pulumi.Output<string>;
    public readonly interruptionQueueName: pulumi.Output<string>;
    /** The node role's access entry: nodes can join once it exists. */
    public readonly nodeAccess: aws.eks.AccessEntry;
    public readonly rules: aws.cloudwatch.EventRule[];
    /** The discovery tag the EC2NodeClass selects subnets and security groups by. */
    public readonly discoveryTag: { key: string; value: string };

    constructor(name: string, args: KarpenterInfrastructureArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tacos:aws:KarpenterInfrastructure", name, {}, opts);
        const tags = costTags(args.tags, { component: "karpenter" });
        const parent = { parent: this };

        const nodeRole = createNodeRole(
            `${name}-node`,
            `Nodes Karpenter launches in ${args.clusterName}`,
            tags,
            this,
        );
        this.nodeAccess = new aws.eks.AccessEntry(
            `${name}-node`,
            {
                clusterName: args.eksClusterName,
                principalArn: nodeRole.role.arn,
                type: "EC2_LINUX",
                tags,
            },
            { parent: this, dependsOn: nodeRole.permissions },
        );

        const queue = new aws.sqs.Queue(
            `${name}-interruption`,
            {
                name: `${args.clusterName}-karpenter-interruption`,
                messageRetentionSeconds: INTERRUPTION_RETENTION_SECONDS,
                sqsManagedSseEnabled: true,
                tags,
            },
            parent,
        );

        this.rules = this.createInterruptionRules(name, args.clusterName, queue, tags);
        this.createInterruptionQueuePolicy(name, queue, this.rules);

        this.discoveryTag = karpenterDiscoveryTag(args.clusterName);
        new aws.ec2.Tag(
            `${name}-discovery-cluster-sg`,
            { resourceId: args.clusterSecurityGroupId, ...this.discoveryTag },
            parent,
        );

        this.nodeRoleArn = nodeRole.role.arn;
        this.nodeRoleName = nodeRole.role.name;
        this.interruptionQueueArn = queue.arn;
        this.interruptionQueueName = queue.name;
        this.registerOutputs({
            nodeRoleArn: this.nodeRoleArn,
            nodeRoleName: this.nodeRoleName,
            interruptionQueueArn: this.interruptionQueueArn,
            interruptionQueueName: this.interruptionQueueName,
        });
    }

    /** An EventBridge rule per interruption event of `INTERRUPTION_EVENTS`, each targeting the queue. */
    private createInterruptionRules(
        name: string,
        clusterName: string,
        queue: aws.sqs.Queue,
        tags: CostTags,
    ): aws.cloudwatch.EventRule[] {
        return Object.entries(INTERRUPTION_EVENTS).map(([event, pattern]) => {
            const rule = new aws.cloudwatch.EventRule(
                `${name}-${event}`,
                {
                    description: `${pattern.detailType} to Karpenter's interruption queue (${clusterName})`,
                    eventPattern: JSON.stringify({
                        source: [pattern.source],
                        "detail-type": [pattern.detailType],
                    }),
                    tags,
                },
                { parent: this },
            );
            new aws.cloudwatch.EventTarget(
                `${name}-${event}`,
                { rule: rule.name, targetId: "KarpenterInterruptionQueueTarget", arn: queue.arn },
                { parent: this },
            );
            return rule;
        });
    }

    /** The queue's policy: only this cluster's rules (and SQS itself) may send to it, over TLS only. */
    private createInterruptionQueuePolicy(
        name: string,
        queue: aws.sqs.Queue,
        rules: aws.cloudwatch.EventRule[],
    ): void {
        new aws.sqs.QueuePolicy(
            `${name}-interruption`,
            {
                queueUrl: queue.url,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Id: "EC2InterruptionPolicy",
                    Statement: [
                        {
                            Sid: "EventBridgeRulesOfThisCluster",
                            Effect: "Allow",
                            Principal: { Service: "events.amazonaws.com" },
                            Action: "sqs:SendMessage",
                            Resource: queue.arn,
                            Condition: { ArnEquals: { "aws:SourceArn": rules.map((r) => r.arn) } },
                        },
                        {
                            Sid: "SqsService",
                            Effect: "Allow",
                            Principal: { Service: "sqs.amazonaws.com" },
                            Action: "sqs:SendMessage",
                            Resource: queue.arn,
                        },
                        denyInsecureTransport(queue.arn),
                    ],
                }),
            },
            { parent: this },
        );
    }
}
