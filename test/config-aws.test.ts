/**
 * Stack config rejections in the AWS sections (tags, network, cluster, Karpenter, queues, data
 * stores, protection): each bad value refused with a problem naming its field.
 */
import { itRejects } from "./config-problems";

describe("stack config: AWS sections", () => {
    itRejects([
        {
            name: "a wrong type",
            edit: (c) => (c["tacos:cluster"].nodeGroups.system.maxSize = "8"),
            expect: "cluster.nodeGroups.system.maxSize must be of type number",
        },
        {
            name: "a number out of range",
            edit: (c) => (c["tacos:cluster"].nodeGroups.system.diskSizeGiB = 5),
            expect: "cluster.nodeGroups.system.diskSizeGiB must be >= 20",
        },
        {
            name: "a fractional count",
            edit: (c) => (c["tacos:cluster"].nodeGroups.system.minSize = 1.5),
            expect: "cluster.nodeGroups.system.minSize must be a whole number",
        },
        {
            name: "an unknown nested key",
            edit: (c) => (c["tacos:network"].flowLogs.enable = true),
            expect: "network.flowLogs.enable is not a known setting",
        },
        {
            name: "a malformed CIDR",
            edit: (c) => (c["tacos:network"].cidr = "10.20.0.0/33"),
            expect: "network.cidr must be an IPv4 CIDR block such as 10.0.0.0/16",
        },
        {
            name: "a CIDR with host bits set",
            edit: (c) => (c["tacos:network"].zones[0].publicSubnetCidr = "10.20.0.5/22"),
            expect: "network.zones.0.publicSubnetCidr must be an IPv4 CIDR block such as 10.0.0.0/16",
        },
        {
            name: "an unsupported Kubernetes version",
            edit: (c) => (c["tacos:cluster"].kubernetesVersion = "1.27"),
            expect: "cluster.kubernetesVersion must be one of 1.33, 1.34, 1.35, 1.36",
        },
        {
            name: "min > max",
            edit: (c) => (c["tacos:cluster"].nodeGroups.system.minSize = 9),
            expect: "cluster.nodeGroups.system.maxSize must be >= minSize",
        },
        {
            name: "a desired size outside min..max",
            edit: (c) => (c["tacos:cluster"].nodeGroups.system.desiredSize = 20),
            expect: "cluster.nodeGroups.system.desiredSize must be between minSize and maxSize",
        },
        {
            name: "a missing required cost tag",
            edit: (c) => delete c["tacos:tags"].CostCenter,
            expect: "tags.CostCenter is required",
        },
        {
            name: "an empty cost tag",
            edit: (c) => (c["tacos:tags"].Owner = ""),
            expect: "tags.Owner must not be empty",
        },
        {
            name: "a malformed role ARN",
            edit: (c) => (c["tacos:cluster"].access.adminRoleArn = "arn:aws:iam::1234:role/admin"),
            expect: "cluster.access.adminRoleArn must be an IAM role ARN: arn:aws:iam::<12-digit account>:role/<name>",
        },
        {
            name: "one principal in two access entries",
            edit: (c) => (c["tacos:cluster"].access.previewRoleArn = c["tacos:cluster"].access.deployRoleArn),
            expect: "cluster.access.previewRoleArn must differ from deployRoleArn: EKS allows one access entry per principal",
        },
        {
            name: "overlapping subnets",
            edit: (c) => (c["tacos:network"].zones[1].privateSubnetCidr = "10.20.96.0/19"),
            expect: "network.zones.1.privateSubnetCidr overlaps zones.0.privateSubnetCidr (10.20.64.0/18)",
        },
        {
            name: "a subnet outside the VPC",
            edit: (c) => (c["tacos:network"].zones[0].publicSubnetCidr = "10.99.0.0/22"),
            expect: "network.zones.0.publicSubnetCidr must lie inside the VPC CIDR 10.20.0.0/16",
        },
        {
            name: "a repeated zone",
            edit: (c) => (c["tacos:network"].zones[1].name = "ap-northeast-2a"),
            expect: "network.zones.1.name repeats availability zone ap-northeast-2a",
        },
        {
            name: "a zone of another region",
            edit: (c) => (c["tacos:network"].zones[1].name = "us-west-2b"),
            expect: "network.zones.1.name must be an availability zone of ap-northeast-2",
        },
        {
            name: "too few zones",
            edit: (c) => c["tacos:network"].zones.pop(),
            expect: "network.zones must list at least 2 availability zones",
        },
        {
            name: "too many zones",
            edit: (c) =>
                c["tacos:network"].zones.push(
                    {
                        name: "ap-northeast-2b",
                        publicSubnetCidr: "10.20.8.0/22",
                        privateSubnetCidr: "10.20.192.0/18",
                    },
                    {
                        name: "ap-northeast-2d",
                        publicSubnetCidr: "10.20.12.0/22",
                        privateSubnetCidr: "10.20.16.0/20",
                    },
                ),
            expect: "network.zones must list at most 3 availability zones",
        },
        {
            name: "a retention its dead-letter queue could not outlive",
            edit: (c) => (c["tacos:messaging"] = { reservationEvents: { retentionDays: 14 } }),
            expect: "messaging.reservationEvents.retentionDays must be <= 13",
        },
        {
            name: "a public endpoint without CIDRs",
            edit: (c) => (c["tacos:cluster"].endpoint.publicAccessCidrs = []),
            expect: "cluster.endpoint.publicAccessCidrs must list the CIDRs allowed when publicAccess is true",
        },
        {
            name: "a public endpoint open to the internet",
            edit: (c) => (c["tacos:cluster"].endpoint.publicAccessCidrs = ["0.0.0.0/0"]),
            expect: "cluster.endpoint.publicAccessCidrs.0 must not open the endpoint to the whole internet",
        },
        {
            name: "CIDRs for a private endpoint",
            edit: (c) => (c["tacos:cluster"].endpoint.publicAccess = false),
            expect: "cluster.endpoint.publicAccessCidrs must be empty when publicAccess is false",
        },
        {
            name: "Multi-AZ Redis with one node",
            edit: (c) => (c["tacos:data"].redis.multiAz = true),
            expect: "data.redis.numCacheClusters must be >= 2 when multiAz is true",
        },
        {
            name: "no system node group",
            edit: (c) => delete c["tacos:cluster"].nodeGroups.system,
            expect: "cluster.nodeGroups must include a `system` node group",
        },
        {
            name: "two architectures in one node group",
            edit: (c) => (c["tacos:cluster"].nodeGroups.system.instanceTypes = ["m7g.xlarge", "m7i.xlarge"]),
            expect: "cluster.nodeGroups.system.instanceTypes.1 m7i.xlarge is x86_64, but m7g.xlarge is arm64: a group runs one architecture",
        },
        {
            name: "a log retention CloudWatch does not offer",
            edit: (c) => (c["tacos:cluster"].logRetentionDays = 45),
            expect: "cluster.logRetentionDays must be one of the CloudWatch Logs retention periods",
        },
        {
            name: "an unknown interface endpoint",
            edit: (c) => (c["tacos:network"].interfaceEndpoints = ["dynamo"]),
            expect: "network.interfaceEndpoints.0 must be one of",
        },
        {
            name: "an unpinned add-on version",
            edit: (c) => (c["tacos:cluster"].addons = { podIdentityAgent: "latest" }),
            expect: "cluster.addons.podIdentityAgent must be a pinned EKS add-on version such as v1.3.9-eksbuild.3",
        },
        { name: "a missing section", edit: (c) => delete c["tacos:data"], expect: "data is required" },
        {
            name: "no NodePool",
            edit: (c) => (c["tacos:karpenter"].nodePools = {}),
            expect: "karpenter.nodePools must define at least one NodePool",
        },
        {
            name: "an x86 type in a NodePool",
            edit: (c) => (c["tacos:karpenter"].nodePools.apps.instanceTypes[0] = "m7i.xlarge"),
            expect: "karpenter.nodePools.apps.instanceTypes.0 m7i.xlarge is x86_64: the application nodes run the arm64 (Graviton) AMI",
        },
        {
            name: "a NodePool type missing from the instance table",
            edit: (c) => (c["tacos:karpenter"].nodePools.apps.instanceTypes[0] = "m8g.xlarge"),
            expect: "karpenter.nodePools.apps.instanceTypes.0 m8g.xlarge is not in the platform's instance table",
        },
        {
            name: "a spot NodePool with too few types",
            edit: (c) => (c["tacos:karpenter"].nodePools.apps.instanceTypes = ["m7g.xlarge", "m6g.xlarge"]),
            expect: "karpenter.nodePools.apps.instanceTypes must list at least 3 instance types when the pool runs spot",
        },
        {
            name: "a NodePool limit below its largest type",
            edit: (c) => (c["tacos:karpenter"].nodePools.apps.limits.cpu = 4),
            expect: "karpenter.nodePools.apps.limits.cpu must be at least 8, the vCPU of the pool's largest instance type",
        },
        {
            name: "a NodePool weight out of range",
            edit: (c) => (c["tacos:karpenter"].nodePools.apps.weight = 101),
            expect: "karpenter.nodePools.apps.weight must be <= 100",
        },
        {
            name: "a node lifetime Karpenter cannot parse",
            edit: (c) => (c["tacos:karpenter"].expireAfter = "30d"),
            expect: "karpenter.expireAfter must be a duration such as 30s, 10m, 720h (or Never)",
        },
        {
            name: "a peak window that is not cron",
            edit: (c) => (c["tacos:karpenter"].peakWindow = { schedule: "daily at 9", duration: "4h" }),
            expect: "karpenter.peakWindow.schedule must be a five-field cron schedule",
        },
        {
            name: "a peak window in seconds",
            edit: (c) => (c["tacos:karpenter"].peakWindow = { schedule: "0 9 * * *", duration: "90s" }),
            expect: "karpenter.peakWindow.duration must be hours and minutes such as 4h, 30m or 2h30m",
        },
        {
            name: "a budget that is no node count",
            edit: (c) => (c["tacos:karpenter"].disruptionBudget = "ten"),
            expect: "karpenter.disruptionBudget must be a node count such as 3 or a percentage such as 10%",
        },
    ]);
});
