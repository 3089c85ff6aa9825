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
    return [
        ...readAndAttachStatements(t),
        ...securityGroupStatements(t),
        ...loadBalancerCreationStatements(t),
        ...loadBalancerChangeStatements(t),
    ];
}

/** The ARNs the statements name, in `t`'s account, region and VPC, and the tag conditions that name the cluster. */
function controllerScope(t: AwsScope) {
    const arn = (service: string, resource: pulumi.Input<string>) =>
        pulumi.interpolate`arn:aws:${service}:${t.region}:${t.accountId}:${resource}`;
    const elb = (resource: string) => arn("elasticloadbalancing", resource);
    return {
        arn,
        loadBalancers: [elb("loadbalancer/app/*/*"), elb("loadbalancer/net/*/*")],
        targetGroups: elb("targetgroup/*/*"),
        listeners: [elb("listener/app/*/*/*"), elb("listener/net/*/*/*")],
        rules: [elb("listener-rule/app/*/*/*/*"), elb("listener-rule/net/*/*/*/*")],
        securityGroups: arn("ec2", "security-group/*"),
        vpc: arn("ec2", pulumi.interpolate`vpc/${t.vpcId}`),
        webAcls: [arn("wafv2", "regional/webacl/*/*"), arn("waf-regional", "webacl/*")],
        ownedByCluster: { [`aws:ResourceTag/${LBC_CLUSTER_TAG}`]: t.clusterName },
        taggedForCluster: { [`aws:RequestTag/${LBC_CLUSTER_TAG}`]: t.clusterName },
        untaggedRequest: { Null: { [`aws:RequestTag/${LBC_CLUSTER_TAG}`]: "true" } },
    };
}

/**
 * What the controller reads and attaches: ELB's service-linked role, the Describe calls, COIP
 * pools and the VPC's security groups, certificates and identity providers, WAF and Shield.
 */
function readAndAttachStatements(t: AwsScope): Statement[] {
    const { arn, loadBalancers, vpc, webAcls } = controllerScope(t);
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
    ];
}

/** The security groups of the controller's load balancers (EC2): in this cluster's VPC, tagged for this cluster. */
function securityGroupStatements(t: AwsScope): Statement[] {
    const { arn, securityGroups, vpc, ownedByCluster, taggedForCluster, untaggedRequest } =
        controllerScope(t);
    return [
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
    ];
}

/**
 * Elastic Load Balancing, first in upstream's order: create load balancers and target groups tagged
 * for this cluster, manage listeners and rules, retag the cluster's load balancers, tag listeners and rules.
 */
function loadBalancerCreationStatements(t: AwsScope): Statement[] {
    const {
        loadBalancers,
        targetGroups,
        listeners,
        rules,
        ownedByCluster,
        taggedForCluster,
        untaggedRequest,
    } = controllerScope(t);
    return [
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
    ];
}

/**
 * Elastic Load Balancing, then: change and delete the cluster's load balancers, target groups and
 * listeners, tag load balancers and target groups on creation, register targets.
 */
function loadBalancerChangeStatements(t: AwsScope): Statement[] {
    const { loadBalancers, targetGroups, listeners, ownedByCluster, taggedForCluster } = controllerScope(t);
    return [
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
