/**
 * The stack configuration schema: every key a stack file may set, its type, its range and its
 * default. Defaults live in these modules and nowhere else; this one assembles the sections
 * (fields.ts, infrastructure.ts, profiles.ts and the platform sections below) into the one schema
 * that a parse checks at once, reporting every bad field.
 */
import { z } from "zod";
import { acmCertificateArn, hostname, SUPPORTED_REGIONS } from "./fields";
import { int } from "../../vocabulary/schema-fields";
import {
    clusterSchema,
    dataSchema,
    messagingSchema,
    networkSchema,
    nodeGroupSchema,
    protectionSchema,
    tagsSchema,
} from "./infrastructure";
import {
    costOptimizationSchema,
    performanceProfileSchema,
    securityPolicySchema,
} from "../../vocabulary/profile-schema";
import { karpenterSchema } from "./capacity";
import { observabilitySchema } from "./observability";
import { perService } from "../../vocabulary/platform";

export { REQUIRED_TAG_KEYS } from "../../vocabulary/tags";
export { SUPPORTED_KUBERNETES_VERSIONS } from "../../vocabulary/versions";

export const gatewaySchema = z
    .strictObject({
        exposed: z
            .boolean()
            .default(true)
            .describe("Whether an internet-facing HTTPS Gateway (an ALB) is created."),
        certificateArn: acmCertificateArn
            .optional()
            .describe("ACM certificate for the HTTPS listener (required when exposed)."),
        sslPolicy: z
            .string()
            .regex(/^ELBSecurityPolicy-[A-Za-z0-9-]+$/, "must be an ELB security policy name")
            .default("ELBSecurityPolicy-TLS13-1-2-2021-06")
            .describe("TLS policy of the HTTPS listener."),
        apiHostname: hostname.describe("Public host name of the Traffic Tacos API (gateway-api)."),
    })
    .refine((gw) => !gw.exposed || gw.certificateArn !== undefined, {
        path: ["certificateArn"],
        message: "is required when the Gateway is exposed",
    });

export const argocdSchema = z.strictObject({
    chartRevision: z
        .string()
        .regex(
            /^([0-9a-f]{40}|v\d+\.\d+\.\d+)$/,
            "must be a pinned Git revision: a full commit SHA or a vX.Y.Z tag",
        )
        .describe("Revision of this repository whose charts/tacos-service the Applications deploy."),
    hostname: hostname.describe("Host name of the Argo CD UI and API, served through the Gateway."),
    repoUrl: z
        .string()
        .regex(/^https:\/\/[\w.-]+\/[\w./-]+\.git$/, "must be an HTTPS Git URL ending in .git")
        .describe("The Git repository of this project: the only source the tacos AppProject allows."),
    oidc: z
        .strictObject({
            issuer: z
                .string()
                .regex(/^https:\/\/\S+$/, "must be an https URL")
                .describe("OIDC issuer URL."),
            clientId: z
                .string()
                .min(1)
                .describe("OIDC client id (its secret is the secret config key argocdOidcClientSecret)."),
        })
        .optional()
        .describe("Single sign-on; when set, the local admin account is disabled."),
});

export const addonsSchema = z
    .strictObject({
        highAvailability: z
            .boolean()
            .default(false)
            .describe(
                "Two or more replicas of every cluster add-on (Argo CD with Redis HA, KEDA), with disruption budgets.",
            ),
    })
    .prefault({});

const imageTag = z
    .string()
    .regex(/^[0-9a-f]{7,40}$/, "must be the immutable git short SHA the service's CI pushed (never latest)");

export const imagesSchema = z.strictObject({
    registry: z
        .string()
        .regex(
            /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com$/,
            "must be an ECR registry host: <account>.dkr.ecr.<region>.amazonaws.com",
        )
        .describe("ECR registry of the service images (repositories traffic-tacos-<service>)."),
    tags: z
        .strictObject(perService((service) => imageTag.describe(`Image tag of ${service}.`)))
        .describe("Immutable image tag of each service."),
});

