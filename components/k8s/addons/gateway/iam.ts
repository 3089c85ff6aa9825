/**
 * The AWS Load Balancer Controller's IAM policy: upstream's `docs/install/iam_policy.json` at
 * v3.5.0 (identical to v2.17.1), statement by statement, with two changes that narrow it without
 * taking anything away the controller does for this cluster:
 * - where upstream only requires the `elbv2.k8s.aws/cluster` tag to be present (`Null: false`),
 *   the tag must name this cluster;
 * - where upstream grants a scopable action on `*`, it is granted on every resource of the
 *   action's types in this account and region (security-group changes: in this cluster's VPC).
 * Wildcard-only actions (SetWebAcl, CreateProtection, the Describe calls) stay on `*`.
 * test/iam.test.ts replays upstream's statements through the IAM simulator against this policy.
 */
import * as pulumi from "@pulumi/pulumi";
import { LOAD_BALANCER_CONTROLLER_WILDCARD_ACTIONS } from "../../../../vocabulary/iam";
import type { AwsScope, Statement } from "../../../aws/access";

/** The tag the controller puts on everything it creates, naming the cluster. */
export const LBC_CLUSTER_TAG = "elbv2.k8s.aws/cluster";

/** The controller's statements, in `t`'s account, region and VPC. */
export function loadBalancerControllerStatements(t: AwsScope): Statement[] {
    const arn = (service: string, resource: pulumi.Input<string>) =>
        pulumi.interpolate`arn:aws:${service}:${t.region}:${t.accountId}:${resource}`;
    const elb = (resource: string) => arn("elasticloadbalancing", resource);
    const loadBalancers = [elb("loadbalancer/app/*/*"), elb("loadbalancer/net/*/*")];
    const targetGroups = elb("targetgroup/*/*");
    const listeners = [elb("listener/app/*/*/*"), elb("listener/net/*/*/*")];
    const rules = [elb("listener-rule/app/*/*/*/*"), elb("listener-rule/net/*/*/*/*")];
    const securityGroups = arn("ec2", "security-group/*");
    const vpc = arn("ec2", pulumi.interpolate`vpc/${t.vpcId}`);
    const webAcls = [arn("wafv2", "regional/webacl/*/*"), arn("waf-regional", "webacl/*")];
    const ownedByCluster = { [`aws:ResourceTag/${LBC_CLUSTER_TAG}`]: t.clusterName };
    const taggedForCluster = { [`aws:RequestTag/${LBC_CLUSTER_TAG}`]: t.clusterName };
    const untaggedRequest = { Null: { [`aws:RequestTag/${LBC_CLUSTER_TAG}`]: "true" } };
    return [
        {
            Sid: "CreateElbServiceLinkedRole",
            Effect: "Allow",
            Action: ["iam:CreateServiceLinkedRole"],
            Resource: [
                pulumi.interpolate`arn:aws:iam::${t.accountId}:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing`,
            ],
            Condition: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } },
        },
        {
            Sid: "DescribeAndWildcardOnly",
            Effect: "Allow",
            Action: [...LOAD_BALANCER_CONTROLLER_WILDCARD_ACTIONS],
            Resource: "*",
        },
        {
            Sid: "ReadCoipPoolsAndVpcSecurityGroups",
            Effect: "Allow",
            Action: ["ec2:GetCoipPoolUsage", "ec2:GetSecurityGroupsForVpc"],
            Resource: [arn("ec2", "coip-pool/*"), vpc],
        },
        {
            Sid: "ReadCertificatesAndIdentityProviders",
            Effect: "Allow",
            Action: [
                "acm:DescribeCertificate",
                "iam:GetServerCertificate",
                "cognito-idp:DescribeUserPoolClient",
            ],
            Resource: [
                arn("acm", "certificate/*"),
                pulumi.interpolate`arn:aws:iam::${t.accountId}:server-certificate/*`,
                arn("cognito-idp", "userpool/*"),
            ],
        },
        {
            Sid: "AttachWafAndShieldToLoadBalancers",
            Effect: "Allow",
            Action: [
                "waf-regional:GetWebACL",
                "waf-regional:GetWebACLForResource",
                "waf-regional:AssociateWebACL",
                "waf-regional:DisassociateWebACL",
                "wafv2:GetWebACL",
                "wafv2:GetWebACLForResource",
                "wafv2:AssociateWebACL",
                "wafv2:DisassociateWebACL",
                "shield:DescribeProtection",
                "shield:DeleteProtection",
            ],
            Resource: [
                ...loadBalancers,
                ...webAcls,
                pulumi.interpolate`arn:aws:shield::${t.accountId}:protection/*`,
            ],
        },
        {
            Sid: "ChangeSecurityGroupRulesInClusterVpc",
            Effect: "Allow",
            Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
            Resource: [securityGroups, arn("ec2", "security-group-rule/*")],
            Condition: { ArnEquals: { "ec2:Vpc": vpc } },
        },
        {
            Sid: "CreateSecurityGroupsInClusterVpc",
            Effect: "Allow",
            Action: ["ec2:CreateSecurityGroup"],
            Resource: [vpc],
        },
        {
            Sid: "CreateSecurityGroupsTaggedForCluster",
            Effect: "Allow",
            Action: ["ec2:CreateSecurityGroup"],
            Resource: [securityGroups],
            Condition: { StringEquals: taggedForCluster },
        },
        {
            Sid: "TagSecurityGroupsOnCreate",
            Effect: "Allow",
            Action: ["ec2:CreateTags"],
            Resource: [securityGroups],
            Condition: { StringEquals: { "ec2:CreateAction": "CreateSecurityGroup", ...taggedForCluster } },
        },
        {
            Sid: "RetagClusterSecurityGroups",
            Effect: "Allow",
            Action: ["ec2:CreateTags", "ec2:DeleteTags"],
            Resource: [securityGroups],
            Condition: { ...untaggedRequest, StringEquals: ownedByCluster },
        },
        {
            Sid: "ManageClusterSecurityGroups",
            Effect: "Allow",
            Action: [
                "ec2:AuthorizeSecurityGroupIngress",
                "ec2:RevokeSecurityGroupIngress",
                "ec2:DeleteSecurityGroup",
            ],
            Resource: [securityGroups],
            Condition: { StringEquals: ownedByCluster },
        },
        {
            Sid: "CreateLoadBalancersTaggedForCluster",
            Effect: "Allow",
            Action: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
            Resource: [...loadBalancers, targetGroups],
            Condition: { StringEquals: taggedForCluster },
        },
        {
            Sid: "ManageListenersAndRules",
            Effect: "Allow",
            Action: [
                "elasticloadbalancing:CreateListener",
                "elasticloadbalancing:DeleteListener",
                "elasticloadbalancing:CreateRule",
                "elasticloadbalancing:DeleteRule",
                "elasticloadbalancing:ModifyListener",
                "elasticloadbalancing:AddListenerCertificates",
                "elasticloadbalancing:RemoveListenerCertificates",
                "elasticloadbalancing:ModifyRule",
                "elasticloadbalancing:SetRulePriorities",
            ],
            Resource: [...loadBalancers, ...listeners, ...rules],
        },
        {
            Sid: "RetagClusterLoadBalancers",
            Effect: "Allow",
            Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
            Resource: [...loadBalancers, targetGroups],
            Condition: { ...untaggedRequest, StringEquals: ownedByCluster },
        },
        {
            Sid: "TagListenersAndRules",
            Effect: "Allow",
            Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
            Resource: [...listeners, ...rules],
        },
        {
            Sid: "ManageClusterLoadBalancers",
            Effect: "Allow",
            Action: [
                "elasticloadbalancing:ModifyLoadBalancerAttributes",
                "elasticloadbalancing:SetIpAddressType",
                "elasticloadbalancing:SetSecurityGroups",
                "elasticloadbalancing:SetSubnets",
                "elasticloadbalancing:DeleteLoadBalancer",
                "elasticloadbalancing:ModifyTargetGroup",
                "elasticloadbalancing:ModifyTargetGroupAttributes",
                "elasticloadbalancing:DeleteTargetGroup",
                "elasticloadbalancing:ModifyListenerAttributes",
                "elasticloadbalancing:ModifyCapacityReservation",
                "elasticloadbalancing:ModifyIpPools",
            ],
            Resource: [...loadBalancers, targetGroups, ...listeners],
            Condition: { StringEquals: ownedByCluster },
        },
        {
            Sid: "TagLoadBalancersOnCreate",
            Effect: "Allow",
            Action: ["elasticloadbalancing:AddTags"],
            Resource: [...loadBalancers, targetGroups],
            Condition: {
                StringEquals: {
                    "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"],
                    ...taggedForCluster,
                },
            },
        },
        {
            Sid: "RegisterTargets",
            Effect: "Allow",
            Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
            Resource: [targetGroups],
        },
    ];
}
