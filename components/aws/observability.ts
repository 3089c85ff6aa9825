/**
 * The AWS side of the platform seeing itself: one encrypted SNS topic every alert goes to
 * (Alertmanager, CloudWatch alarms, AWS Budgets, Cost Anomaly Detection), the CloudWatch alarms
 * on what lives in CloudWatch (dead-letter queues, the age of reservation-events' oldest
 * message, Alertmanager's heartbeat), a KMS-encrypted log group per namespace for the container
 * logs, the stack's monthly budget, a cost anomaly monitor, and the cost allocation tags'
 * activation where this account may do it.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { COST_ALLOCATION_TAG_KEYS } from "../../vocabulary/tags";
import type { ObservabilityConfig, ProtectionConfig, Tags } from "../config";
import { costTags } from "../tags";
import { createKmsKey } from "./kms";
import { createHeartbeat } from "./observability-heartbeat";
import type { QueueName, QueueOutputs } from "./messaging";
import { alertTopicPolicy, observabilityKeyPolicy } from "./observability-policies";

/** The common prefix of the container log groups of the cluster `prefix`. */
export const containerLogGroupPrefix = (prefix: string): string => `/aws/containers/${prefix}`;
/** The log group of a namespace's container logs. */
export const containerLogGroupName = (prefix: string, namespace: string): string =>
    `${containerLogGroupPrefix(prefix)}/${namespace}`;

export interface ObservabilityInfrastructureArgs {
    /** `<project>-<stack>`: names and the log groups' prefix. */
    prefix: string;
    region: string;
    accountId: pulumi.Input<string>;
    observability: ObservabilityConfig;
    /** The queues whose dead-letter queues are watched, and reservation-events' backlog age. */
    queues: Record<QueueName, QueueOutputs>;
    /** Namespaces whose container logs get a log group. */
    logNamespaces: string[];
    protection: ProtectionConfig;
    tags: Tags;
}

export class ObservabilityInfrastructure extends pulumi.ComponentResource {
    /** The topic every alert goes to. */
    public readonly alertTopicArn: pulumi.Output<string>;
    /** The topic of Alertmanager's Watchdog heartbeat, watched by an alarm on the alert topic. */
    public readonly heartbeatTopicArn: pulumi.Output<string>;
    /** The key of the topic, the log groups and Prometheus' volumes. */
    public readonly keyArn: pulumi.Output<string>;
    public readonly logGroupNames: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: ObservabilityInfrastructureArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tacos:aws:ObservabilityInfrastructure", name, {}, opts);
        const tags = costTags(args.tags, { component: "observability" });
        const parent = { parent: this };
        const obs = args.observability;
        const account = pulumi.output(args.accountId);

        const key = createKmsKey(
            `${name}-key`,
            {
                description: `Alerts, container logs and Prometheus volumes of ${args.prefix}`,
                alias: `${args.prefix}-observability`,
                tags,
                protection: args.protection,
                policy: account.apply((acct) =>
                    JSON.stringify(
                        observabilityKeyPolicy(acct, args.region, containerLogGroupName(args.prefix, "*")),
                    ),
                ),
            },
            this,
        );
        this.keyArn = key.arn;

        const topic = new aws.sns.Topic(
            `${name}-alerts`,
            {
                name: `${args.prefix}-alerts`,
                displayName: `${args.prefix} alerts`,
                kmsMasterKeyId: key.arn,
                tags,
            },
            parent,
        );
        this.alertTopicArn = topic.arn;
        new aws.sns.TopicPolicy(
            `${name}-alerts`,
            {
                arn: topic.arn,
                policy: pulumi
                    .all([topic.arn, account])
                    .apply(([arn, acct]) => JSON.stringify(alertTopicPolicy(arn, acct, args.region))),
            },
            parent,
        );
        obs.alerts.subscriptions.forEach((subscription, i) => {
            new aws.sns.TopicSubscription(
                `${name}-alerts-${i}`,
                { topic: topic.arn, protocol: subscription.protocol, endpoint: subscription.endpoint },
                parent,
            );
        });

        this.createAlarms(name, args, topic.arn, tags);
        this.heartbeatTopicArn = createHeartbeat(
            name,
            { prefix: args.prefix, keyArn: key.arn, alertTopicArn: topic.arn, tags },
            this,
        ).arn;

        this.logGroupNames = Object.fromEntries(
            args.logNamespaces.map((namespace) => [
                namespace,
                new aws.cloudwatch.LogGroup(
                    `${name}-logs-${namespace}`,
                    {
                        name: containerLogGroupName(args.prefix, namespace),
                        retentionInDays: obs.logs.retentionDays,
                        kmsKeyId: key.arn,
                        tags: { ...tags, Namespace: namespace },
                    },
                    parent,
                ).name,
            ]),
        );

        this.createSpendWatch(name, args, topic.arn, tags);

