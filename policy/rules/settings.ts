/**
 * Facts shared by the program and the policy pack, kept here so that both read one list. This
 * module imports nothing: the pack runs as its own package, and the program imports it too.
 */

/** The cost-allocation tag keys every taggable AWS resource carries. */
export const REQUIRED_TAG_KEYS = ["Project", "Environment", "CostCenter", "Owner", "ManagedBy"] as const;

/** Kubernetes versions in EKS standard support that the platform is built and tested for. */
export const SUPPORTED_KUBERNETES_VERSIONS = ["1.32", "1.33", "1.34"] as const;

/** The five EKS control-plane log types. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** Kubernetes label keys that mirror the cost tags on namespaces and pods. */
export const COST_LABEL_PREFIX = "cost.tacos.io/";
export const REQUIRED_COST_LABELS = ["project", "environment", "cost-center", "owner"] as const;

/** Namespaces that hold applications: each must have a ResourceQuota and a LimitRange. */
export const APPLICATION_NAMESPACES = ["tacos"] as const;

/**
 * IAM actions that authorize only on `Resource: "*"` (no resource-level permissions), which a
 * policy may therefore grant on `*`. The IAM tests confirm each against AWS's reference data.
 */
export const UNSCOPABLE_ACTIONS = [
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
    "ec2:DescribeRouteTables",
    "ec2:DescribeIpamPools",
    "elasticloadbalancing:DescribeLoadBalancers",
    "elasticloadbalancing:DescribeLoadBalancerAttributes",
    "elasticloadbalancing:DescribeListeners",
    "elasticloadbalancing:DescribeListenerCertificates",
    "elasticloadbalancing:DescribeListenerAttributes",
    "elasticloadbalancing:DescribeSSLPolicies",
    "elasticloadbalancing:DescribeRules",
    "elasticloadbalancing:DescribeTargetGroups",
    "elasticloadbalancing:DescribeTargetGroupAttributes",
    "elasticloadbalancing:DescribeTargetHealth",
    "elasticloadbalancing:DescribeTags",
    "elasticloadbalancing:DescribeTrustStores",
    "elasticloadbalancing:DescribeCapacityReservation",
    "acm:ListCertificates",
    "shield:GetSubscriptionState",
] as const;

/** vCPU and memory (GiB) of the EC2 instance types node groups may use. */
export const INSTANCE_CAPACITY: Record<string, { vcpu: number; memoryGiB: number }> = {
    "t4g.medium": { vcpu: 2, memoryGiB: 4 },
    "t4g.large": { vcpu: 2, memoryGiB: 8 },
    "m7g.large": { vcpu: 2, memoryGiB: 8 },
    "m7g.xlarge": { vcpu: 4, memoryGiB: 16 },
    "m7g.2xlarge": { vcpu: 8, memoryGiB: 32 },
    "m7g.4xlarge": { vcpu: 16, memoryGiB: 64 },
    "m6g.large": { vcpu: 2, memoryGiB: 8 },
    "m6g.xlarge": { vcpu: 4, memoryGiB: 16 },
    "m6g.2xlarge": { vcpu: 8, memoryGiB: 32 },
    "m6g.4xlarge": { vcpu: 16, memoryGiB: 64 },
    "c7g.xlarge": { vcpu: 4, memoryGiB: 8 },
    "c7g.2xlarge": { vcpu: 8, memoryGiB: 16 },
    "c7g.4xlarge": { vcpu: 16, memoryGiB: 32 },
    "c6g.2xlarge": { vcpu: 8, memoryGiB: 16 },
    "r7g.xlarge": { vcpu: 4, memoryGiB: 32 },
    "m7i.large": { vcpu: 2, memoryGiB: 8 },
    "m7i.xlarge": { vcpu: 4, memoryGiB: 16 },
    "m7i.2xlarge": { vcpu: 8, memoryGiB: 32 },
    "c7i.2xlarge": { vcpu: 8, memoryGiB: 16 },
};
