/**
 * The stack configuration schema: every key a stack file may set, its type, its range and its
 * default. Defaults live here and nowhere else. Cross-field rules (min <= max, subnets inside
 * the VPC, ...) are checked in `refine.ts`, so that one parse reports every bad field at once.
 */
import { z } from "zod";
import { INSTANCE_CAPACITY, perService, REQUIRED_TAG_KEYS, ServiceName, SUPPORTED_KUBERNETES_VERSIONS, SYSTEM_NODE_GROUP } from "../../policy/shared";
import { cidrContains, cidrsOverlap, isAnyAddress, isValidCidr } from "./cidr";

export { REQUIRED_TAG_KEYS, SUPPORTED_KUBERNETES_VERSIONS };


/** Regions this program (and its pricing table) supports. */
export const SUPPORTED_REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "ap-northeast-2"] as const;

/** Interface endpoints a stack may enable, by their service suffix (`com.amazonaws.<region>.<suffix>`). */
export const INTERFACE_ENDPOINT_SERVICES = [
    "ecr.api",
    "ecr.dkr",
    "sts",
    "sqs",
    "eks-auth",
    "logs",
    "secretsmanager",
    "events",
    "elasticloadbalancing",
    "ec2",
] as const;

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;


const name = z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/, "must be lower-case letters, digits and hyphens (2-32 characters)");
const cidr = z.string().refine(isValidCidr, { message: "must be an IPv4 CIDR block such as 10.0.0.0/16" });
const tagValue = z
    .string()
    .min(1, "must not be empty")
    .max(256, "must be at most 256 characters")
    .regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u, "may contain only letters, digits, spaces and _ . : / = + - @");
const iamRoleArn = z
    .string()
    .regex(/^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, "must be an IAM role ARN: arn:aws:iam::<12-digit account>:role/<name>");
const hostname = z
    .string()
    .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "must be a fully qualified lower-case DNS name");
const acmCertificateArn = z
    .string()
    .regex(/^arn:aws(-[a-z]+)*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/, "must be an ACM certificate ARN");
const addonVersion = z.string().regex(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/, "must be a pinned EKS add-on version such as v1.3.9-eksbuild.3");
const logRetention = z
    .number()
    .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), { message: `must be one of the CloudWatch Logs retention periods: ${LOG_RETENTION_DAYS.join(", ")}` });
const int = (min: number, max: number) => z.number().int("must be a whole number").min(min).max(max);

/** Cost-allocation tags (FR-016). `Service`/`Component` are added per resource by the program. */
export const tagsSchema = z.strictObject({
    /** Project name, e.g. `traffic-tacos`. */
    Project: tagValue.describe("Project the spend belongs to."),
    /** Environment name; should match the stack (`dev`, `prod`). */
    Environment: tagValue.describe("Environment the spend belongs to (dev, prod)."),
    /** Finance cost centre. */
    CostCenter: tagValue.describe("Cost centre that pays for the stack."),
    /** Owning team or address. */
    Owner: tagValue.describe("Team that owns the stack."),
    ManagedBy: tagValue.default("pulumi").describe("Tool that manages the resources."),
});

const zoneSchema = z.strictObject({
    name: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, "must be an availability zone name such as us-west-2a").describe("Availability zone name."),
    publicSubnetCidr: cidr.describe("CIDR of the zone's public subnet (load balancers, NAT)."),
    privateSubnetCidr: cidr.describe("CIDR of the zone's private subnet (nodes, pods, data stores)."),
});

export const networkSchema = z.strictObject({
    cidr: cidr.describe("VPC CIDR block."),
    zones: z.array(zoneSchema).min(2, "must list at least 2 availability zones").max(3, "must list at most 3 availability zones").describe("Availability zones with their subnets."),
    natGateways: z.enum(["single", "perZone"]).default("single").describe("One NAT gateway for the VPC, or one per zone."),
    interfaceEndpoints: z
        .array(z.enum(INTERFACE_ENDPOINT_SERVICES))
        .default(["ecr.api", "ecr.dkr", "sts", "sqs", "eks-auth"])
        .describe("Interface VPC endpoints to create (an S3 gateway endpoint is always created)."),
    flowLogs: z
        .strictObject({
            enabled: z.boolean().default(false).describe("Whether VPC flow logs go to CloudWatch Logs."),
            retentionDays: logRetention.default(30).describe("Flow log retention in days."),
        })
        .prefault({})
        .describe("VPC flow logs."),
}).superRefine((net, ctx) => {
    const subnets = net.zones.flatMap((zone, i) => [
        { path: ["zones", i, "publicSubnetCidr"], cidr: zone.publicSubnetCidr },
        { path: ["zones", i, "privateSubnetCidr"], cidr: zone.privateSubnetCidr },
    ]).filter((s) => isValidCidr(s.cidr));
    if (isValidCidr(net.cidr)) {
        for (const s of subnets.filter((s) => !cidrContains(net.cidr, s.cidr))) {
            ctx.addIssue({ code: "custom", path: s.path, message: `must lie inside the VPC CIDR ${net.cidr}` });
        }
    }
    subnets.forEach((a, i) => {
        for (const b of subnets.slice(i + 1)) {
            if (cidrsOverlap(a.cidr, b.cidr)) {
                ctx.addIssue({ code: "custom", path: b.path, message: `overlaps ${a.path.join(".")} (${a.cidr})` });
            }
        }
    });
    net.zones.forEach((zone, i) => {
        if (net.zones.findIndex((z2) => z2.name === zone.name) !== i) {
            ctx.addIssue({ code: "custom", path: ["zones", i, "name"], message: `repeats availability zone ${zone.name}` });
        }
    });
});

