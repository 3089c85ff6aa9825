/**
 * The stack schema's delivery section: Argo CD or Helm, and the canary releases (Argo Rollouts)
 * with the analysis that judges each step.
 */
import { z } from "zod";
import { int } from "../../vocabulary/schema-fields";

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
