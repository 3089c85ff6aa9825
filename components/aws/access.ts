/**
 * What a workload may do on AWS, declared as grants on named platform resources, and the IAM
 * statements each grant becomes. A grant names the resource (a table, a queue, the bus...);
 * `policyStatements` resolves it to ARNs of this stack, never to `*` where AWS can scope.
 */
import * as pulumi from "@pulumi/pulumi";
import { UNSCOPABLE_ACTIONS } from "../../policy/shared";
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
    /** What the AWS Load Balancer Controller needs to manage this cluster's load balancers. */
    | { kind: "loadBalancerController" };

/** The stack's resources that grants can name. */
export interface GrantTargets {
    region: string;
    accountId: pulumi.Input<string>;
    clusterName: pulumi.Input<string>;
    vpcId: pulumi.Input<string>;
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
export const DYNAMODB_WRITE_ACTIONS = ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"] as const;

export const SQS_ACTIONS = {
    consume: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
    produce: ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
    inspect: ["sqs:GetQueueAttributes"],
} as const;

export const SCHEDULER_ACTIONS = ["scheduler:CreateSchedule", "scheduler:UpdateSchedule", "scheduler:DeleteSchedule", "scheduler:GetSchedule"] as const;

const sid = (...parts: string[]) => parts.map((p) => p.replace(/[^A-Za-z0-9]/g, "")).join("");

/** The IAM statements of one grant. */
export function grantStatements(grant: AccessGrant, t: GrantTargets): Statement[] {
    switch (grant.kind) {
        case "dynamodb": {
            const actions = grant.access === "read" ? [...DYNAMODB_READ_ACTIONS] : [...DYNAMODB_READ_ACTIONS, ...DYNAMODB_WRITE_ACTIONS];
            const resources = grant.tables.flatMap((table) => [t.tableArns[table], pulumi.interpolate`${t.tableArns[table]}/index/*`]);
            return [{ Sid: sid("DynamoDB", grant.access, ...grant.tables), Effect: "Allow", Action: actions, Resource: resources }];
        }
        case "sqs":
            return [{ Sid: sid("Sqs", grant.access, grant.queue), Effect: "Allow", Action: [...SQS_ACTIONS[grant.access]], Resource: [t.queueArns[grant.queue]] }];
        case "eventBus":
            return [{ Sid: "PutEventsOnReservationBus", Effect: "Allow", Action: ["events:PutEvents"], Resource: [t.eventBusArn] }];
        case "scheduler":
            return [
                {
                    Sid: "ManageReservationExpirySchedules",
                    Effect: "Allow",
                    Action: [...SCHEDULER_ACTIONS],
                    Resource: [pulumi.interpolate`arn:aws:scheduler:${t.region}:${t.accountId}:schedule/${t.scheduleGroupName}/*`],
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
                { Sid: "ReadRedisAuthToken", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: [t.redisSecretArn] },
                {
                    Sid: "DecryptRedisAuthTokenViaSecretsManager",
                    Effect: "Allow",
                    Action: ["kms:Decrypt"],
                    Resource: [t.dataKeyArn],
                    Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${t.region}.amazonaws.com` } },
                },
            ];
        case "loadBalancerController":
            return loadBalancerControllerStatements(t);
    }
}

/** Every statement of a list of grants. */
export function policyStatements(grants: readonly AccessGrant[], targets: GrantTargets): Statement[] {
    return grants.flatMap((grant) => grantStatements(grant, targets));
}



/** The tag the controller puts on everything it creates, naming the cluster. */
const LBC_CLUSTER_TAG = "elbv2.k8s.aws/cluster";

function loadBalancerControllerStatements(t: GrantTargets): Statement[] {
    const arn = (service: string, resource: pulumi.Input<string>) => pulumi.interpolate`arn:aws:${service}:${t.region}:${t.accountId}:${resource}`;
    const loadBalancers = [arn("elasticloadbalancing", "loadbalancer/app/*/*"), arn("elasticloadbalancing", "loadbalancer/net/*/*")];
    const targetGroups = arn("elasticloadbalancing", "targetgroup/*/*");
    const listeners = [arn("elasticloadbalancing", "listener/app/*/*/*"), arn("elasticloadbalancing", "listener/net/*/*/*")];
    const rules = [arn("elasticloadbalancing", "listener-rule/app/*/*/*/*"), arn("elasticloadbalancing", "listener-rule/net/*/*/*/*")];
    const securityGroups = arn("ec2", "security-group/*");
    const ownedByCluster = { StringEquals: { [`aws:ResourceTag/${LBC_CLUSTER_TAG}`]: t.clusterName } };
    const taggedForCluster = { StringEquals: { [`aws:RequestTag/${LBC_CLUSTER_TAG}`]: t.clusterName } };
    return [
        { Sid: "DescribeUnscopable", Effect: "Allow", Action: [...UNSCOPABLE_ACTIONS], Resource: "*" },
        {
            Sid: "CreateElbServiceLinkedRole",
            Effect: "Allow",
            Action: ["iam:CreateServiceLinkedRole"],
            Resource: [pulumi.interpolate`arn:aws:iam::${t.accountId}:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing`],
            Condition: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } },
        },
        {
            Sid: "ReadCertificatesAndWaf",
            Effect: "Allow",
            Action: ["acm:DescribeCertificate", "wafv2:GetWebACL"],
            Resource: [arn("acm", "certificate/*"), arn("wafv2", "regional/webacl/*/*")],
        },
        {
            Sid: "CreateSecurityGroupsInClusterVpc",
            Effect: "Allow",
            Action: ["ec2:CreateSecurityGroup"],
            Resource: [arn("ec2", pulumi.interpolate`vpc/${t.vpcId}`)],
        },
        {
            Sid: "CreateTaggedSecurityGroups",
            Effect: "Allow",
            Action: ["ec2:CreateSecurityGroup", "ec2:CreateTags"],
            Resource: [securityGroups],
            Condition: taggedForCluster,
        },
        {
            Sid: "ManageClusterSecurityGroups",
            Effect: "Allow",
            Action: ["ec2:DeleteSecurityGroup", "ec2:CreateTags", "ec2:DeleteTags"],
            Resource: [securityGroups],
            Condition: ownedByCluster,
        },
        {
            Sid: "OpenBackendSecurityGroupsInClusterVpc",
            Effect: "Allow",
            Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
            Resource: [securityGroups],
            Condition: { ArnEquals: { "ec2:Vpc": arn("ec2", pulumi.interpolate`vpc/${t.vpcId}`) } },
        },
        {
            Sid: "CreateTaggedLoadBalancers",
            Effect: "Allow",
            Action: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:AddTags"],
            Resource: [...loadBalancers, targetGroups],
            Condition: taggedForCluster,
        },
        {
            Sid: "ManageClusterLoadBalancers",
            Effect: "Allow",
            Action: [
                "elasticloadbalancing:AddTags",
                "elasticloadbalancing:RemoveTags",
                "elasticloadbalancing:ModifyLoadBalancerAttributes",
                "elasticloadbalancing:SetIpAddressType",
                "elasticloadbalancing:SetSecurityGroups",
                "elasticloadbalancing:SetSubnets",
                "elasticloadbalancing:DeleteLoadBalancer",
                "elasticloadbalancing:ModifyTargetGroup",
                "elasticloadbalancing:ModifyTargetGroupAttributes",
                "elasticloadbalancing:DeleteTargetGroup",
                "elasticloadbalancing:ModifyCapacityReservation",
            ],
            Resource: [...loadBalancers, targetGroups],
            Condition: ownedByCluster,
        },
        {
            Sid: "RegisterTargets",
            Effect: "Allow",
            Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
            Resource: [targetGroups],
        },
        {
            Sid: "ManageListenersAndRules",
            Effect: "Allow",
            Action: [
                "elasticloadbalancing:CreateListener",
                "elasticloadbalancing:DeleteListener",
                "elasticloadbalancing:ModifyListener",
                "elasticloadbalancing:ModifyListenerAttributes",
                "elasticloadbalancing:AddListenerCertificates",
                "elasticloadbalancing:RemoveListenerCertificates",
                "elasticloadbalancing:CreateRule",
                "elasticloadbalancing:DeleteRule",
                "elasticloadbalancing:ModifyRule",
                "elasticloadbalancing:SetWebAcl",
                "elasticloadbalancing:AddTags",
            ],
            Resource: [...loadBalancers, ...listeners, ...rules],
        },
        {
            Sid: "AttachWafToClusterLoadBalancers",
            Effect: "Allow",
            Action: ["wafv2:AssociateWebACL", "wafv2:DisassociateWebACL", "wafv2:GetWebACLForResource"],
            Resource: [...loadBalancers, arn("wafv2", "regional/webacl/*/*")],
        },
    ];
}
