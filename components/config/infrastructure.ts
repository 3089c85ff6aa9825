/**
 * The stack schema's AWS sections: cost tags, cluster and node groups, queues, data stores,
 * protection (the network is in network.ts).
 */
import { z } from "zod";
import { INSTANCE_CAPACITY } from "../../vocabulary/instances";
import { SYSTEM_NODE_GROUP } from "../../vocabulary/placement";
import { TagKey } from "../../vocabulary/tags";
import {
    addonVersionsBuiltFor,
    defaultAddonVersion,
    EKS_ADDONS,
    EksAddon,
    isKubernetesVersion,
    SUPPORTED_KUBERNETES_VERSIONS,
} from "../../vocabulary/versions";
import { isAnyAddress } from "./cidr";
import { addonVersion, cidr, iamRoleArn, logRetention, tagValue } from "./fields";
import { int, name } from "../../vocabulary/schema-fields";

/** Cost-allocation tags. `Service`/`Component` are added per resource by the program. */
export const tagsSchema = z.strictObject({
    Project: tagValue.describe("Project the spend belongs to, e.g. traffic-tacos."),
    Environment: tagValue.describe("Environment the spend belongs to (dev, prod)."),
    CostCenter: tagValue.describe("Cost centre that pays for the stack."),
    Owner: tagValue.describe("Team that owns the stack."),
    ManagedBy: tagValue.default("pulumi").describe("Tool that manages the resources."),
} satisfies Record<TagKey, z.ZodType>);

const taintSchema = z.strictObject({
    key: z.string().min(1).describe("Taint key."),
    value: z.string().optional().describe("Taint value."),
    effect: z.enum(["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"]).describe("Taint effect."),
});

export const nodeGroupSchema = z
    .strictObject({
        instanceTypes: z
            .array(
                z
                    .string()
                    .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, "must be an EC2 instance type such as m7g.large"),
            )
            .min(1, "must list at least one instance type")
            .describe(
                "EC2 instance types, all of one CPU architecture (the instance table's); the group's AMI follows it.",
            ),
        capacityType: z.enum(["ON_DEMAND", "SPOT"]).describe("On-demand or spot capacity."),
        minSize: int(0, 1000).describe("Minimum node count."),
        maxSize: int(1, 1000).describe("Maximum node count."),
        desiredSize: int(0, 1000).describe(
            "Initial node count; later changes to it are ignored so that a node autoscaler can own it.",
        ),
        diskSizeGiB: int(20, 1000).default(50).describe("Root volume size in GiB (gp3, encrypted)."),
        taints: z.array(taintSchema).default([]).describe("Kubernetes taints."),
        labels: z.record(z.string(), z.string()).default({}).describe("Kubernetes node labels."),
    })
    .superRefine((group, ctx) => {
        if (group.maxSize < group.minSize) {
            ctx.addIssue({ code: "custom", path: ["maxSize"], message: "must be >= minSize" });
        }
        if (group.desiredSize < group.minSize || group.desiredSize > group.maxSize) {
            ctx.addIssue({
                code: "custom",
                path: ["desiredSize"],
                message: "must be between minSize and maxSize",
            });
        }
        const first = INSTANCE_CAPACITY[group.instanceTypes[0]]?.architecture;
        group.instanceTypes.forEach((type, i) => {
            if (!(type in INSTANCE_CAPACITY)) {
                ctx.addIssue({
                    code: "custom",
                    path: ["instanceTypes", i],
                    message: `${type} is not in the platform's instance table (vocabulary/instances.ts); add its vCPU and memory there first`,
                });
            } else if (first && INSTANCE_CAPACITY[type].architecture !== first) {
                ctx.addIssue({
                    code: "custom",
                    path: ["instanceTypes", i],
                    message: `${type} is ${INSTANCE_CAPACITY[type].architecture}, but ${group.instanceTypes[0]} is ${first}: a group runs one architecture`,
                });
            }
        });
    });

