/**
 * IAM actions that authorize only on `Resource: "*"` (no resource-level permissions), which a
 * policy may therefore grant on `*`, listed per grantee. The IAM tests confirm each against
 * AWS's reference data.
 */

/** What the AWS Load Balancer Controller calls on `*` (upstream iam_policy.json v3.5.0, wildcard-only actions). */
export const LOAD_BALANCER_CONTROLLER_WILDCARD_ACTIONS = [
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
    "ec2:DescribeCoipPools",
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
    "elasticloadbalancing:SetWebAcl",
    "acm:ListCertificates",
    "iam:ListServerCertificates",
    "shield:GetSubscriptionState",
    "shield:CreateProtection",
] as const;

/** What a CodeBuild project in a VPC calls on `*` to place its network interfaces (AWS CodeBuild user guide, VPC service role). */
export const CODEBUILD_VPC_WILDCARD_ACTIONS = [
    "ec2:DescribeDhcpOptions",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSubnets",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeVpcs",
] as const;

/** Karpenter's regional Describe calls (scoped by aws:RequestedRegion), pricing and instance-profile listing (upstream CloudFormation v1.14.1). */
export const KARPENTER_DESCRIBE_ACTIONS = [
    "ec2:DescribeCapacityReservations",
    "ec2:DescribeImages",
    "ec2:DescribeInstances",
    "ec2:DescribeInstanceStatus",
    "ec2:DescribeInstanceTypeOfferings",
    "ec2:DescribeInstanceTypes",
    "ec2:DescribeLaunchTemplates",
    "ec2:DescribePlacementGroups",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeSpotPriceHistory",
    "ec2:DescribeSubnets",
] as const;
export const KARPENTER_WILDCARD_ACTIONS = [
    ...KARPENTER_DESCRIBE_ACTIONS,
    "pricing:GetProducts",
    "iam:ListInstanceProfiles",
] as const;

/** What the EBS CSI driver calls on `*` (the driver's example IAM policy at v1.64.0; the Describe calls take no resource). */
export const EBS_CSI_WILDCARD_ACTIONS = [
    "ec2:DescribeAvailabilityZones",
    "ec2:DescribeInstances",
    "ec2:DescribeInstanceTypes",
    "ec2:DescribeSnapshots",
    "ec2:DescribeTags",
    "ec2:DescribeVolumes",
    "ec2:DescribeVolumesModifications",
    "ec2:DescribeVolumeStatus",
] as const;

/** What the OpenTelemetry Collector's X-Ray exporter calls (PutTelemetryRecords only when its own telemetry is on, which it is not); X-Ray scopes neither to a resource. */
export const XRAY_WRITE_ACTIONS = ["xray:PutTraceSegments"] as const;

/**
 * What Argo Rollouts' CloudWatch provider calls (v1.9.0, metricproviders/cloudwatch). AWS/SQS and
 * the other classic metrics have no resource ARN: the Service Authorization Reference's only
 * resource type of GetMetricData, `dataset`, is optional and applies to OTLP metrics read with PromQL.
 */
export const CLOUDWATCH_READ_ACTIONS = ["cloudwatch:GetMetricData"] as const;

/**
 * What OpenCost's AWS provider calls for a spot node's price when no spot data feed holds it
 * (opencost/opencost pkg/cloud/aws/spotpricehistory.go). The Service Authorization Reference
 * (Amazon EC2, "Actions defined by Amazon EC2") lists ec2:DescribeSpotPriceHistory with no
 * resource type, so it authorizes only on `*`.
 */
export const OPENCOST_SPOT_PRICE_ACTIONS = ["ec2:DescribeSpotPriceHistory"] as const;

/** Every action the program may grant on `*`. */
export const UNSCOPABLE_ACTIONS: readonly string[] = [
    ...new Set([
        ...LOAD_BALANCER_CONTROLLER_WILDCARD_ACTIONS,
        ...CODEBUILD_VPC_WILDCARD_ACTIONS,
        ...KARPENTER_WILDCARD_ACTIONS,
        ...EBS_CSI_WILDCARD_ACTIONS,
        ...XRAY_WRITE_ACTIONS,
        ...CLOUDWATCH_READ_ACTIONS,
        ...OPENCOST_SPOT_PRICE_ACTIONS,
    ]),
];