const taintSchema = z.strictObject({
    key: z.string().min(1).describe("Taint key."),
    value: z.string().optional().describe("Taint value."),
    effect: z.enum(["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"]).describe("Taint effect."),
});

export const nodeGroupSchema = z.strictObject({
    /** Instance types; all must share the group's architecture. */
    instanceTypes: z
        .array(z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, "must be an EC2 instance type such as m7g.large"))
        .min(1, "must list at least one instance type")
        .describe("EC2 instance types, one architecture per group."),
    capacityType: z.enum(["ON_DEMAND", "SPOT"]).describe("On-demand or spot capacity."),
    architecture: z.enum(["arm64", "x86_64"]).default("arm64").describe("CPU architecture (arm64 is Graviton)."),
    minSize: int(0, 1000).describe("Minimum node count."),
    maxSize: int(1, 1000).describe("Maximum node count."),
    desiredSize: int(0, 1000).describe("Initial node count; later changes to it are ignored so that a node autoscaler can own it."),
    diskSizeGiB: int(20, 1000).default(50).describe("Root volume size in GiB (gp3, encrypted)."),
    taints: z.array(taintSchema).default([]).describe("Kubernetes taints."),
    labels: z.record(z.string(), z.string()).default({}).describe("Kubernetes node labels."),
}).superRefine((group, ctx) => {
    if (group.maxSize < group.minSize) {
        ctx.addIssue({ code: "custom", path: ["maxSize"], message: "must be >= minSize" });
    }
    if (group.desiredSize < group.minSize || group.desiredSize > group.maxSize) {
        ctx.addIssue({ code: "custom", path: ["desiredSize"], message: "must be between minSize and maxSize" });
    }
    group.instanceTypes.forEach((type, i) => {
        if (!(type in INSTANCE_CAPACITY)) {
            ctx.addIssue({ code: "custom", path: ["instanceTypes", i], message: `${type} is not in the platform's instance table (policy/shared/instances.ts); add its vCPU and memory there first` });
        } else if (INSTANCE_CAPACITY[type].architecture !== group.architecture) {
            ctx.addIssue({ code: "custom", path: ["instanceTypes", i], message: `${type} is not an ${group.architecture} instance type` });
        }
    });
});

export const clusterSchema = z.strictObject({
    kubernetesVersion: z.enum(SUPPORTED_KUBERNETES_VERSIONS).describe("Pinned EKS Kubernetes version."),
    adminRoleArn: iamRoleArn.describe("IAM role granted cluster admin through an EKS access entry."),
    endpoint: z
        .strictObject({
            publicAccess: z.boolean().default(false).describe("Whether the API server endpoint is reachable from the internet."),
            publicAccessCidrs: z.array(cidr).default([]).describe("CIDRs allowed to reach the public endpoint (required when publicAccess is true)."),
        })
        .superRefine((endpoint, ctx) => {
            if (endpoint.publicAccess && endpoint.publicAccessCidrs.length === 0) {
                ctx.addIssue({ code: "custom", path: ["publicAccessCidrs"], message: "must list the CIDRs allowed when publicAccess is true" });
            }
            if (!endpoint.publicAccess && endpoint.publicAccessCidrs.length > 0) {
                ctx.addIssue({ code: "custom", path: ["publicAccessCidrs"], message: "must be empty when publicAccess is false" });
            }
            endpoint.publicAccessCidrs.forEach((c, i) => {
                if (isAnyAddress(c)) {
                    ctx.addIssue({ code: "custom", path: ["publicAccessCidrs", i], message: "must not open the endpoint to the whole internet" });
                }
            });
        })
        .prefault({})
        .describe("API server endpoint access (private access is always on)."),
    addons: z
        .strictObject({
            vpcCni: addonVersion.describe("vpc-cni add-on version (network policy enforcement on)."),
            coreDns: addonVersion.describe("coredns add-on version."),
            kubeProxy: addonVersion.describe("kube-proxy add-on version."),
            podIdentityAgent: addonVersion.describe("eks-pod-identity-agent add-on version."),
        })
        .describe("Pinned EKS managed add-on versions (check with aws eks describe-addon-versions)."),
    logRetentionDays: logRetention.default(90).describe("Control-plane log retention in days."),
    nodeGroups: z
        .record(name, nodeGroupSchema)
        .refine((groups) => SYSTEM_NODE_GROUP in groups, { message: `must include a \`${SYSTEM_NODE_GROUP}\` node group` })
        .describe("Managed node groups by name; `system` is required and is tainted for critical add-ons."),
});

