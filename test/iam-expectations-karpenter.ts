/** Karpenter's expectations: launch, tag and terminate only what is tagged for this cluster, pass only its node role. */
import { MOCK_ACCOUNT } from "../tools/harness";
import { ALL_TABLES, Arns, Expectation, itemAny } from "./iam-simulation";

/** What Karpenter puts on everything it launches for this cluster (upstream CloudFormation v1.14.1 conditions). */
const launchTags = (a: Arns, cluster = a.cluster): Record<string, string> => ({
    [`aws:RequestTag/kubernetes.io/cluster/${cluster}`]: "owned",
    "aws:RequestTag/eks:eks-cluster-name": cluster,
    "aws:RequestTag/karpenter.sh/nodepool": "apps",
});
const ownTags = (a: Arns, cluster = a.cluster): Record<string, string> => ({
    [`aws:ResourceTag/kubernetes.io/cluster/${cluster}`]: "owned",
    "aws:ResourceTag/karpenter.sh/nodepool": "apps",
});
/** What Karpenter's controller must be allowed and denied (upstream CloudFormation v1.14.1 policy). */
export const KARPENTER_EXPECTED: { allowed: Expectation[]; denied: Expectation[] } = {
    allowed: [
        { action: "ec2:RunInstances", resource: (a) => a.instance, context: (a) => launchTags(a) },
        { action: "ec2:CreateFleet", resource: (a) => a.instance, context: (a) => launchTags(a) },
        { action: "ec2:RunInstances", resource: (a) => a.subnet },
        { action: "ec2:RunInstances", resource: (a) => a.launchTemplate, context: (a) => ownTags(a) },
        {
            action: "ec2:CreateTags",
            resource: (a) => a.instance,
            context: (a) => ({ ...launchTags(a), "ec2:CreateAction": "RunInstances" }),
        },
        {
            action: "ec2:CreateTags",
            resource: (a) => a.instance,
            context: (a) => ({ ...ownTags(a), "aws:TagKeys": ["karpenter.sh/nodeclaim", "Name"] }),
        },
        { action: "ec2:TerminateInstances", resource: (a) => a.instance, context: (a) => ownTags(a) },
        {
            action: "ec2:DeleteLaunchTemplate",
            resource: (a) => a.launchTemplate,
            context: (a) => ownTags(a),
        },
        {
            action: "iam:PassRole",
            resource: (a) => a.nodeRole,
            context: () => ({ "iam:PassedToService": "ec2.amazonaws.com" }),
        },
        {
            action: "iam:CreateInstanceProfile",
            resource: (a) => a.instanceProfile,
            context: (a) => ({
                [`aws:RequestTag/kubernetes.io/cluster/${a.cluster}`]: "owned",
                "aws:RequestTag/eks:eks-cluster-name": a.cluster,
                "aws:RequestTag/topology.kubernetes.io/region": a.region,
                "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "apps",
            }),
        },
        {
            action: "iam:AddRoleToInstanceProfile",
            resource: (a) => a.instanceProfile,
            context: (a) => ({
                [`aws:ResourceTag/kubernetes.io/cluster/${a.cluster}`]: "owned",
                "aws:ResourceTag/topology.kubernetes.io/region": a.region,
                "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "apps",
            }),
        },
        {
            action: "eks:DescribeCluster",
            resource: (a) => `arn:aws:eks:${a.region}:${MOCK_ACCOUNT}:cluster/${a.cluster}`,
        },
        ...["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueUrl"].map((action) => ({
            action,
            resource: (a: Arns) => a.interruptionQueue,
        })),
        {
            action: "ec2:DescribeInstanceTypes",
            resource: () => "*",
            context: (a) => ({ "aws:RequestedRegion": a.region }),
        },
        // ssm:GetParameter on AWS's public parameters (arn:aws:ssm:<region>::parameter/aws/service/*, no
        // account in the ARN) is left out: the simulator matches no resource type without an account.
        { action: "pricing:GetProducts", resource: () => "*" },
    ],
    denied: [
        // Launch and terminate only what is tagged for this cluster.
        { action: "ec2:TerminateInstances", resource: (a) => a.instance },
        {
            action: "ec2:TerminateInstances",
            resource: (a) => a.instance,
            context: (a) => ownTags(a, "another-cluster"),
        },
        {
            action: "ec2:RunInstances",
            resource: (a) => a.instance,
            context: (a) => launchTags(a, "another-cluster"),
        },
        { action: "ec2:RunInstances", resource: (a) => a.instance },
        { action: "ec2:RunInstances", resource: (a) => a.launchTemplate },
        {
            action: "ec2:CreateTags",
            resource: (a) => a.instance,
            context: (a) => ({ ...ownTags(a), "aws:TagKeys": ["kubernetes.io/cluster/another-cluster"] }),
        },
        // Pass only its node role, and only to EC2.
        {
            action: "iam:PassRole",
            resource: (a) => a.managedNodeRole,
            context: () => ({ "iam:PassedToService": "ec2.amazonaws.com" }),
        },
        {
            action: "iam:PassRole",
            resource: (a) => a.nodeRole,
            context: () => ({ "iam:PassedToService": "lambda.amazonaws.com" }),
        },
        { action: "iam:DeleteInstanceProfile", resource: (a) => a.instanceProfile },
        {
            action: "ec2:DescribeInstanceTypes",
            resource: () => "*",
            context: () => ({ "aws:RequestedRegion": "us-east-1" }),
        },
        { action: "sqs:ReceiveMessage", resource: (a) => a.queue("reservation-events") },
        {
            action: "eks:DescribeCluster",
            resource: (a) => `arn:aws:eks:${a.region}:${MOCK_ACCOUNT}:cluster/another-cluster`,
        },
        ...itemAny(ALL_TABLES),
    ],
};
