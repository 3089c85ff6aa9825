/**
 * What a workload may do on AWS, declared as grants on named platform resources, and the IAM
 * statements each grant becomes. A grant names the resource (a table, a queue, the bus...);
 * `policyStatements` resolves it to ARNs of this stack, never to `*` where AWS can scope.
 */
import * as pulumi from "@pulumi/pulumi";
import type { TableName } from "./data";
import { CLOUDWATCH_READ_ACTIONS, XRAY_WRITE_ACTIONS } from "../../vocabulary/iam";
import { ebsCsiDriverStatements } from "./ebs-csi-driver-policy";
import { karpenterControllerStatements } from "./karpenter-controller-policy";
import { loadBalancerControllerStatements } from "./load-balancer-controller-policy";
import type { QueueName } from "./messaging";

export type AccessGrant =
    /** Item reads (and writes with `readWrite`) on tables and their indexes. */
    | { kind: "dynamodb"; tables: TableName[]; access: "read" | "readWrite" }
    /** `consume`: receive, delete, extend visibility; `produce`: send; `inspect`: queue depth only. */
    | { kind: "sqs"; queue: QueueName; access: "consume" | "produce" | "inspect" }
    /** Put events on the reservation-events bus. */
    | { kind: "eventBus"; access: "publish" }
    /** Create, read, update and delete schedules in the reservation-expiry group, and pass their role. */
    | { kind: "scheduler"; access: "manage" }
    /** Read the Redis auth-token secret (and decrypt it through Secrets Manager). */
    | { kind: "redisAuthSecret"; access: "read" }
    /** What the AWS Load Balancer Controller needs to manage this cluster's load balancers. */
    | { kind: "loadBalancerController" }
    /** What Karpenter needs to launch, tag and terminate this cluster's nodes and read its interruption queue. */
    | { kind: "karpenterController" }
    /** Publish to the alert topic, encrypting with its key (Alertmanager). */
    | { kind: "alertPublish" }
    /** What the EBS CSI driver needs to create, attach and tag this cluster's volumes, encrypted with the observability key. */
    | { kind: "ebsCsiDriver" }
    /** Send trace segments to X-Ray (the OpenTelemetry Collector's exporter). */
    | { kind: "xrayWrite" }
    /** Write streams of the container log groups (`/aws/containers/<cluster>/<namespace>`): Fluent Bit. */
    | { kind: "containerLogs" }
    /** Read CloudWatch metrics (Argo Rollouts' analysis of the worker's queue age). */
    | { kind: "metricsRead" };

/** The stack's resources that grants can name. */
export interface GrantTargets {
    region: string;
    accountId: pulumi.Input<string>;
    /** The cluster's name, as the program gives it (condition keys are built from it). */
    clusterName: string;
    vpcId: pulumi.Input<string>;
    tableArns: Record<TableName, pulumi.Input<string>>;
    queueArns: Record<QueueName, pulumi.Input<string>>;
    eventBusArn: pulumi.Input<string>;
    scheduleGroupName: pulumi.Input<string>;
    schedulerRoleArn: pulumi.Input<string>;
    redisSecretArn: pulumi.Input<string>;
    dataKeyArn: pulumi.Input<string>;
    /** The role Karpenter's nodes run with (the only role it may pass). */
    karpenterNodeRoleArn: pulumi.Input<string>;
    /** Karpenter's interruption queue. */
    interruptionQueueArn: pulumi.Input<string>;
    /** The topic every alert goes to. */
    alertTopicArn: pulumi.Input<string>;
    /** The key of the alert topic, the container log groups and the volumes. */
    observabilityKeyArn: pulumi.Input<string>;
    /** The container log groups' common prefix, `/aws/containers/<cluster>` (no trailing slash). */
    containerLogGroupPrefix: string;
}

/** One IAM policy statement whose values may still be unresolved. */
export interface Statement {
    Sid: string;
    Effect: "Allow" | "Deny";
    Action: string[];
    Resource: pulumi.Input<string> | pulumi.Input<string>[];
    Condition?: Record<string, Record<string, pulumi.Input<string> | pulumi.Input<string>[]>>;
}

export const DYNAMODB_READ_ACTIONS = [
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DescribeTable",
] as const;
export const DYNAMODB_WRITE_ACTIONS = [
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
] as const;

export const SQS_ACTIONS = {
    consume: [
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage",
        "sqs:ChangeMessageVisibility",
        "sqs:GetQueueAttributes",
        "sqs:GetQueueUrl",
    ],
    produce: ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
    inspect: ["sqs:GetQueueAttributes"],
} as const;

export const SCHEDULER_ACTIONS = [
    "scheduler:CreateSchedule",
    "scheduler:UpdateSchedule",
    "scheduler:DeleteSchedule",
    "scheduler:GetSchedule",
] as const;