export const ciSchema = z.strictObject({
    runner: z
        .strictObject({
            repository: z
                .string()
                .regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, "must be a GitHub repository as owner/name")
                .describe("The GitHub repository whose workflow jobs the runner takes."),
            codeConnectionArn: z
                .string()
                .regex(
                    /^arn:aws:codeconnections:[a-z0-9-]+:\d{12}:connection\/[0-9a-f-]{36}$/,
                    "must be a CodeConnections connection ARN (arn:aws:codeconnections:...)",
                )
                .describe(
                    "The AWS CodeConnections connection to GitHub (created and authorised once in the console).",
                ),
            computeType: z
                .enum(["BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_MEDIUM", "BUILD_GENERAL1_LARGE"])
                .default("BUILD_GENERAL1_MEDIUM")
                .describe("CodeBuild compute type of the runner (arm64)."),
            image: z
                .string()
                .regex(
                    /^aws\/codebuild\/amazonlinux-(aarch64|x86_64)-standard:\d+\.\d+$/,
                    "must be a pinned CodeBuild Amazon Linux standard image (aarch64 or x86_64)",
                )
                .default("aws/codebuild/amazonlinux-aarch64-standard:3.0")
                .describe(
                    "CodeBuild image of the runner; an aarch64 image runs on ARM_CONTAINER, an x86_64 one on LINUX_CONTAINER (for regions without ARM builds).",
                ),
            allowedActorIds: z
                .array(z.number().int().positive())
                .min(1, "must list at least one GitHub account id")
                .describe(
                    "GitHub account ids (not logins) whose workflow jobs may run on the runner: it sits next to the cluster's private endpoint.",
                ),
        })
        .describe(
            "The GitHub Actions runner in the VPC that runs every job reaching the cluster (CodeBuild).",
        ),
    bootstrap: z
        .boolean()
        .default(false)
        .describe(
            "Create only the AWS layer (network, cluster, runner): the first `pulumi up` of a private-endpoint stack, run from outside the VPC.",
        ),
});

/** One canary step: shift `weight` percent of the traffic (or of the replicas) to the new version, then judge it for `minutes`. */
const canaryStepSchema = z.strictObject({
    weight: int(1, 100).describe(
        "Percent of the traffic (gateway-api: HTTPRoute weights) or of the replicas (the others) the new version gets at this step.",
    ),
    minutes: int(1, 120).describe("Minutes the step is judged by the analysis before the next step starts."),
});

export const canarySchema = z
    .strictObject({
        steps: z
            .array(canaryStepSchema)
            .min(1, "must list at least one step")
            .describe(
                "The canary's steps, in order: weights rising, the last 100 (the whole load is judged before the old version goes).",
            ),
        analysis: z
            .strictObject({
                intervalSeconds: int(30, 600)
                    .default(60)
                    .describe(
                        "Seconds between two measurements of each metric (at least two Prometheus scrapes).",
                    ),
                failureLimit: int(0, 10)
                    .default(1)
                    .describe(
                        "Failed measurements a metric may have in a step before the analysis fails and the release aborts.",
                    ),
                maxErrorRatioPercent: z
                    .number()
                    .gt(0)
                    .max(100)
                    .default(1)
                    .describe(
                        "The canary's share of failed requests (or worker events) above which a measurement fails.",
                    ),
                maxQueueAgeSeconds: int(30, 86_400)
                    .default(300)
                    .describe(
                        "Age of reservation-events' oldest message above which a measurement of reservation-worker fails.",
                    ),
            })
            .prefault({})
            .describe(
                "How the canary is judged: its P95 against the PerformanceProfile's p95LatencyMs, its error ratio, and the worker's queue age.",
            ),
        progressDeadlineSeconds: int(60, 3600)
            .default(600)
            .describe(
                "Seconds the new version's pods may take to become available before the release aborts.",
            ),
    })
    .superRefine((canary, ctx) => {
        canary.steps.forEach((step, i) => {
            if (i > 0 && step.weight <= canary.steps[i - 1].weight) {
                ctx.addIssue({
                    code: "custom",
                    path: ["steps", i, "weight"],
                    message: `must be above the previous step's ${canary.steps[i - 1].weight}`,
                });
            }
            if (
                canaryMeasurements(step.minutes, canary.analysis.intervalSeconds) <=
                canary.analysis.failureLimit
            ) {
                ctx.addIssue({
                    code: "custom",
                    path: ["steps", i, "minutes"],
                    message: `must allow more than analysis.failureLimit (${canary.analysis.failureLimit}) measurements ${canary.analysis.intervalSeconds} s apart, or the step can never fail`,
                });
            }
        });
        const last = canary.steps[canary.steps.length - 1];
        if (last && last.weight !== 100) {
            ctx.addIssue({
                code: "custom",
                path: ["steps", canary.steps.length - 1, "weight"],
                message:
                    "must be 100: the last step judges the whole load before the old version is scaled down",
            });
        }
    });

/** Measurements of a step: one each interval over its minutes (at least one). */
export const canaryMeasurements = (minutes: number, intervalSeconds: number): number =>
    Math.max(1, Math.floor((minutes * 60) / intervalSeconds));

export const deliverySchema = z
    .strictObject({
        mode: z
            .enum(["argocd", "helm"])
            .default("argocd")
            .describe(
                "argocd: an Argo CD Application per service (GitOps); helm: a Helm release per service with atomic rollback.",
            ),
        canary: canarySchema
            .optional()
            .describe(
                "Release every service as a canary (Argo Rollouts) judged by its own metrics, aborted back to the stable version when they go bad. Needs mode argocd; without it the services roll as Deployments.",
            ),
    })
    .refine((delivery) => !(delivery.canary && delivery.mode === "helm"), {
        path: ["canary"],
        message:
            "needs delivery.mode argocd: a Helm release waits for Deployments to roll back atomically and cannot wait on a Rollout's analysis",
    })
    .prefault({});

