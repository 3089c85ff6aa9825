/**
 * What a workload may do on AWS, declared as grants on named platform resources, and the IAM
 * statements each grant becomes. A grant names the resource (a table, a queue, the bus...);
 * `policyStatements` resolves it to ARNs of this stack, never to `*` where AWS can scope. A
 * workload with a policy of its own (a cluster add-on's controller) brings its statements, which
 * pass through as given: this module knows no add-on.
 */
import * as pulumi from "@pulumi/pulumi";
import type { TableName } from "./data";
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
    /** A policy of the workload's own, statement by statement (a controller's, built in its add-on's folder). */
    | { kind: "statements"; statements: readonly Statement[] };

/** Where a policy applies: this stack's account, region, cluster and VPC. */
export interface AwsScope {
    region: string;
    accountId: pulumi.Input<string>;
    /** The cluster's name, as the program gives it (condition keys are built from it). */
    clusterName: string;
    vpcId: pulumi.Input<string>;
}

/** The stack's resources that grants can name. */
export interface GrantTargets extends AwsScope {
    tableArns: Record<TableName, pulumi.Input<string>>;
    queueArns: Record<QueueName, pulumi.Input<string>>;
    eventBusArn: pulumi.Input<string>;
    scheduleGroupName: pulumi.Input<string>;
    schedulerRoleArn: pulumi.Input<string>;
    redisSecretArn: pulumi.Input<string>;
    dataKeyArn: pulumi.Input<string>;
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
        case "statements":
            return [...grant.statements];
    }
}

/** Every statement of a list of grants. */
export function policyStatements(grants: readonly AccessGrant[], targets: GrantTargets): Statement[] {
    return grants.flatMap((grant) => grantStatements(grant, targets));
}
