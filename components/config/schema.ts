/**
 * The stack configuration schema: every key a stack file may set, its type, its range and its
 * default. Defaults live in these modules and nowhere else; this one assembles the sections
 * (infrastructure.ts, network.ts, capacity.ts, observability.ts, platform.ts, delivery.ts and the
 * vocabulary's profile-schema.ts) into the one schema that a parse checks at once, reporting every
 * bad field.
 */
import { z } from "zod";
import { SUPPORTED_REGIONS } from "./fields";
import {
    clusterSchema,
    dataSchema,
    messagingSchema,
    nodeGroupSchema,
    protectionSchema,
    tagsSchema,
} from "./infrastructure";
import {
    costOptimizationSchema,
    performanceProfileSchema,
    securityPolicySchema,
} from "../../vocabulary/profile-schema";
import { networkSchema } from "./network";
import { karpenterSchema } from "./capacity";
import { loadSchema } from "./load";
import { observabilitySchema } from "./observability";
import { addonsSchema, argocdSchema, ciSchema, gatewaySchema, imagesSchema } from "./platform";
import { canarySchema, deliverySchema } from "./delivery";
import { secretConfigSchema } from "./secrets";
import { pullRequestSchema } from "./pull-request";
import { disabledAddonIssues } from "./addon-switches";

export { REQUIRED_TAG_KEYS } from "../../vocabulary/tags";
export { SUPPORTED_KUBERNETES_VERSIONS } from "../../vocabulary/versions";

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
    load: loadSchema.describe(
        "The plan's load assumptions: what each request costs in AWS requests, bytes and log and trace ingestion.",
    ),
    gateway: gatewaySchema.describe("The internet-facing Gateway."),
    argocd: argocdSchema.describe("Argo CD."),
    observability: observabilitySchema.describe("Metrics, alerts, container logs and the spend guards."),
    addons: addonsSchema.describe("Cluster add-ons: high availability, and which ones the stack installs."),
    images: imagesSchema.describe("The services' container images."),
    delivery: deliverySchema.describe("How the services are delivered."),
    ci: ciSchema.describe("CI: the in-VPC runner, and the bootstrap switch for a first deploy."),
    pullRequest: pullRequestSchema.describe(
        "The pull request's plan check: the cost increase a change may bring before it fails.",
    ),
});

/** The input the program reads: the `tacos:*` namespace plus the AWS region. */
export const stackConfigSchema = z
    .strictObject({
        region: z.enum(SUPPORTED_REGIONS),
        platform: platformConfigSchema,
        secrets: secretConfigSchema,
    })
    .superRefine((stack, ctx) => {
        const canary = stack.platform.delivery.canary;
        const scrape = stack.platform.observability.prometheus.scrapeIntervalSeconds;
        if (canary && canary.analysis.intervalSeconds < scrape) {
            ctx.addIssue({
                code: "custom",
                path: ["platform", "delivery", "canary", "analysis", "intervalSeconds"],
                message: `must be at least observability.prometheus.scrapeIntervalSeconds (${scrape}): a measurement between two scrapes sees nothing new`,
            });
        }
        disabledAddonIssues(stack.platform).forEach(({ path, message }) =>
            ctx.addIssue({ code: "custom", path: ["platform", ...path], message }),
        );
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
