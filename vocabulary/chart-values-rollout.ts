/**
 * The tacos-service chart's canary values (Argo Rollouts): a Rollout in place of the Deployment,
 * each step judged by an AnalysisTemplate of Prometheus or CloudWatch metrics.
 */
import { z } from "zod";
import { atLeast, text } from "./chart-values-fields";

const prometheusProvider = z.strictObject({
    prometheus: z.strictObject({ address: z.string().regex(/^https?:\/\//), query: text }),
});

const cloudWatchProvider = z.strictObject({
    cloudWatch: z.strictObject({
        interval: z
            .string()
            .regex(/^[1-9][0-9]*(s|m|h)$/)
            .optional(),
        metricDataQueries: z
            .array(
                z.strictObject({
                    id: z.string().regex(/^[a-z][a-zA-Z0-9_]*$/),
                    metricStat: z.strictObject({
                        metric: z.strictObject({
                            namespace: text,
                            metricName: text,
                            dimensions: z.array(z.strictObject({ name: text, value: text })).optional(),
                        }),
                        period: atLeast(1),
                        stat: text,
                    }),
                }),
            )
            .min(1),
    }),
});

/** One metric of the AnalysisTemplate; its queries select the canary's pods with `{{args.canary-hash}}`. */
export const analysisMetricSchema = z.strictObject({
    name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/),
    successCondition: text.describe("Argo Rollouts' expression on `result`."),
    failureCondition: text
        .optional()
        .describe(
            "Argo Rollouts' expression on `result` that fails the measurement; matching neither condition makes it Inconclusive.",
        ),
    provider: z.union([prometheusProvider, cloudWatchProvider]),
});

export const rolloutSchema = z
    .strictObject({
        enabled: z.boolean(),
        trafficRouting: z
            .boolean()
            .optional()
            .describe(
                "Shift traffic by the HTTPRoute's backend weights between a stable and a canary Service (needs httpRoute.enabled); otherwise by replica count.",
            ),
        progressDeadlineSeconds: z
            .int()
            .min(60)
            .max(3600)
            .optional()
            .describe("Seconds the canary's pods may take to become available before the release aborts."),
        steps: z
            .array(
                z.strictObject({
                    weight: z.int().min(1).max(100),
                    measurements: z.int().min(1).max(1000),
                }),
            )
            .optional()
            .describe("Steps, in order: the new version's weight, then the analysis' measurements of it."),
        analysis: z
            .strictObject({
                interval: z
                    .string()
                    .regex(/^[1-9][0-9]*(s|m)$/)
                    .optional(),
                initialDelay: z
                    .string()
                    .regex(/^([1-9][0-9]*(s|m))?$/)
                    .optional()
                    .describe("Wait before a step's first measurement."),
                failureLimit: z.int().min(0).max(100).optional(),
                metrics: z.array(analysisMetricSchema).optional(),
            })
            .optional(),
    })
    .describe(
        "A canary release (Argo Rollouts): a Rollout in place of the Deployment, each step judged by an AnalysisTemplate.",
    );
