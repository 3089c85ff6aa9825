/**
 * What each workload identity must be allowed and denied, written out here from each workload's
 * needs (its tables, queues, bus, schedules, secrets and keys as listed below), not read back
 * from the catalogue the program builds its grants from.
 */
import { MOCK_ACCOUNT } from "../tools/harness";
import { KARPENTER_EXPECTED } from "./iam-expectations-karpenter";
import { ALL_TABLES, Arns, Expectation, itemAny, itemRw, others, QUEUES } from "./iam-simulation";

/** What each service account must be allowed, and what it must not (beyond the common denials). */
export const EXPECTED: Record<string, { allowed: Expectation[]; denied: Expectation[] }> = {
    "gateway-api": {
        allowed: [
            { action: "dynamodb:GetItem", resource: (a) => a.table("users") },
            { action: "dynamodb:Query", resource: (a) => `${a.table("users")}/index/email-index` },
            { action: "secretsmanager:GetSecretValue", resource: (a) => a.redisSecret },
            {
                action: "kms:Decrypt",
                resource: (a) => a.dataKey,
                context: (a) => ({ "kms:ViaService": `secretsmanager.${a.region}.amazonaws.com` }),
            },
        ],
        denied: [
            { action: "dynamodb:PutItem", resource: (a) => a.table("users") },
            {
                action: "kms:Decrypt",
                resource: (a) => a.dataKey,
                context: () => ({ "kms:ViaService": "s3.amazonaws.com" }),
            },
            ...itemAny(others(["users"])),
        ],
    },
    "reservation-api": {
        allowed: [
            ...itemRw(["reservations", "orders", "idempotency", "outbox"]),
            { action: "events:PutEvents", resource: (a) => a.bus },
            { action: "scheduler:CreateSchedule", resource: (a) => a.schedule },
            { action: "scheduler:DeleteSchedule", resource: (a) => a.schedule },
            {
                action: "iam:PassRole",
                resource: (a) => a.schedulerRole,
                context: () => ({ "iam:PassedToService": "scheduler.amazonaws.com" }),
            },
        ],
        denied: [
            ...itemAny(others(["reservations", "orders", "idempotency", "outbox"])),
            { action: "scheduler:CreateSchedule", resource: (a) => a.otherSchedule },
            {
                action: "iam:PassRole",
                resource: (a) => a.schedulerRole,
                context: () => ({ "iam:PassedToService": "lambda.amazonaws.com" }),
            },
        ],
    },
    "inventory-api": {
        allowed: itemRw(["ticket-events", "tickets", "idempotency"]),
        denied: [
            ...itemAny(others(["ticket-events", "tickets", "idempotency"])),
            { action: "events:PutEvents", resource: (a) => a.bus },
        ],
    },
    "payment-sim-api": {
        allowed: [
            { action: "events:PutEvents", resource: (a) => a.bus },
            { action: "sqs:SendMessage", resource: (a) => a.queue("payment-webhooks") },
        ],
        denied: [
            { action: "sqs:SendMessage", resource: (a) => a.queue("reservation-events") },
            { action: "sqs:ReceiveMessage", resource: (a) => a.queue("payment-webhooks") },
            ...itemAny(ALL_TABLES),
        ],
    },
    "reservation-worker": {
        allowed: [
            "sqs:ReceiveMessage",
            "sqs:DeleteMessage",
            "sqs:ChangeMessageVisibility",
            "sqs:GetQueueAttributes",
        ].map((action) => ({ action, resource: (a: Arns) => a.queue("reservation-events") })),
        denied: [
            { action: "sqs:ReceiveMessage", resource: (a) => a.queue("payment-webhooks") },
            { action: "sqs:SendMessage", resource: (a) => a.queue("reservation-events") },
            { action: "sqs:PurgeQueue", resource: (a) => a.queue("reservation-events") },
            ...itemAny(ALL_TABLES),
        ],
    },
    alertmanager: {
        allowed: [
            { action: "sns:Publish", resource: (a) => a.alertTopic },
            // The Watchdog's heartbeat, whose silence the heartbeat alarm reports.
            { action: "sns:Publish", resource: (a) => a.heartbeatTopic },
            {
                action: "kms:GenerateDataKey",
                resource: (a) => a.observabilityKey,
                context: (a) => ({ "kms:ViaService": `sns.${a.region}.amazonaws.com` }),
            },
        ],
        denied: [
            {
                action: "sns:Publish",
                resource: (a) => `arn:aws:sns:${a.region}:${MOCK_ACCOUNT}:another-topic`,
            },
            {
                action: "kms:Decrypt",
                resource: (a) => a.observabilityKey,
                context: () => ({ "kms:ViaService": "s3.amazonaws.com" }),
            },
            { action: "sns:DeleteTopic", resource: (a) => a.alertTopic },
            { action: "sns:Subscribe", resource: (a) => a.heartbeatTopic },
        ],
    },
    "otel-collector": {
        allowed: [{ action: "xray:PutTraceSegments", resource: () => "*" }],
        denied: [
            { action: "xray:GetTraceSummaries", resource: () => "*" },
            { action: "xray:PutEncryptionConfig", resource: () => "*" },
            { action: "logs:PutLogEvents", resource: (a) => `${a.logGroup("tacos")}:log-stream:x` },
        ],
    },
    "argo-rollouts": {
        // The CloudWatch provider of the worker's canary analysis (reservation-events' oldest message's age).
        allowed: [{ action: "cloudwatch:GetMetricData", resource: () => "*" }],
        denied: [
            { action: "cloudwatch:PutMetricData", resource: () => "*" },
            {
                action: "cloudwatch:DeleteAlarms",
                resource: (a) => `arn:aws:cloudwatch:${a.region}:${MOCK_ACCOUNT}:alarm:x`,
            },
            { action: "sqs:ReceiveMessage", resource: (a) => a.queue("reservation-events") },
        ],
    },
    opencost: {
        // A spot node's price from EC2's spot price history, in the stack's region only.
        allowed: [
            {
                action: "ec2:DescribeSpotPriceHistory",
                resource: () => "*",
                context: (a) => ({ "aws:RequestedRegion": a.region }),
            },
        ],
        denied: [
            {
                action: "ec2:DescribeSpotPriceHistory",
                resource: () => "*",
                context: () => ({ "aws:RequestedRegion": "us-east-1" }),
            },
            { action: "ec2:RunInstances", resource: (a) => a.subnet },
            { action: "ec2:DescribeInstances", resource: () => "*" },
            { action: "pricing:GetProducts", resource: () => "*" },
            { action: "s3:GetObject", resource: () => "arn:aws:s3:::spot-data-feed/x" },
        ],
    },
    "fluent-bit": {
        allowed: [
            {
                action: "logs:CreateLogStream",
                resource: (a) => `${a.logGroup("tacos")}:log-stream:api-0.gateway-api`,
            },
            {
                action: "logs:PutLogEvents",
                resource: (a) => `${a.logGroup("tacos")}:log-stream:api-0.gateway-api`,
            },
            {
                action: "logs:PutLogEvents",
                resource: (a) => `${a.logGroup("kube-system")}:log-stream:coredns-0.coredns`,
            },
        ],
        denied: [
            { action: "logs:CreateLogGroup", resource: (a) => a.logGroup("tacos") },
            { action: "logs:PutRetentionPolicy", resource: (a) => a.logGroup("tacos") },
            {
                action: "logs:PutLogEvents",
                resource: (a) =>
                    `arn:aws:logs:${a.region}:${MOCK_ACCOUNT}:log-group:/aws/lambda/other:log-stream:x`,
            },
            {
                action: "logs:CreateLogStream",
                resource: (a) =>
                    `arn:aws:logs:${a.region}:${MOCK_ACCOUNT}:log-group:/aws/containers/another-cluster/tacos:log-stream:x`,
            },
            { action: "logs:DeleteLogGroup", resource: (a) => a.logGroup("tacos") },
        ],
    },
    "ebs-csi-driver": {
        allowed: [
            { action: "ec2:DescribeVolumes", resource: () => "*" },
            {
                action: "ec2:CreateVolume",
                resource: (a) => a.volume,
                context: () => ({ "aws:RequestTag/ebs.csi.aws.com/cluster": "true" }),
            },
            {
                action: "ec2:DeleteVolume",
                resource: (a) => a.volume,
                context: () => ({ "aws:ResourceTag/ebs.csi.aws.com/cluster": "true" }),
            },
            {
                action: "ec2:AttachVolume",
                resource: (a) => a.volume,
                context: () => ({ "aws:ResourceTag/ebs.csi.aws.com/cluster": "true" }),
            },
            {
                action: "kms:CreateGrant",
                resource: (a) => a.observabilityKey,
                context: () => ({ "kms:GrantIsForAWSResource": "true" }),
            },
        ],
        denied: [
            { action: "ec2:CreateVolume", resource: (a) => a.volume },
            {
                action: "ec2:DeleteVolume",
                resource: (a) => a.volume,
                context: () => ({ "aws:ResourceTag/team": "data" }),
            },
            {
                action: "kms:CreateGrant",
                resource: (a) => a.observabilityKey,
                context: () => ({ "kms:GrantIsForAWSResource": "false" }),
            },
            { action: "kms:Decrypt", resource: (a) => a.dataKey },
        ],
    },
    "keda-operator": {
        allowed: [{ action: "sqs:GetQueueAttributes", resource: (a) => a.queue("reservation-events") }],
        denied: [
            { action: "sqs:ReceiveMessage", resource: (a) => a.queue("reservation-events") },
            { action: "sqs:GetQueueAttributes", resource: (a) => a.queue("payment-webhooks") },
        ],
    },
    "aws-load-balancer-controller": {
        allowed: [
            { action: "ec2:DescribeSubnets", resource: () => "*" },
            { action: "elasticloadbalancing:DescribeLoadBalancers", resource: () => "*" },
            {
                action: "elasticloadbalancing:CreateLoadBalancer",
                resource: (a) => a.loadBalancer,
                context: (a) => ({ "aws:RequestTag/elbv2.k8s.aws/cluster": a.cluster }),
            },
            {
                action: "elasticloadbalancing:DeleteLoadBalancer",
                resource: (a) => a.loadBalancer,
                context: (a) => ({ "aws:ResourceTag/elbv2.k8s.aws/cluster": a.cluster }),
            },
            { action: "elasticloadbalancing:RegisterTargets", resource: (a) => a.targetGroup },
        ],
        denied: [
            {
                action: "elasticloadbalancing:CreateLoadBalancer",
                resource: (a) => a.loadBalancer,
                context: () => ({ "aws:RequestTag/elbv2.k8s.aws/cluster": "someone-elses-cluster" }),
            },
            {
                action: "elasticloadbalancing:DeleteLoadBalancer",
                resource: (a) => a.loadBalancer,
                context: () => ({ "aws:ResourceTag/elbv2.k8s.aws/cluster": "someone-elses-cluster" }),
            },
            {
                action: "ec2:TerminateInstances",
                resource: (a) => `arn:aws:ec2:${a.region}:${MOCK_ACCOUNT}:instance/i-0123456789abcdef0`,
            },
            ...itemAny(ALL_TABLES),
        ],
    },
    karpenter: KARPENTER_EXPECTED,
};

/** Denied to every workload: privilege escalation and destruction of the platform's data. */
export const COMMON_DENIALS: Expectation[] = [
    { action: "iam:CreateRole", resource: () => `arn:aws:iam::${MOCK_ACCOUNT}:role/escalate` },
    { action: "iam:PutRolePolicy", resource: () => `arn:aws:iam::${MOCK_ACCOUNT}:role/escalate` },
    { action: "iam:AttachRolePolicy", resource: () => `arn:aws:iam::${MOCK_ACCOUNT}:role/escalate` },
    { action: "iam:PassRole", resource: () => `arn:aws:iam::${MOCK_ACCOUNT}:role/admin` },
    ...QUEUES.map((q) => ({ action: "sqs:DeleteQueue", resource: (a: Arns) => a.queue(q) })),
    ...ALL_TABLES.map((t) => ({ action: "dynamodb:DeleteTable", resource: (a: Arns) => a.table(t) })),
    { action: "secretsmanager:DeleteSecret", resource: (a) => a.redisSecret },
    { action: "kms:ScheduleKeyDeletion", resource: (a) => a.dataKey },
];