const queueSchema = z.strictObject({
    visibilityTimeoutSeconds: int(0, 43200).default(30).describe("Visibility timeout in seconds."),
    retentionDays: int(1, 14).default(14).describe("Message retention in days (queue and dead-letter queue)."),
    maxReceiveCount: int(1, 1000).default(3).describe("Receives before a message moves to the dead-letter queue."),
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
            nodeType: z.string().regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, "must be an ElastiCache node type such as cache.t4g.small").describe("ElastiCache node type."),
            engineVersion: z.string().regex(/^\d+\.\d+$/, "must be a major.minor version such as 7.1").default("7.1").describe("Redis engine version."),
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
        protectStatefulResources: z.boolean().default(false).describe("Pulumi `protect` on queues, tables, Redis, KMS keys, secrets and the cluster."),
        deletionProtection: z.boolean().default(false).describe("Cloud-side deletion protection (DynamoDB tables, the EKS cluster)."),
        kmsDeletionWindowDays: int(7, 30).default(7).describe("KMS key deletion window in days."),
        secretRecoveryWindowDays: z.union([z.literal(0), int(7, 30)]).default(0).describe("Secrets Manager recovery window (0 deletes at once)."),
    })
    .prefault({});

/** The seed's SecurityPolicy "CRD", as a typed config section. */
export const securityPolicySchema = z
    .strictObject({
        podSecurityLevel: z.enum(["baseline", "restricted"]).default("restricted").describe("Pod Security Admission level enforced on application namespaces."),
        defaultDenyNetworkPolicies: z.boolean().default(true).describe("Whether every namespace gets a default-deny NetworkPolicy."),
        allowedNamespaces: z
            .array(name)
            .default(["argocd", "gateway", "tacos", "keda", "monitoring", "kube-system"])
            .describe("Namespaces the program may create objects in."),
    })
    .prefault({});

/** The seed's CostOptimization "CRD", as a typed config section. */
export const costOptimizationSchema = z
    .strictObject({
        requireGraviton: z.boolean().default(true).describe("Node groups must be arm64 (Graviton)."),
        spotForApps: z.boolean().default(true).describe("At least one application node group runs on spot."),
        quotaHeadroomPercent: int(0, 200).default(20).describe("Headroom added to the tacos ResourceQuota over max-scale requests."),
    })
    .prefault({});

/** Scaling of one service and the capacity assumption a load test should correct. */
function serviceScaling(defaults: { min: number; max: number; rps: number; share: number }) {
    return z
        .strictObject({
            minReplicas: int(0, 1000).default(defaults.min).describe("Fewest replicas (0 only for queue-driven services)."),
            maxReplicas: int(1, 1000).default(defaults.max).describe("Most replicas the autoscaler may run."),
            rpsPerPod: int(1, 100_000).default(defaults.rps).describe("Requests (for the worker: messages) per second one pod carries within the latency objective."),
            shareOfTarget: z.number().min(0).max(1).default(defaults.share).describe("Fraction of the target RPS that reaches this service."),
        })
        .refine((s) => s.maxReplicas >= s.minReplicas, { path: ["maxReplicas"], message: "must be >= minReplicas" })
        .prefault({});
}

