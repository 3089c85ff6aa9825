/**
 * The Karpenter controller's IAM policy: upstream's getting-started CloudFormation at v1.14.1
 * (aws/karpenter-provider-aws tag v1.14.1, website/content/en/preview/getting-started/
 * getting-started-with-karpenter/cloudformation.yaml, the same file the docs later published as
 * website/content/en/v1.14), its six managed policies statement by
 * statement, as one inline policy of the controller's Pod Identity role:
 * - NodeLifecycle: launch (RunInstances, CreateFleet, CreateLaunchTemplate) only what is tagged for
 *   this cluster and a NodePool; tag on creation; retag only its own instances with three keys;
 *   terminate and delete only instances and launch templates tagged for this cluster;
 * - IAMIntegration: pass only the node role, and only to EC2; manage instance profiles tagged for
 *   this cluster, region and an EC2NodeClass;
 * - EKSIntegration: describe this cluster (its endpoint and version);
 * - Interruption: read and delete messages of its interruption queue;
 * - ResourceDiscovery: the regional Describe calls (wildcard-only actions, scoped to the region),
 *   SSM's public AMI parameters, pricing, instance profiles.
 * Unchanged but for the partition (`aws`), and without upstream's ZonalShift policy
 * (arc-zonal-shift:GetManagedResource): the chart's settings.enableZonalShift stays off, so the
 * controller never calls it. test/iam.test.ts runs the policy through the IAM simulator.
 */
import * as pulumi from "@pulumi/pulumi";
import { KARPENTER_DESCRIBE_ACTIONS } from "../../../../vocabulary/iam";
import type { AwsScope, Statement } from "../../../aws/access";
import type { KarpenterAwsFacts } from "./facts";

/** The tag Karpenter puts on (and requires of) every instance, volume and launch template it creates. */
export const KARPENTER_CLUSTER_TAG = (clusterName: string) => `kubernetes.io/cluster/${clusterName}`;

/** The controller's statements: in `t`'s account and region, passing `karpenter`'s node role, reading its queue. */
export function karpenterControllerStatements(
    t: AwsScope,
    karpenter: Pick<KarpenterAwsFacts, "nodeRoleArn" | "interruptionQueueArn">,
): Statement[] {
    const clusterArn = pulumi.interpolate`arn:aws:eks:${t.region}:${t.accountId}:cluster/${t.clusterName}`;
    return [
        ...nodeLifecycleStatements(t),
        ...iamIntegrationStatements(t, karpenter),
        // Upstream's EKSIntegration policy: describe this cluster.
        {
            Sid: "AllowAPIServerEndpointDiscovery",
            Effect: "Allow",
            Resource: [clusterArn],
            Action: ["eks:DescribeCluster"],
        },
        // Upstream's Interruption policy: read and delete the interruption queue's messages.
        {
            Sid: "AllowInterruptionQueueActions",
            Effect: "Allow",
            Resource: [karpenter.interruptionQueueArn],
            Action: ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"],
        },
        ...resourceDiscoveryStatements(t),
    ];
}

/** Every instance profile of `t`'s account. */
function instanceProfilesOf(t: AwsScope): pulumi.Output<string> {
    return pulumi.interpolate`arn:aws:iam::${t.accountId}:instance-profile/*`;
}

/**
 * Upstream's NodeLifecycle policy: launch only what is tagged for this cluster and a NodePool, tag
 * on creation, retag only its own instances, terminate and delete only what it launched.
 */
function nodeLifecycleStatements(t: AwsScope): Statement[] {
    return [...launchStatements(t), ...tagAndDeleteStatements(t)];
}

/** The EC2 ARNs NodeLifecycle names in `t`'s region, and the condition on what Karpenter launched. */
function nodeLifecycleScope(t: AwsScope) {
    const ec2 = (resource: string) => `arn:aws:ec2:${t.region}:*:${resource}`;
    return {
        ec2,
        // What Karpenter launched for this cluster: tagged as owned by it and by a NodePool.
        ownedByCluster: {
            StringEquals: clusterKey(t, "aws:ResourceTag", "owned"),
            StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
        },
        created: [
            "fleet/*",
            "instance/*",
            "volume/*",
            "network-interface/*",
            "launch-template/*",
            "spot-instances-request/*",
        ].map(ec2),
    };
}

/** NodeLifecycle's launch statements: RunInstances, CreateFleet and CreateLaunchTemplate for this cluster. */
function launchStatements(t: AwsScope): Statement[] {
    const { ec2, ownedByCluster, created } = nodeLifecycleScope(t);
    return [
        {
            Sid: "AllowScopedEC2InstanceAccessActions",
            Effect: "Allow",
            Resource: [
                `arn:aws:ec2:${t.region}::image/*`,
                `arn:aws:ec2:${t.region}::snapshot/*`,
                ec2("security-group/*"),
                ec2("subnet/*"),
                ec2("capacity-reservation/*"),
                ec2("placement-group/*"),
            ],
            Action: ["ec2:RunInstances", "ec2:CreateFleet"],
        },
        {
            Sid: "AllowScopedEC2LaunchTemplateAccessActions",
            Effect: "Allow",
            Resource: [ec2("launch-template/*")],
            Action: ["ec2:RunInstances", "ec2:CreateFleet"],
            Condition: ownedByCluster,
        },
        {
            Sid: "AllowScopedEC2InstanceActionsWithTags",
            Effect: "Allow",
            Resource: created,
            Action: ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"],
            Condition: {
                StringEquals: {
                    ...clusterKey(t, "aws:RequestTag", "owned"),
                    "aws:RequestTag/eks:eks-cluster-name": t.clusterName,
                },
                StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
            },
        },
    ];
}

