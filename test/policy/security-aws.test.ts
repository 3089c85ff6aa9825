/** Security rules for AWS: KMS, SQS, IAM, node groups, security groups (EKS: ./security-aws-eks.test.ts). */
import * as sec from "../../policy/rules/security-aws";
import { describeResourceCases, describeStackCases, resource, ResourceCase, StackCase } from "./cases";

const policyDoc = (statements: object[]) => ({
    policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
});

const RESOURCE_CASES: ResourceCase[] = [
    {
        policy: sec.kmsKeyRotation,
        type: "aws:kms/key:Key",
        good: { enableKeyRotation: true },
        bad: [
            {
                why: "rotation off",
                expect: /KMS keys must rotate/,
                change: (p) => (p.enableKeyRotation = false),
            },
        ],
    },
    {
        policy: sec.sqsEncryption,
        type: "aws:sqs/queue:Queue",
        good: { sqsManagedSseEnabled: true },
        bad: [
            {
                why: "no encryption",
                expect: /SQS queues must be encrypted at rest/,
                change: (p) => (p.sqsManagedSseEnabled = false),
            },
        ],
    },
    {
        policy: sec.iamNoWildcardActions,
        type: "aws:iam/rolePolicy:RolePolicy",
        good: policyDoc([{ Effect: "Allow", Action: ["sqs:SendMessage"], Resource: "arn:aws:sqs:r:1:q" }]),
        bad: [
            {
                why: "a * action",
                expect: /must name every action they allow; found \*\./,
                change: (p) => (p.policy = p.policy.replace("sqs:SendMessage", "*")),
            },
            {
                why: "a service-wide action",
                expect: /must name every action they allow; found sqs:\*/,
                change: (p) => (p.policy = p.policy.replace("sqs:SendMessage", "sqs:*")),
            },
            {
                why: "NotAction",
                expect: /must name every action they allow; found NotAction/,
                change: (p) =>
                    (p.policy = JSON.stringify({
                        Statement: [{ Effect: "Allow", NotAction: "iam:*", Resource: "x" }],
                    })),
            },
        ],
    },
    {
        policy: sec.iamNoWildcardResources,
        type: "aws:iam/rolePolicy:RolePolicy",
        good: policyDoc([
            { Effect: "Allow", Action: ["ec2:DescribeSubnets"], Resource: "*" },
            { Effect: "Allow", Action: ["sqs:SendMessage"], Resource: "arn:aws:sqs:r:1:q" },
        ]),
        bad: [
            {
                why: "a scopable action on *",
                expect: /must name their resources, not "\*": sqs:SendMessage/,
                change: (p) => (p.policy = p.policy.replace('"arn:aws:sqs:r:1:q"', '"*"')),
            },
        ],
    },
    {
        policy: sec.iamTrustNotOpen,
        type: "aws:iam/role:Role",
        good: {
            assumeRolePolicy: JSON.stringify({
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Service: "pods.eks.amazonaws.com" },
                        Action: "sts:AssumeRole",
                    },
                ],
            }),
        },
        bad: [
            {
                why: "Principal *",
                expect: /trust policy must name the principals/,
                change: (p) =>
                    (p.assumeRolePolicy = p.assumeRolePolicy.replace(
                        '{"Service":"pods.eks.amazonaws.com"}',
                        '"*"',
                    )),
            },
            {
                why: "AWS *",
                expect: /trust policy must name the principals/,
                change: (p) =>
                    (p.assumeRolePolicy = p.assumeRolePolicy.replace(
                        '{"Service":"pods.eks.amazonaws.com"}',
                        '{"AWS":"*"}',
                    )),
            },
        ],
    },
    {
        policy: sec.nodeGroupNoSsh,
        type: "aws:eks/nodeGroup:NodeGroup",
        good: { capacityType: "SPOT" },
        bad: [
            {
                why: "remote access",
                expect: /must not allow SSH: remove remoteAccess/,
                change: (p) => (p.remoteAccess = { ec2SshKey: "k" }),
            },
        ],
    },
    {
        policy: sec.nodeGroupNoSsh,
        type: "eks:index:ManagedNodeGroup",
        good: { capacityType: "SPOT" },
        bad: [
            {
                why: "remote access on the eks component",
                expect: /must not allow SSH: remove remoteAccess/,
                change: (p) => (p.remoteAccess = { ec2SshKey: "k" }),
            },
        ],
    },
    {
        policy: sec.nodeGroupNoSsh,
        type: "aws:ec2/launchTemplate:LaunchTemplate",
        good: { metadataOptions: { httpTokens: "required" } },
        bad: [
            {
                why: "an SSH key",
                expect: /must not carry an SSH key pair/,
                change: (p) => (p.keyName = "ops"),
            },
        ],
    },
    {
        policy: sec.securityGroupNoOpenIngress,
        type: "aws:ec2/securityGroup:SecurityGroup",
        good: {
            ingress: [
                { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] },
                { protocol: "tcp", fromPort: 6379, toPort: 6379, securityGroups: ["sg-1"] },
            ],
        },
        bad: [
            {
                why: "SSH open to the internet",
                expect: /only on ports 80 and 443; this rule opens 22-22/,
                change: (p) => (p.ingress[0].fromPort = p.ingress[0].toPort = 22),
            },
            {
                why: "a wide range open",
                expect: /this rule opens 443-8443/,
                change: (p) => (p.ingress[0].toPort = 8443),
            },
            {
                why: "IPv6 open on a database port",
                expect: /this rule opens 6379-6379/,
                change: (p) => (p.ingress[1].ipv6CidrBlocks = ["::/0"]),
            },
        ],
    },
    {
        policy: sec.securityGroupNoOpenIngress,
        type: "aws:ec2/securityGroupRule:SecurityGroupRule",
        good: { type: "ingress", fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0"] },
        bad: [
            {
                why: "a standalone open rule",
                expect: /this rule opens 3306-3306/,
                change: (p) => (p.fromPort = p.toPort = 3306),
            },
        ],
    },
];

const STACK_CASES: StackCase[] = [
    {
        policy: sec.sqsTlsOnly,
        good: () => {
            const queue = resource("aws:sqs/queue:Queue", {});
            const deny = {
                Effect: "Deny",
                Principal: "*",
                Action: "sqs:*",
                Resource: "q",
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            };
            return [
                queue,
                resource(
                    "aws:sqs/queuePolicy:QueuePolicy",
                    { policy: JSON.stringify({ Statement: [deny] }) },
                    { dependencies: [queue] },
                ),
            ];
        },
        bad: [
            {
                why: "no queue policy",
                expect: /must have a queue policy denying aws:SecureTransport = false/,
                resources: () => [resource("aws:sqs/queue:Queue", {})],
            },
            {
                why: "a policy that does not deny plain HTTP",
                expect: /must have a queue policy denying aws:SecureTransport = false/,
                resources: () => {
                    const queue = resource("aws:sqs/queue:Queue", {});
                    return [
                        queue,
                        resource(
                            "aws:sqs/queuePolicy:QueuePolicy",
                            {
                                policy: JSON.stringify({
                                    Statement: [
                                        {
                                            Effect: "Allow",
                                            Principal: { Service: "events.amazonaws.com" },
                                            Action: "sqs:SendMessage",
                                            Resource: "q",
                                        },
                                    ],
                                }),
                            },
                            { dependencies: [queue] },
                        ),
                    ];
                },
            },
        ],
    },
];

describeResourceCases("policy pack: AWS security: resource rules", RESOURCE_CASES);
describeStackCases("policy pack: AWS security: stack rules", STACK_CASES);
