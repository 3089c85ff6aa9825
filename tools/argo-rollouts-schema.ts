/**
 * The fields of Argo Rollouts' kinds the tacos chart writes, transcribed from the CRDs of chart
 * argo-rollouts 2.41.0 (Argo Rollouts v1.9.0: templates/crds/rollout-crd.yaml and
 * analysis-template-crd.yaml). @kubernetes-models/argo-rollouts checks types but lets unknown
 * fields through, which the API server would prune (a misspelt `stableService` would route nothing);
 * these refuse them. The pod template is left to the model's PodTemplateSpec.
 */
import { z } from "zod";

/** Kubernetes' IntOrString. */
const intOrString = z.union([z.number().int(), z.string()]);

/** A canary step's analysis: templates, and arguments given by value or by the pods' template hash. */
const analysisStep = z.strictObject({
    templates: z.array(
        z.strictObject({
            templateName: z.string(),
            clusterScope: z.boolean().optional(),
        }),
    ),
    args: z
        .array(
            z.union([
                z.strictObject({ name: z.string(), value: z.string() }),
                z.strictObject({
                    name: z.string(),
                    valueFrom: z.strictObject({
                        podTemplateHashValue: z.enum(["Stable", "Latest"]),
                    }),
                }),
            ]),
        )
        .optional(),
});

/** One canary step: a weight, a pause or an analysis. */
const canaryStep = z.union([
    z.strictObject({ setWeight: z.number().int() }),
    z.strictObject({ pause: z.strictObject({ duration: intOrString.optional() }) }),
    z.strictObject({ analysis: analysisStep }),
]);

/** An analysis metric's CloudWatch provider: metric data queries by expression or by metric. */
const cloudWatchProvider = z.strictObject({
    interval: z.string().optional(),
    metricDataQueries: z.array(
        z.strictObject({
            id: z.string().optional(),
            expression: z.string().optional(),
            label: z.string().optional(),
            period: intOrString.optional(),
            returnData: z.boolean().optional(),
            metricStat: z
                .strictObject({
                    metric: z
                        .strictObject({
                            namespace: z.string().optional(),
                            metricName: z.string().optional(),
                            dimensions: z
                                .array(z.strictObject({ name: z.string(), value: z.string() }))
                                .optional(),
                        })
                        .optional(),
                    period: intOrString.optional(),
                    stat: z.string().optional(),
                    unit: z.string().optional(),
                })
                .optional(),
        }),
    ),
});

/** The schema of each Argo Rollouts kind the chart writes, by kind. */
export const ARGO_ROLLOUTS_FIELDS: Record<string, z.ZodType> = {
    Rollout: z.looseObject({
        spec: z.looseObject({
            strategy: z.strictObject({
                canary: z.strictObject({
                    maxSurge: intOrString.optional(),
                    maxUnavailable: intOrString.optional(),
                    stableService: z.string().optional(),
                    canaryService: z.string().optional(),
                    trafficRouting: z.strictObject({ plugins: z.record(z.string(), z.unknown()) }).optional(),
                    steps: z.array(canaryStep).optional(),
                }),
            }),
        }),
    }),
    AnalysisTemplate: z.looseObject({
        spec: z.strictObject({
            args: z.array(z.strictObject({ name: z.string(), value: z.string().optional() })).optional(),
            metrics: z.array(
                z.strictObject({
                    name: z.string(),
                    interval: z.string().optional(),
                    initialDelay: z.string().optional(),
                    count: intOrString.optional(),
                    failureLimit: intOrString.optional(),
                    successCondition: z.string().optional(),
                    failureCondition: z.string().optional(),
                    provider: z.strictObject({
                        prometheus: z
                            .strictObject({
                                address: z.string().optional(),
                                query: z.string().optional(),
                                timeout: z.number().int().optional(),
                            })
                            .optional(),
                        cloudWatch: cloudWatchProvider.optional(),
                    }),
                }),
            ),
        }),
    }),
};