/** NodeLifecycle's tagging and deletion statements: tag on creation, retag its instances, terminate what it launched. */
function tagAndDeleteStatements(t: AwsScope): Statement[] {
    const { ec2, ownedByCluster, created } = nodeLifecycleScope(t);
    return [
        {
            Sid: "AllowScopedResourceCreationTagging",
            Effect: "Allow",
            Resource: created,
            Action: ["ec2:CreateTags"],
            Condition: {
                StringEquals: {
                    ...clusterKey(t, "aws:RequestTag", "owned"),
                    "aws:RequestTag/eks:eks-cluster-name": t.clusterName,
                    "ec2:CreateAction": ["RunInstances", "CreateFleet", "CreateLaunchTemplate"],
                },
                StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
            },
        },
        {
            Sid: "AllowScopedResourceTagging",
            Effect: "Allow",
            Resource: [ec2("instance/*")],
            Action: ["ec2:CreateTags"],
            Condition: {
                ...ownedByCluster,
                StringEqualsIfExists: { "aws:RequestTag/eks:eks-cluster-name": t.clusterName },
                "ForAllValues:StringEquals": {
                    "aws:TagKeys": ["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"],
                },
            },
        },
        {
            Sid: "AllowScopedDeletion",
            Effect: "Allow",
            Resource: [ec2("instance/*"), ec2("launch-template/*")],
            Action: ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"],
            Condition: ownedByCluster,
        },
    ];
}

/**
 * Upstream's IAMIntegration policy: pass only `karpenter`'s node role, and only to EC2; manage instance
 * profiles tagged for this cluster, region and an EC2NodeClass.
 */
function iamIntegrationStatements(
    t: AwsScope,
    karpenter: Pick<KarpenterAwsFacts, "nodeRoleArn">,
): Statement[] {
    const instanceProfiles = instanceProfilesOf(t);
    return [
        {
            Sid: "AllowPassingInstanceRole",
            Effect: "Allow",
            Resource: [karpenter.nodeRoleArn],
            Action: ["iam:PassRole"],
            Condition: {
                StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"] },
            },
        },
        {
            Sid: "AllowScopedInstanceProfileCreationActions",
            Effect: "Allow",
            Resource: [instanceProfiles],
            Action: ["iam:CreateInstanceProfile"],
            Condition: {
                StringEquals: {
                    ...clusterKey(t, "aws:RequestTag", "owned"),
                    "aws:RequestTag/eks:eks-cluster-name": t.clusterName,
                    "aws:RequestTag/topology.kubernetes.io/region": t.region,
                },
                StringLike: { "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" },
            },
        },
        {
            Sid: "AllowScopedInstanceProfileTagActions",
            Effect: "Allow",
            Resource: [instanceProfiles],
            Action: ["iam:TagInstanceProfile"],
            Condition: {
                StringEquals: {
                    ...clusterKey(t, "aws:ResourceTag", "owned"),
                    "aws:ResourceTag/topology.kubernetes.io/region": t.region,
                    ...clusterKey(t, "aws:RequestTag", "owned"),
                    "aws:RequestTag/eks:eks-cluster-name": t.clusterName,
                    "aws:RequestTag/topology.kubernetes.io/region": t.region,
                },
                StringLike: {
                    "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*",
                    "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*",
                },
            },
        },
        {
            Sid: "AllowScopedInstanceProfileActions",
            Effect: "Allow",
            Resource: [instanceProfiles],
            Action: [
                "iam:AddRoleToInstanceProfile",
                "iam:RemoveRoleFromInstanceProfile",
                "iam:DeleteInstanceProfile",
            ],
            Condition: {
                StringEquals: {
                    ...clusterKey(t, "aws:ResourceTag", "owned"),
                    "aws:ResourceTag/topology.kubernetes.io/region": t.region,
                },
                StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*" },
            },
        },
    ];
}

/** Upstream's ResourceDiscovery policy: the regional Describe calls, SSM's AMI parameters, pricing, instance profiles. */
function resourceDiscoveryStatements(t: AwsScope): Statement[] {
    const instanceProfiles = instanceProfilesOf(t);
    return [
        {
            Sid: "AllowRegionalReadActions",
            Effect: "Allow",
            Resource: "*",
            Action: [...KARPENTER_DESCRIBE_ACTIONS],
            Condition: { StringEquals: { "aws:RequestedRegion": t.region } },
        },
        {
            Sid: "AllowSSMReadActions",
            Effect: "Allow",
            Resource: [`arn:aws:ssm:${t.region}::parameter/aws/service/*`],
            Action: ["ssm:GetParameter"],
        },
        { Sid: "AllowPricingReadActions", Effect: "Allow", Resource: "*", Action: ["pricing:GetProducts"] },
        {
            Sid: "AllowUnscopedInstanceProfileListAction",
            Effect: "Allow",
            Resource: "*",
            Action: ["iam:ListInstanceProfiles"],
        },
        {
            Sid: "AllowInstanceProfileReadActions",
            Effect: "Allow",
            Resource: [instanceProfiles],
            Action: ["iam:GetInstanceProfile"],
        },
    ];
}

/** `{ "<prefix>/kubernetes.io/cluster/<cluster>": value }`: a condition key that names the cluster. */
function clusterKey(
    t: AwsScope,
    prefix: "aws:ResourceTag" | "aws:RequestTag",
    value: string,
): Record<string, string> {
    return { [`${prefix}/${KARPENTER_CLUSTER_TAG(t.clusterName)}`]: value };
}