/** The whole `tacos:*` config namespace: one key per section. */
export const platformConfigSchema = z.strictObject({
    tags: tagsSchema.describe("Cost-allocation tags."),
    network: networkSchema.describe("VPC, subnets, NAT and endpoints."),
    cluster: clusterSchema.describe("EKS cluster and node groups."),
    karpenter: karpenterSchema.describe("Karpenter: the application nodes, grown and shrunk with the pods."),
    messaging: messagingSchema.describe("SQS queues."),
    data: dataSchema.describe("DynamoDB and Redis."),
    protection: protectionSchema.describe("Protection of stateful resources against deletion."),
    securityPolicy: securityPolicySchema.describe(
        "SecurityPolicy: pod security, network isolation, namespaces.",
    ),
    costOptimization: costOptimizationSchema.describe("CostOptimization: Graviton, spot, quota headroom."),
    performanceProfile: performanceProfileSchema.describe(
        "PerformanceProfile: RPS target, latency objective, headroom.",
    ),
    gateway: gatewaySchema.describe("The internet-facing Gateway."),
    argocd: argocdSchema.describe("Argo CD."),
    observability: observabilitySchema.describe("Metrics, alerts, container logs and the spend guards."),
    addons: addonsSchema.describe("Cluster add-ons (Argo CD, KEDA, the load balancer controller)."),
    images: imagesSchema.describe("The services' container images."),
    delivery: deliverySchema.describe("How the services are delivered."),
    ci: ciSchema.describe("CI: the in-VPC runner, and the bootstrap switch for a first deploy."),
});

/** Keys that must be set with `pulumi config set --secret`; never in plain stack config. */
export const secretConfigSchema = z.strictObject({
    argocdAdminPasswordHash: z
        .string()
        .regex(
            /^\$2[aby]\$1[0-4]\$[./A-Za-z0-9]{53}$/,
            "must be a bcrypt hash (cost 10-14), e.g. from htpasswd -nbBC 12",
        )
        .optional()
        .describe("bcrypt hash of the Argo CD admin password (required unless argocd.oidc is set)."),
    argocdOidcClientSecret: z
        .string()
        .min(16, "must be at least 16 characters")
        .optional()
        .describe("OIDC client secret of Argo CD (required when argocd.oidc is set)."),
    grafanaAdminPassword: z
        .string()
        .min(16, "must be at least 16 characters")
        .describe("Password of Grafana's admin user."),
    gatewayJwtSecret: z
        .string()
        .min(32, "must be at least 32 characters")
        .describe("Secret gateway-api signs and checks JWTs with (JWT_SECRET)."),
    paymentWebhookSecret: z
        .string()
        .min(16, "must be at least 16 characters")
        .optional()
        .describe("Secret payment-sim-api signs webhooks with (WEBHOOK_SECRET); optional."),
});
export const SECRET_CONFIG_KEYS = Object.keys(secretConfigSchema.shape) as (keyof z.infer<
    typeof secretConfigSchema
>)[];

/** The input the program reads: the `tacos:*` namespace plus the AWS region. */
export const stackConfigSchema = z
    .strictObject({
        region: z.enum(SUPPORTED_REGIONS),
        platform: platformConfigSchema,
        secrets: secretConfigSchema,
    })
    .superRefine((stack, ctx) => {
        const oidc = stack.platform.argocd.oidc;
        if (!oidc && !stack.secrets.argocdAdminPasswordHash) {
            ctx.addIssue({
                code: "custom",
                path: ["secrets", "argocdAdminPasswordHash"],
                message:
                    "is required unless argocd.oidc is set: pulumi config set --secret tacos:argocdAdminPasswordHash '<bcrypt hash>'",
            });
        }
        if (oidc && !stack.secrets.argocdOidcClientSecret) {
            ctx.addIssue({
                code: "custom",
                path: ["secrets", "argocdOidcClientSecret"],
                message:
                    "is required when argocd.oidc is set: pulumi config set --secret tacos:argocdOidcClientSecret '<secret>'",
            });
        }
        const canary = stack.platform.delivery.canary;
        const scrape = stack.platform.observability.prometheus.scrapeIntervalSeconds;
        if (canary && canary.analysis.intervalSeconds < scrape) {
            ctx.addIssue({
                code: "custom",
                path: ["platform", "delivery", "canary", "analysis", "intervalSeconds"],
                message: `must be at least observability.prometheus.scrapeIntervalSeconds (${scrape}): a measurement between two scrapes sees nothing new`,
            });
        }
        stack.platform.network.zones.forEach((zone, i) => {
            if (!new RegExp(`^${stack.region}[a-z]$`).test(zone.name)) {
                ctx.addIssue({
                    code: "custom",
                    path: ["platform", "network", "zones", i, "name"],
                    message: `must be an availability zone of ${stack.region}`,
                });
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
export type CanaryConfig = z.output<typeof canarySchema>;
export type CiRunnerConfig = z.output<typeof ciSchema>["runner"];
export type Region = (typeof SUPPORTED_REGIONS)[number];
