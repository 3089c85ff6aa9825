/**
 * The load balancer controller's IAM policy as upstream publishes it, read by the test that
 * compares ours with it (load-balancer-controller-policy.test.ts).
 */

/** An IAM condition block: operator, then key, then value(s). */
type Conditions = Record<string, Record<string, string | string[]>>;

/** One Allow statement of upstream's policy. */
export interface UpstreamStatement {
    actions: string[];
    resources: string[];
    conditions?: Conditions;
}

/** The tag the controller puts on everything it creates, valued with its cluster's name. */
export const TAG = "elbv2.k8s.aws/cluster";
const ELB = "arn:aws:elasticloadbalancing:*:*:";

/** kubernetes-sigs/aws-load-balancer-controller v3.5.0, docs/install/iam_policy.json, transcribed statement by statement. */
export const UPSTREAM_V3_5_0: UpstreamStatement[] = [
    {
        actions: ["iam:CreateServiceLinkedRole"],
        resources: ["*"],
        conditions: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } },
    },
    {
        actions: [
            "ec2:DescribeAccountAttributes",
            "ec2:DescribeAddresses",
            "ec2:DescribeAvailabilityZones",
            "ec2:DescribeInternetGateways",
            "ec2:DescribeVpcs",
            "ec2:DescribeVpcPeeringConnections",
            "ec2:DescribeSubnets",
            "ec2:DescribeSecurityGroups",
            "ec2:DescribeInstances",
            "ec2:DescribeNetworkInterfaces",
            "ec2:DescribeTags",
            "ec2:GetCoipPoolUsage",
            "ec2:DescribeCoipPools",
            "ec2:GetSecurityGroupsForVpc",
            "ec2:DescribeIpamPools",
            "ec2:DescribeRouteTables",
            "elasticloadbalancing:DescribeLoadBalancers",
            "elasticloadbalancing:DescribeLoadBalancerAttributes",
            "elasticloadbalancing:DescribeListeners",
            "elasticloadbalancing:DescribeListenerCertificates",
            "elasticloadbalancing:DescribeSSLPolicies",
            "elasticloadbalancing:DescribeRules",
            "elasticloadbalancing:DescribeTargetGroups",
            "elasticloadbalancing:DescribeTargetGroupAttributes",
            "elasticloadbalancing:DescribeTargetHealth",
            "elasticloadbalancing:DescribeTags",
            "elasticloadbalancing:DescribeTrustStores",
            "elasticloadbalancing:DescribeListenerAttributes",
            "elasticloadbalancing:DescribeCapacityReservation",
        ],
        resources: ["*"],
    },
    {
        actions: [
            "cognito-idp:DescribeUserPoolClient",
            "acm:ListCertificates",
            "acm:DescribeCertificate",
            "iam:ListServerCertificates",
            "iam:GetServerCertificate",
            "waf-regional:GetWebACL",
            "waf-regional:GetWebACLForResource",
            "waf-regional:AssociateWebACL",
            "waf-regional:DisassociateWebACL",
            "wafv2:GetWebACL",
            "wafv2:GetWebACLForResource",
            "wafv2:AssociateWebACL",
            "wafv2:DisassociateWebACL",
            "shield:GetSubscriptionState",
            "shield:DescribeProtection",
            "shield:CreateProtection",
            "shield:DeleteProtection",
        ],
        resources: ["*"],
    },
    { actions: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"], resources: ["*"] },
    { actions: ["ec2:CreateSecurityGroup"], resources: ["*"] },
    {
        actions: ["ec2:CreateTags"],
        resources: ["arn:aws:ec2:*:*:security-group/*"],
        conditions: {
            StringEquals: { "ec2:CreateAction": "CreateSecurityGroup" },
            Null: { [`aws:RequestTag/${TAG}`]: "false" },
        },
    },
    {
        actions: ["ec2:CreateTags", "ec2:DeleteTags"],
        resources: ["arn:aws:ec2:*:*:security-group/*"],
        conditions: { Null: { [`aws:RequestTag/${TAG}`]: "true", [`aws:ResourceTag/${TAG}`]: "false" } },
    },
    {
        actions: [
            "ec2:AuthorizeSecurityGroupIngress",
            "ec2:RevokeSecurityGroupIngress",
            "ec2:DeleteSecurityGroup",
        ],
        resources: ["*"],
        conditions: { Null: { [`aws:ResourceTag/${TAG}`]: "false" } },
    },
    {
        actions: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
        resources: ["*"],
        conditions: { Null: { [`aws:RequestTag/${TAG}`]: "false" } },
    },
    {
        actions: [
            "elasticloadbalancing:CreateListener",
            "elasticloadbalancing:DeleteListener",
            "elasticloadbalancing:CreateRule",
            "elasticloadbalancing:DeleteRule",
        ],
        resources: ["*"],
    },
    {
        actions: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
        resources: [`${ELB}targetgroup/*/*`, `${ELB}loadbalancer/net/*/*`, `${ELB}loadbalancer/app/*/*`],
        conditions: { Null: { [`aws:RequestTag/${TAG}`]: "true", [`aws:ResourceTag/${TAG}`]: "false" } },
    },
    {
        actions: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
        resources: [
            `${ELB}listener/net/*/*/*`,
            `${ELB}listener/app/*/*/*`,
            `${ELB}listener-rule/net/*/*/*`,
            `${ELB}listener-rule/app/*/*/*`,
        ],
    },
    {
        actions: [
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
        resources: ["*"],
        conditions: { Null: { [`aws:ResourceTag/${TAG}`]: "false" } },
    },
    {
        actions: ["elasticloadbalancing:AddTags"],
        resources: [`${ELB}targetgroup/*/*`, `${ELB}loadbalancer/net/*/*`, `${ELB}loadbalancer/app/*/*`],
        conditions: {
            StringEquals: {
                "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"],
            },
            Null: { [`aws:RequestTag/${TAG}`]: "false" },
        },
    },
    {
        actions: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
        resources: [`${ELB}targetgroup/*/*`],
    },
    {
        actions: [
            "elasticloadbalancing:SetWebAcl",
            "elasticloadbalancing:ModifyListener",
            "elasticloadbalancing:AddListenerCertificates",
            "elasticloadbalancing:RemoveListenerCertificates",
            "elasticloadbalancing:ModifyRule",
            "elasticloadbalancing:SetRulePriorities",
        ],
        resources: ["*"],
    },
];

/** Whether an IAM resource pattern (`*` wildcards) covers an ARN. */
export const covers = (pattern: string, arn: string) =>
    pattern === "*" ||
    new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(arn);
