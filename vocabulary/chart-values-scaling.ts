/** The tacos-service chart's autoscaling values: an HPA on CPU and memory, or KEDA on a queue or a request rate. */
import { z } from "zod";
import { atLeast } from "./chart-values-fields";

const utilization = z.int().min(1).max(100);

/** The HPA's scale-up behaviour: Percent and Pods policies over one period (selectPolicy Max). */
export const scaleUpSchema = z.strictObject({
    stabilizationWindowSeconds: atLeast(0),
    percent: atLeast(1),
    pods: atLeast(1),
    periodSeconds: atLeast(1),
});

const scaleDownSchema = z.strictObject({
    stabilizationWindowSeconds: atLeast(0).optional(),
    percent: atLeast(1).optional(),
    periodSeconds: atLeast(1).optional(),
});

const requestRateSchema = z
    .strictObject({
        serverAddress: z.string().regex(/^https?:\/\/[a-z0-9.-]+(:[0-9]+)?$/),
        query: z.string().min(1),
        threshold: z.number().gt(0),
        activationThreshold: z.number().min(0).optional(),
    })
    .describe(
        "A request-rate trigger (Prometheus): scale so that each pod carries `threshold` requests per second of `query`.",
    );

const kedaSchema = z.strictObject({
    queueUrl: z
        .string()
        .regex(/^(https:\/\/sqs\.[a-z0-9-]+\.amazonaws\.com\/[0-9]{12}\/[A-Za-z0-9_-]+)?$/)
        .optional()
        .describe("SQS queue URL to scale on."),
    awsRegion: z
        .string()
        .regex(/^([a-z]{2}(-[a-z]+)+-[0-9])?$/)
        .optional(),
    queueLength: atLeast(1).optional().describe("Target messages per replica."),
    activationQueueLength: atLeast(0).optional().describe("Messages needed to scale up from zero."),
    pollingInterval: atLeast(1),
    cooldownPeriod: atLeast(0).optional(),
    requestRate: requestRateSchema.optional(),
});

export const autoscalingSchema = z.strictObject({
    mode: z
        .enum(["hpa", "keda", "none"])
        .describe("hpa (CPU and memory), keda (queue depth) or none (fixed replicas)."),
    minReplicas: atLeast(0),
    maxReplicas: atLeast(1),
    hpa: z
        .strictObject({
            cpuUtilization: utilization.optional(),
            memoryUtilization: utilization.optional(),
            scaleUp: scaleUpSchema,
            scaleDown: scaleDownSchema.optional(),
        })
        .describe(
            "CPU and memory targets (required with an HPA; with KEDA, optional triggers) and the HPA's behaviour.",
        ),
    keda: kedaSchema.optional(),
});
