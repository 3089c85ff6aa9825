/** Security rules for AWS: EKS, KMS, SQS, IAM, node groups, security groups. */
import * as sec from "../../policy/rules/security-aws";
import {
    describeResourceCases,
    describeStackCases,
    resource,
    ResourceCase,
    StackCase,
    tagged,
} from "./cases";

const CLUSTER = "aws:eks/cluster:Cluster";
const eks = () => ({
    version: "1.35",
    upgradePolicy: { supportType: "STANDARD" },
    encryptionConfig: {
        provider: { keyArn: "arn:aws:kms:ap-northeast-2:111122223333:key/x" },
        resources: ["secrets"],
    },
    enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
    vpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: false, subnetIds: ["subnet-1"] },
    tags: tagged,
});
/** Judged as of a fixed day, so that the support window does not move under the test. */
const ASOF = { "eks-supported-version": { asOf: "2026-11-23" } };
const policyDoc = (statements: object[]) => ({
    policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
});

const RESOURCE_CASES: ResourceCase[] = [
    {
        policy: sec.eksSecretsEncryption,
        type: CLUSTER,
        good: eks(),
        bad: [
            {
                why: "no KMS key",
                expect: /must encrypt secrets with a KMS key/,
                change: (p) => delete p.encryptionConfig,
            },
        ],
    },
    {
        policy: sec.eksControlPlaneLogging,
        type: CLUSTER,
        good: eks(),
        bad: [
            {
                why: "a log type missing",
                expect: /must enable every control-plane log type; missing: scheduler/,
                change: (p) => p.enabledClusterLogTypes.pop(),
            },
        ],
    },
    {
        policy: sec.eksEndpointNotPublic,
        type: CLUSTER,
        good: eks(),
        bad: [
            {
                why: "a public endpoint where the stack forbids one",
                expect: /must not be public in this stack/,
                change: (p) => {
                    p.vpcConfig.endpointPublicAccess = true;
                    p.vpcConfig.publicAccessCidrs = ["203.0.113.0/24"];
                },
            },
        ],
    },
    {
        policy: sec.eksEndpointNotPublic,
        type: CLUSTER,
        config: { "eks-endpoint-not-public": { allowPublicEndpoint: true } },
        good: { ...eks(), vpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] } },
        bad: [
            {
                why: "open to the whole internet",
                expect: /limited to named CIDRs, never 0\.0\.0\.0\/0/,
                change: (p) => (p.vpcConfig.publicAccessCidrs = ["0.0.0.0/0"]),
            },
            {
                why: "public with no CIDRs",
                expect: /limited to named CIDRs, never 0\.0\.0\.0\/0/,
                change: (p) => delete p.vpcConfig.publicAccessCidrs,
            },
        ],
    },
    {
        policy: sec.eksSupportedVersion,
        type: CLUSTER,
        good: eks(),
        config: ASOF,
        bad: [
            {
                why: "a version out of the table",
                expect: /must pin a Kubernetes version from the platform's table .*; it has 1\.27/,
                change: (p) => (p.version = "1.27"),
            },
            {
                why: "no version",
                expect: /must pin a Kubernetes version from the platform's table .*; it has none/,
                change: (p) => delete p.version,
            },
            {
                why: "a version leaving standard support within 60 days",
                expect: /Kubernetes 1\.34 leaves EKS standard support on 2026-12-02 \(9 days from 2026-11-23\); it must have at least 60/,
                change: (p) => (p.version = "1.34"),
            },
            {
                why: "a version already out of standard support",
                expect: /Kubernetes 1\.33 leaves EKS standard support on 2026-07-29 \(-117 days/,
                change: (p) => (p.version = "1.33"),
            },
            {
                why: "no STANDARD support type",
                expect: /must set upgradePolicy\.supportType to STANDARD/,
                change: (p) => delete p.upgradePolicy,
            },
        ],
    },
    {
        policy: sec.eksSupportedVersion,
        type: CLUSTER,
        config: { "eks-supported-version": { asOf: "2027-02-20", minDaysOfStandardSupport: 30 } },
        good: eks(),
        bad: [
            {
                why: "a version that leaves standard support sooner than the configured window",
                expect: /1\.34 leaves EKS standard support on 2026-12-02 \(-80 days from 2027-02-20\); it must have at least 30/,
                change: (p) => (p.version = "1.34"),
            },
        ],
    },
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