/** Each service's default scaling and capacity assumption (replica ranges from the old deployment). */
const SCALING_DEFAULTS: Record<ServiceName, { min: number; max: number; rps: number; share: number; about: string }> = {
    "gateway-api": { min: 5, max: 100, rps: 400, share: 1, about: "gateway-api scaling (old deployment: 5-100)." },
    "reservation-api": { min: 5, max: 50, rps: 500, share: 0.5, about: "reservation-api scaling (old deployment: 5-50)." },
    "inventory-api": { min: 5, max: 40, rps: 500, share: 0.5, about: "inventory-api scaling (old deployment: 5-30)." },
    "payment-sim-api": { min: 2, max: 30, rps: 500, share: 0.2, about: "payment-sim-api scaling (old deployment: 2-30)." },
    "reservation-worker": { min: 0, max: 20, rps: 200, share: 0.1, about: "reservation-worker scaling on queue depth (0-20); rpsPerPod is messages per second per pod." },
};

/** The seed's PerformanceProfile "CRD", as a typed config section. */
export const performanceProfileSchema = z
    .strictObject({
        targetRps: int(1, 10_000_000).default(30000).describe("Aggregate requests per second the platform must carry."),
        p95LatencyMs: int(1, 60_000).default(200).describe("P95 latency objective in milliseconds."),
        headroomPercent: int(0, 500).default(30).describe("Capacity headroom over the target RPS."),
        rateLimit: z
            .strictObject({
                rpsPerClient: int(1, 100_000).default(50).describe("Requests per second gateway-api allows one client (RATE_LIMIT_RPS)."),
                burst: int(1, 100_000).default(100).describe("Burst above the rate gateway-api allows one client (RATE_LIMIT_BURST)."),
            })
            .prefault({})
            .describe("gateway-api's per-client rate limit."),
        services: z
            .strictObject(perService((service) => serviceScaling(SCALING_DEFAULTS[service]).describe(SCALING_DEFAULTS[service].about)))
            .prefault({})
            .describe("Per-service replicas and capacity assumptions."),
    })
    .prefault({});

export const gatewaySchema = z
    .strictObject({
        exposed: z.boolean().default(true).describe("Whether an internet-facing HTTPS Gateway (an ALB) is created."),
        certificateArn: acmCertificateArn.optional().describe("ACM certificate for the HTTPS listener (required when exposed)."),
        sslPolicy: z.string().regex(/^ELBSecurityPolicy-[A-Za-z0-9-]+$/, "must be an ELB security policy name").default("ELBSecurityPolicy-TLS13-1-2-2021-06").describe("TLS policy of the HTTPS listener."),
        apiHostname: hostname.describe("Public host name of the Traffic Tacos API (gateway-api)."),
    })
    .refine((gw) => !gw.exposed || gw.certificateArn !== undefined, {
        path: ["certificateArn"],
        message: "is required when the Gateway is exposed",
    });

export const argocdSchema = z.strictObject({
    chartRevision: z
        .string()
        .regex(/^([0-9a-f]{40}|v\d+\.\d+\.\d+)$/, "must be a pinned Git revision: a full commit SHA or a vX.Y.Z tag")
        .describe("Revision of this repository whose charts/tacos-service the Applications deploy."),
    hostname: hostname.describe("Host name of the Argo CD UI and API, served through the Gateway."),
    repoUrl: z.string().regex(/^https:\/\/[\w.-]+\/[\w./-]+\.git$/, "must be an HTTPS Git URL ending in .git").describe("The Git repository of this project: the only source the tacos AppProject allows."),
    oidc: z
        .strictObject({
            issuer: z.string().regex(/^https:\/\/\S+$/, "must be an https URL").describe("OIDC issuer URL."),
            clientId: z.string().min(1).describe("OIDC client id (its secret is the secret config key argocdOidcClientSecret)."),
        })
        .optional()
        .describe("Single sign-on; when set, the local admin account is disabled."),
});

export const addonsSchema = z
    .strictObject({
        highAvailability: z
            .boolean()
            .default(false)
            .describe("Two or more replicas of every cluster add-on (Argo CD with Redis HA, KEDA), with disruption budgets."),
    })
    .prefault({});

const imageTag = z.string().regex(/^[0-9a-f]{7,40}$/, "must be the immutable git short SHA the service's CI pushed (never latest)");

export const imagesSchema = z.strictObject({
    registry: z
        .string()
        .regex(/^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com$/, "must be an ECR registry host: <account>.dkr.ecr.<region>.amazonaws.com")
        .describe("ECR registry of the service images (repositories traffic-tacos-<service>)."),
    tags: z
        .strictObject(perService((service) => imageTag.describe(`Image tag of ${service}.`)))
        .describe("Immutable image tag of each service."),
});

export const deliverySchema = z
    .strictObject({
        mode: z.enum(["argocd", "helm"]).default("argocd").describe("argocd: an Argo CD Application per service (GitOps); helm: a Helm release per service with atomic rollback."),
    })
    .prefault({});