const sid = (...parts: string[]) => parts.map((p) => p.replace(/[^A-Za-z0-9]/g, "")).join("");

/** The IAM statements of one grant. */
export function grantStatements(grant: AccessGrant, t: GrantTargets): Statement[] {
    switch (grant.kind) {
        case "dynamodb": {
            const actions =
                grant.access === "read"
                    ? [...DYNAMODB_READ_ACTIONS]
                    : [...DYNAMODB_READ_ACTIONS, ...DYNAMODB_WRITE_ACTIONS];
            const resources = grant.tables.flatMap((table) => [
                t.tableArns[table],
                pulumi.interpolate`${t.tableArns[table]}/index/*`,
            ]);
            return [
                {
                    Sid: sid("DynamoDB", grant.access, ...grant.tables),
                    Effect: "Allow",
                    Action: actions,
                    Resource: resources,
                },
            ];
        }
        case "sqs":
            return [
                {
                    Sid: sid("Sqs", grant.access, grant.queue),
                    Effect: "Allow",
                    Action: [...SQS_ACTIONS[grant.access]],
                    Resource: [t.queueArns[grant.queue]],
                },
            ];
        case "eventBus":
            return [
                {
                    Sid: "PutEventsOnReservationBus",
                    Effect: "Allow",
                    Action: ["events:PutEvents"],
                    Resource: [t.eventBusArn],
                },
            ];
        case "scheduler":
            return [
                {
                    Sid: "ManageReservationExpirySchedules",
                    Effect: "Allow",
                    Action: [...SCHEDULER_ACTIONS],
                    Resource: [
                        pulumi.interpolate`arn:aws:scheduler:${t.region}:${t.accountId}:schedule/${t.scheduleGroupName}/*`,
                    ],
                },
                {
                    Sid: "PassSchedulerRole",
                    Effect: "Allow",
                    Action: ["iam:PassRole"],
                    Resource: [t.schedulerRoleArn],
                    Condition: { StringEquals: { "iam:PassedToService": "scheduler.amazonaws.com" } },
                },
            ];
        case "redisAuthSecret":
            return [
                {
                    Sid: "ReadRedisAuthToken",
                    Effect: "Allow",
                    Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                    Resource: [t.redisSecretArn],
                },
                {
                    Sid: "DecryptRedisAuthTokenViaSecretsManager",
                    Effect: "Allow",
                    Action: ["kms:Decrypt"],
                    Resource: [t.dataKeyArn],
                    Condition: {
                        StringEquals: { "kms:ViaService": `secretsmanager.${t.region}.amazonaws.com` },
                    },
                },
            ];
        case "loadBalancerController":
            return loadBalancerControllerStatements(t);
        case "karpenterController":
            return karpenterControllerStatements(t);
        case "alertPublish":
            return [
                {
                    Sid: "PublishAlerts",
                    Effect: "Allow",
                    Action: ["sns:Publish"],
                    Resource: [t.alertTopicArn],
                },
                {
                    Sid: "EncryptAlertsViaSns",
                    Effect: "Allow",
                    Action: ["kms:GenerateDataKey", "kms:Decrypt"],
                    Resource: [t.observabilityKeyArn],
                    Condition: { StringEquals: { "kms:ViaService": `sns.${t.region}.amazonaws.com` } },
                },
            ];
        case "ebsCsiDriver":
            return ebsCsiDriverStatements(t);
        case "xrayWrite":
            // X-Ray's PutTraceSegments takes no resource (Service Authorization Reference).
            return [
                { Sid: "PutTraceSegments", Effect: "Allow", Action: [...XRAY_WRITE_ACTIONS], Resource: "*" },
            ];
        case "containerLogs":
            // Both act on the log-stream resource type (Service Authorization Reference, CloudWatch Logs); the
            // groups exist (the AWS layer makes them), so no CreateLogGroup.
            return [
                {
                    Sid: "WriteContainerLogStreams",
                    Effect: "Allow",
                    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                    Resource: [
                        pulumi.interpolate`arn:aws:logs:${t.region}:${t.accountId}:log-group:${t.containerLogGroupPrefix}/*:log-stream:*`,
                    ],
                },
            ];
        case "metricsRead":
            // Classic metrics (AWS/SQS) have no resource ARN to scope to (CLOUDWATCH_READ_ACTIONS).
            return [
                {
                    Sid: "ReadCloudWatchMetrics",
                    Effect: "Allow",
                    Action: [...CLOUDWATCH_READ_ACTIONS],
                    Resource: "*",
                },
            ];
    }
}

/** Every statement of a list of grants. */
export function policyStatements(grants: readonly AccessGrant[], targets: GrantTargets): Statement[] {
    return grants.flatMap((grant) => grantStatements(grant, targets));
}
