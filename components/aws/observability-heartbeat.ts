/**
 * The dead man's switch of in-cluster alerting: Alertmanager publishes the always-firing Watchdog
 * to a topic of its own about once a minute, and a CloudWatch alarm on that topic's published
 * messages tells the alert topic when they stop (Prometheus, Alertmanager, their nodes, their
 * network path or their identity gone), which nothing inside the cluster can report.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { denyInsecurePublish } from "./observability-policies";

/**
 * The heartbeat alarm's period. SNS pushes its topic metrics to CloudWatch at intervals of one to
 * five minutes (AWS SNS Developer Guide, "Monitoring Amazon SNS topics using Amazon CloudWatch":
 * the page has said both), and only for a topic active in the last six hours: a five-minute sum
 * is complete under either, and a topic that has gone quiet has no data at all.
 */
export const HEARTBEAT_PERIOD_SECONDS = 300;
/** Periods without a heartbeat before the alarm fires: ten minutes of silence. */
export const HEARTBEAT_PERIODS = 2;

export interface HeartbeatArgs {
    /** `<project>-<stack>`: the topic's and the alarm's names. */
    prefix: string;
    /** The observability key, which encrypts the heartbeat's messages as it does the alerts'. */
    keyArn: pulumi.Input<string>;
    /** Where the alarm reports. */
    alertTopicArn: pulumi.Input<string>;
    tags: Record<string, string>;
}

/**
 * The heartbeat topic (no subscribers: only its metric matters), HTTPS-only, and the alarm on
 * `AWS/SNS` `NumberOfMessagesPublished` for its `TopicName` (the metric and dimension the SNS
 * Developer Guide lists): fewer than one message in each of two five-minute periods, or no data
 * at all (missing data breaches), fires to the alert topic, and its return clears it.
 */
export function createHeartbeat(name: string, args: HeartbeatArgs, parent: pulumi.Resource): aws.sns.Topic {
    const opts = { parent };
    const topic = new aws.sns.Topic(
        `${name}-heartbeat`,
        {
            name: `${args.prefix}-heartbeat`,
            displayName: `${args.prefix} Alertmanager heartbeat`,
            kmsMasterKeyId: args.keyArn,
            tags: args.tags,
        },
        opts,
    );
    new aws.sns.TopicPolicy(
        `${name}-heartbeat`,
        {
            arn: topic.arn,
            policy: topic.arn.apply((arn) =>
                JSON.stringify({ Version: "2012-10-17", Statement: [denyInsecurePublish(arn)] }),
            ),
        },
        opts,
    );
    new aws.cloudwatch.MetricAlarm(
        `${name}-heartbeat-missing`,
        {
            name: `${args.prefix}-alertmanager-heartbeat-missing`,
            alarmDescription: `Alertmanager has published no Watchdog heartbeat for ${(HEARTBEAT_PERIOD_SECONDS * HEARTBEAT_PERIODS) / 60} minutes: in-cluster alerting (Prometheus or Alertmanager, their nodes, their egress or their identity) is down, and no other alert can reach this topic.`,
            namespace: "AWS/SNS",
            metricName: "NumberOfMessagesPublished",
            dimensions: { TopicName: topic.name },
            statistic: "Sum",
            period: HEARTBEAT_PERIOD_SECONDS,
            evaluationPeriods: HEARTBEAT_PERIODS,
            datapointsToAlarm: HEARTBEAT_PERIODS,
            threshold: 1,
            comparisonOperator: "LessThanThreshold",
            treatMissingData: "breaching",
            alarmActions: [args.alertTopicArn],
            okActions: [args.alertTopicArn],
            tags: args.tags,
        },
        opts,
    );
    return topic;
}