        this.registerOutputs({
            alertTopicArn: this.alertTopicArn,
            heartbeatTopicArn: this.heartbeatTopicArn,
            keyArn: this.keyArn,
            logGroupNames: this.logGroupNames,
        });
    }

    /** CloudWatch alarms on what lives in CloudWatch: each queue's dead-letter queue, reservation-events' oldest message. */
    private createAlarms(
        name: string,
        args: ObservabilityInfrastructureArgs,
        topicArn: pulumi.Output<string>,
        tags: Record<string, string>,
    ): void {
        const parent = { parent: this };
        const obs = args.observability;
        const alarm = (
            resourceName: string,
            queue: pulumi.Output<string>,
            metricName: string,
            threshold: number,
            description: string,
            evaluationPeriods: number,
        ) =>
            new aws.cloudwatch.MetricAlarm(
                `${name}-${resourceName}`,
                {
                    name: pulumi.interpolate`${queue}-${metricName}`,
                    alarmDescription: description,
                    namespace: "AWS/SQS",
                    metricName,
                    dimensions: { QueueName: queue },
                    statistic: "Maximum",
                    period: 60,
                    evaluationPeriods,
                    threshold,
                    comparisonOperator: "GreaterThanThreshold",
                    treatMissingData: "notBreaching",
                    alarmActions: [topicArn],
                    okActions: [topicArn],
                    tags,
                },
                parent,
            );
        for (const [queueName, queue] of Object.entries(args.queues)) {
            const dlqName = queue.dlqArn.apply((arn) => arn.split(":")[5]);
            alarm(
                `${queueName}-dlq-messages`,
                dlqName,
                "ApproximateNumberOfMessagesVisible",
                0,
                `A message reached the ${queueName} dead-letter queue: it failed ${queueName}'s consumer repeatedly.`,
                1,
            );
        }
        const events = args.queues["reservation-events"];
        alarm(
            "reservation-events-oldest-message",
            events.name,
            "ApproximateAgeOfOldestMessage",
            obs.alerts.oldestMessageAgeSeconds,
            `reservation-events' oldest message is older than ${obs.alerts.oldestMessageAgeSeconds} s: the worker is not keeping up or not running.`,
            3,
        );
    }

    /** The stack's monthly budget, its cost anomaly monitor, and the cost allocation tags' activation when the stack does it. */
    private createSpendWatch(
        name: string,
        args: ObservabilityInfrastructureArgs,
        topicArn: pulumi.Output<string>,
        tags: Record<string, string>,
    ): void {
        const parent = { parent: this };
        const obs = args.observability;
        new aws.budgets.Budget(
            `${name}-budget`,
            {
                name: `${args.prefix}-monthly`,
                budgetType: "COST",
                limitAmount: obs.budget.monthlyUsd.toFixed(2),
                limitUnit: "USD",
                timeUnit: "MONTHLY",
                costFilters: [{ name: "TagKeyValue", values: [`user:Environment$${args.tags.Environment}`] }],
                notifications: [
                    ...obs.budget.forecastThresholdsPercent.map((threshold) => ({
                        notificationType: "FORECASTED",
                        threshold,
                    })),
                    ...obs.budget.actualThresholdsPercent.map((threshold) => ({
                        notificationType: "ACTUAL",
                        threshold,
                    })),
                ].map((n) => ({
                    ...n,
                    comparisonOperator: "GREATER_THAN",
                    thresholdType: "PERCENTAGE",
                    subscriberSnsTopicArns: [topicArn],
                })),
                tags,
            },
            parent,
        );

        const monitor = new aws.costexplorer.AnomalyMonitor(
            `${name}-anomalies`,
            {
                name: `${args.prefix}-spend`,
                monitorType: "CUSTOM",
                monitorSpecification: JSON.stringify({
                    Tags: { Key: "Environment", Values: [args.tags.Environment], MatchOptions: ["EQUALS"] },
                }),
                tags,
            },
            parent,
        );
        new aws.costexplorer.AnomalySubscription(
            `${name}-anomalies`,
            {
                name: `${args.prefix}-spend-alerts`,
                frequency: "IMMEDIATE",
                monitorArnLists: [monitor.arn],
                subscribers: [{ type: "SNS", address: topicArn }],
                thresholdExpression: {
                    dimension: {
                        key: "ANOMALY_TOTAL_IMPACT_ABSOLUTE",
                        matchOptions: ["GREATER_THAN_OR_EQUAL"],
                        values: [String(obs.costAnomaly.thresholdUsd)],
                    },
                },
                tags,
            },
            parent,
        );

        // The budget and the monitor filter on the cost tags, which AWS Billing ignores until they are
        // activated: here, or by the payer account (`npm run cost-tags` reports what it has not done).
        if (obs.costAllocationTagActivation === "stack") {
            for (const tagKey of COST_ALLOCATION_TAG_KEYS) {
                new aws.costexplorer.CostAllocationTag(
                    `${name}-cost-tag-${tagKey}`,
                    { tagKey, status: "Active" },
                    // Deleting one deactivates the key for the whole account, other stacks included.
                    { ...parent, retainOnDelete: true },
                );
            }
        }
    }
}