/** The cluster section as the stack file spells it, before the add-on versions are resolved. */
export const clusterInputSchema = z.strictObject({
    kubernetesVersion: z.enum(SUPPORTED_KUBERNETES_VERSIONS).describe("Pinned EKS Kubernetes version."),
    access: z
        .strictObject({
            adminRoleArn: iamRoleArn.describe(
                "Role of the people who administer the cluster (AmazonEKSClusterAdminPolicy).",
            ),
            deployRoleArn: iamRoleArn.describe(
                "Role CI assumes to run `pulumi up` (AmazonEKSClusterAdminPolicy).",
            ),
            previewRoleArn: iamRoleArn.describe(
                "Role CI assumes to run `pulumi preview` on pull requests (AmazonEKSViewPolicy: reads objects but no Secrets, writes nothing).",
            ),
        })
        .superRefine((access, ctx) => {
            const seen = new Map<string, string>();
            for (const [key, arn] of Object.entries(access)) {
                if (seen.has(arn)) {
                    ctx.addIssue({
                        code: "custom",
                        path: [key],
                        message: `must differ from ${seen.get(arn)}: EKS allows one access entry per principal`,
                    });
                }
                seen.set(arn, key);
            }
        })
        .describe(
            "The principals that reach the Kubernetes API, each with its own access entry (the cluster's creator gets none implicitly).",
        ),
    endpoint: z
        .strictObject({
            publicAccess: z
                .boolean()
                .default(false)
                .describe("Whether the API server endpoint is reachable from the internet."),
            publicAccessCidrs: z
                .array(cidr)
                .default([])
                .describe("CIDRs allowed to reach the public endpoint (required when publicAccess is true)."),
        })
        .superRefine((endpoint, ctx) => {
            if (endpoint.publicAccess && endpoint.publicAccessCidrs.length === 0) {
                ctx.addIssue({
                    code: "custom",
                    path: ["publicAccessCidrs"],
                    message: "must list the CIDRs allowed when publicAccess is true",
                });
            }
            if (!endpoint.publicAccess && endpoint.publicAccessCidrs.length > 0) {
                ctx.addIssue({
                    code: "custom",
                    path: ["publicAccessCidrs"],
                    message: "must be empty when publicAccess is false",
                });
            }
            endpoint.publicAccessCidrs.forEach((c, i) => {
                if (isAnyAddress(c)) {
                    ctx.addIssue({
                        code: "custom",
                        path: ["publicAccessCidrs", i],
                        message: "must not open the endpoint to the whole internet",
                    });
                }
            });
        })
        .prefault({})
        .describe("API server endpoint access (private access is always on)."),
    addons: z
        .strictObject({
            vpcCni: addonVersion
                .optional()
                .describe("vpc-cni add-on version (network policy enforcement on)."),
            coreDns: addonVersion.optional().describe("coredns add-on version."),
            kubeProxy: addonVersion.optional().describe("kube-proxy add-on version."),
            podIdentityAgent: addonVersion.optional().describe("eks-pod-identity-agent add-on version."),
            ebsCsiDriver: addonVersion
                .optional()
                .describe(
                    "aws-ebs-csi-driver add-on version (Prometheus' volumes), with its own Pod Identity role.",
                ),
        } satisfies Record<EksAddon, z.ZodType>)
        .prefault({})
        .describe(
            "EKS managed add-on versions: each defaults to the one vocabulary/versions.ts lists for kubernetesVersion; a version set here must be one that table lists for it.",
        ),
    logRetentionDays: logRetention.default(90).describe("Control-plane log retention in days."),
    nodeGroups: z
        .record(name, nodeGroupSchema)
        .refine((groups) => SYSTEM_NODE_GROUP in groups, {
            message: `must include a \`${SYSTEM_NODE_GROUP}\` node group`,
        })
        .describe("Managed node groups by name; `system` is required and is tainted for critical add-ons."),
});

/**
 * The cluster section with every managed add-on's version resolved for its Kubernetes version:
 * the table's unless the stack pins one, and a pinned one not built for that version refused.
 */
export const clusterSchema = clusterInputSchema
    .superRefine((cluster, ctx) => {
        if (!isKubernetesVersion(cluster.kubernetesVersion)) return;
        for (const addon of EKS_ADDONS) {
            const pinned = cluster.addons[addon];
            const builtFor = addonVersionsBuiltFor(cluster.kubernetesVersion, addon);
            if (
                pinned !== undefined &&
                addonVersion.safeParse(pinned).success &&
                !builtFor.includes(pinned)
            ) {
                ctx.addIssue({
                    code: "custom",
                    path: ["addons", addon],
                    message: `is ${pinned}, not a build for Kubernetes ${cluster.kubernetesVersion} (vocabulary/versions.ts lists ${builtFor.join(", ")}): remove it to install ${builtFor[0]}`,
                });
            }
        }
    })
    .transform((cluster) => ({
        ...cluster,
        addons: Object.fromEntries(
            EKS_ADDONS.map((addon) => [
                addon,
                cluster.addons[addon] ?? defaultAddonVersion(cluster.kubernetesVersion, addon),
            ]),
        ) as Record<EksAddon, string>,
    }));

const queueSchema = z.strictObject({
    visibilityTimeoutSeconds: int(0, 43200).default(30).describe("Visibility timeout in seconds."),
    retentionDays: int(1, 13)
        .default(4)
        .describe(
            "Message retention in days; the dead-letter queue keeps messages 14 days (the SQS maximum), always longer, since a message's age there counts from its first enqueue.",
        ),
    maxReceiveCount: int(1, 1000)
        .default(3)
        .describe("Receives before a message moves to the dead-letter queue."),
});

export const messagingSchema = z
    .strictObject({
        reservationEvents: queueSchema.prefault({}).describe("The reservation-events queue."),
        paymentWebhooks: queueSchema.prefault({}).describe("The payment-webhooks queue."),
    })
    .prefault({});

export const dataSchema = z.strictObject({
    redis: z
        .strictObject({
            nodeType: z
                .string()
                .regex(
                    /^cache\.[a-z0-9]+\.[a-z0-9]+$/,
                    "must be an ElastiCache node type such as cache.t4g.small",
                )
                .describe("ElastiCache node type."),
            engineVersion: z
                .string()
                .regex(/^\d+\.\d+$/, "must be a major.minor version such as 7.1")
                .default("7.1")
                .describe("Redis engine version."),
            numCacheClusters: int(1, 6).describe("Primary plus replicas."),
            multiAz: z.boolean().describe("Multi-AZ with automatic failover (needs numCacheClusters >= 2)."),
            snapshotRetentionDays: int(0, 35).default(0).describe("Days of automatic snapshots."),
        })
        .refine((redis) => !redis.multiAz || redis.numCacheClusters >= 2, {
            path: ["numCacheClusters"],
            message: "must be >= 2 when multiAz is true",
        })
        .describe("ElastiCache Redis replication group."),
});

export const protectionSchema = z
    .strictObject({
        protectStatefulResources: z
            .boolean()
            .default(false)
            .describe("Pulumi `protect` on queues, tables, Redis, KMS keys, secrets and the cluster."),
        deletionProtection: z
            .boolean()
            .default(false)
            .describe("Cloud-side deletion protection (DynamoDB tables, the EKS cluster)."),
        kmsDeletionWindowDays: int(7, 30).default(7).describe("KMS key deletion window in days."),
        secretRecoveryWindowDays: z
            .union([z.literal(0), int(7, 30)])
            .default(0)
            .describe("Secrets Manager recovery window (0 deletes at once)."),
    })
    .prefault({});