/** The whole `tacos:*` config namespace: one key per section. */
export const platformConfigSchema = z.strictObject({
    tags: tagsSchema.describe("Cost-allocation tags."),
    network: networkSchema.describe("VPC, subnets, NAT and endpoints."),
    cluster: clusterSchema.describe("EKS cluster and node groups."),
    messaging: messagingSchema.describe("SQS queues."),
    data: dataSchema.describe("DynamoDB and Redis."),
    protection: protectionSchema.describe("Protection of stateful resources against deletion."),
    securityPolicy: securityPolicySchema.describe("SecurityPolicy: pod security, network isolation, namespaces."),
    costOptimization: costOptimizationSchema.describe("CostOptimization: Graviton, spot, quota headroom."),
    performanceProfile: performanceProfileSchema.describe("PerformanceProfile: RPS target, latency objective, headroom."),
    gateway: gatewaySchema.describe("The internet-facing Gateway."),
    argocd: argocdSchema.describe("Argo CD."),
    addons: addonsSchema.describe("Cluster add-ons (Argo CD, KEDA, the load balancer controller)."),
    images: imagesSchema.describe("The services' container images."),
    delivery: deliverySchema.describe("How the services are delivered."),
});

/** Keys that must be set with `pulumi config set --secret`; never in plain stack config. */
export const secretConfigSchema = z.strictObject({
    argocdAdminPasswordHash: z
        .string()
        .regex(/^\$2[aby]\$1[0-4]\$[./A-Za-z0-9]{53}$/, "must be a bcrypt hash (cost 10-14), e.g. from htpasswd -nbBC 12")
        .optional()
        .describe("bcrypt hash of the Argo CD admin password (required unless argocd.oidc is set)."),
    argocdOidcClientSecret: z.string().min(16, "must be at least 16 characters").optional().describe("OIDC client secret of Argo CD (required when argocd.oidc is set)."),
    gatewayJwtSecret: z.string().min(32, "must be at least 32 characters").describe("Secret gateway-api signs and checks JWTs with (JWT_SECRET)."),
    paymentWebhookSecret: z.string().min(16, "must be at least 16 characters").optional().describe("Secret payment-sim-api signs webhooks with (WEBHOOK_SECRET); optional."),
});
export const SECRET_CONFIG_KEYS = Object.keys(secretConfigSchema.shape) as (keyof z.infer<typeof secretConfigSchema>)[];

/** The input the program reads: the `tacos:*` namespace plus the AWS region. */
export const stackConfigSchema = z.strictObject({
    region: z.enum(SUPPORTED_REGIONS),
    platform: platformConfigSchema,
    secrets: secretConfigSchema,
}).superRefine((stack, ctx) => {
    const oidc = stack.platform.argocd.oidc;
    if (!oidc && !stack.secrets.argocdAdminPasswordHash) {
        ctx.addIssue({ code: "custom", path: ["secrets", "argocdAdminPasswordHash"], message: "is required unless argocd.oidc is set: pulumi config set --secret tacos:argocdAdminPasswordHash '<bcrypt hash>'" });
    }
    if (oidc && !stack.secrets.argocdOidcClientSecret) {
        ctx.addIssue({ code: "custom", path: ["secrets", "argocdOidcClientSecret"], message: "is required when argocd.oidc is set: pulumi config set --secret tacos:argocdOidcClientSecret '<secret>'" });
    }
    stack.platform.network.zones.forEach((zone, i) => {
        if (!new RegExp(`^${stack.region}[a-z]$`).test(zone.name)) {
            ctx.addIssue({ code: "custom", path: ["platform", "network", "zones", i, "name"], message: `must be an availability zone of ${stack.region}` });
        }
    });
});


export type PlatformConfigInput = z.input<typeof platformConfigSchema>;
export type PlatformConfig = z.output<typeof platformConfigSchema>;
export type NodeGroupConfig = z.output<typeof nodeGroupSchema>;
export type NetworkConfig = z.output<typeof networkSchema>;
export type ClusterConfig = z.output<typeof clusterSchema>;
export type DataConfig = z.output<typeof dataSchema>;
export type MessagingConfig = z.output<typeof messagingSchema>;
export type ProtectionConfig = z.output<typeof protectionSchema>;
export type Tags = z.output<typeof tagsSchema>;
export type SecretConfig = z.output<typeof secretConfigSchema>;
export type ArgocdConfig = z.output<typeof argocdSchema>;
export type GatewayConfig = z.output<typeof gatewaySchema>;
export type ImagesConfig = z.output<typeof imagesSchema>;
export type Region = (typeof SUPPORTED_REGIONS)[number];
