/**
 * Canary releases: every service's chart renders a Rollout in place of its Deployment with the
 * same pod template and steps from the stack's delivery.canary, each gated by an analysis, and
 * aborts by itself; helm mode keeps Deployments and its atomic rollback, and a changed config is
 * followed. The analysis and the routing are in canary-analysis.test.ts and canary-routing.test.ts.
 */
import * as assert from "assert";
import { ANALYSIS_ARGS, ANALYSIS_METRICS, analysisDelaySeconds } from "../components/apps/canary";
import { SERVICE_NAMES } from "../components/apps/catalogue";
import { ofType, runProgram } from "../tools/harness";
import { render } from "../tools/helm";
import { validateObject } from "../tools/k8s-schema";
import { one, sectionOf, serviceValuesOf, stacksWith, useRenderedServices, useStackRuns } from "./stacks";

describe("canary releases", () => {
    const runs = useStackRuns();
    const rendered = useRenderedServices(runs);

    for (const stack of stacksWith("rollouts")) {
        describe(stack, () => {
            const canaryConfig = () => sectionOf(runs[stack], "delivery").canary;

            it("renders a Rollout and its AnalysisTemplate for every service, valid against Argo Rollouts' schemas, and no Deployment", async () => {
                for (const service of SERVICE_NAMES) {
                    const objects = rendered[stack][service];
                    assert.deepStrictEqual(
                        objects.filter((o) => o.kind === "Deployment"),
                        [],
                        service,
                    );
                    await validateObject(one(objects, "Rollout"));
                    await validateObject(one(objects, "AnalysisTemplate"));
                }
            });

            it("keeps the Deployment's pod template, selector and surge: probes, security context and spread unchanged", () => {
                for (const service of SERVICE_NAMES) {
                    const values = serviceValuesOf(runs[stack], service);
                    const deployment = one(
                        render(service, stack, { ...values, rollout: { enabled: false } }),
                        "Deployment",
                    );
                    const rollout = one(rendered[stack][service], "Rollout");
                    assert.deepStrictEqual(rollout.spec.template, deployment.spec.template, service);
                    assert.deepStrictEqual(rollout.spec.selector, deployment.spec.selector, service);
                    assert.strictEqual(
                        rollout.spec.strategy.canary.maxSurge,
                        deployment.spec.strategy.rollingUpdate.maxSurge,
                    );
                    assert.strictEqual(rollout.spec.strategy.canary.maxUnavailable, 0);
                    assert.strictEqual(rollout.spec.replicas, undefined, "the autoscaler owns the replicas");
                }
            });

            it("points every autoscaler and VPA at the Rollout", () => {
                for (const service of SERVICE_NAMES) {
                    const objects = rendered[stack][service];
                    const scaler = objects.find(
                        (o) => o.kind === "HorizontalPodAutoscaler" || o.kind === "ScaledObject",
                    );
                    const target = { apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", name: service };
                    assert.deepStrictEqual(scaler.spec.scaleTargetRef, target, service);
                    assert.deepStrictEqual(
                        one(objects, "VerticalPodAutoscaler").spec.targetRef,
                        target,
                        service,
                    );
                }
            });

            it("takes the stack's steps, each followed by the analysis, with as many measurements as the step's minutes allow", () => {
                const canary = canaryConfig();
                const interval = canary.analysis.intervalSeconds;
                for (const service of SERVICE_NAMES) {
                    const steps = one(rendered[stack][service], "Rollout").spec.strategy.canary.steps;
                    const expected = canary.steps.flatMap((s: { weight: number; minutes: number }) => [
                        { setWeight: s.weight },
                        {
                            analysis: {
                                templates: [{ templateName: service }],
                                args: [
                                    {
                                        name: ANALYSIS_ARGS.canaryHash,
                                        valueFrom: { podTemplateHashValue: "Latest" },
                                    },
                                    {
                                        name: ANALYSIS_ARGS.measurements,
                                        value: String(Math.floor((s.minutes * 60) / interval)),
                                    },
                                ],
                            },
                        },
                    ]);
                    assert.deepStrictEqual(steps, expected, service);
                    assert.ok(
                        !steps.some((s: any) => s.pause && s.pause.duration === undefined),
                        "no step waits for a person",
                    );
                }
            });

            it(
                stack === "prod"
                    ? "goes 10%, 25%, 50%, 100% in prod, judging each step at least five minutes"
                    : "is fast in dev: two steps of a minute",
                () => {
                    const steps = canaryConfig().steps;
                    if (stack === "prod") {
                        assert.deepStrictEqual(
                            steps.map((s: any) => s.weight),
                            [10, 25, 50, 100],
                        );
                        assert.ok(steps.every((s: any) => s.minutes >= 5));
                    } else {
                        assert.deepStrictEqual(
                            steps.map((s: any) => s.minutes),
                            [1, 1],
                        );
                    }
                },
            );

            it("aborts by itself: a failed analysis, or pods not available within the deadline", () => {
                const canary = canaryConfig();
                for (const service of SERVICE_NAMES) {
                    const rollout = one(rendered[stack][service], "Rollout");
                    assert.strictEqual(rollout.spec.progressDeadlineAbort, true);
                    assert.strictEqual(
                        rollout.spec.progressDeadlineSeconds,
                        canary.progressDeadlineSeconds ?? 600,
                    );
                    const template = one(rendered[stack][service], "AnalysisTemplate");
                    assert.deepStrictEqual(
                        template.spec.args.map((a: any) => a.name),
                        [ANALYSIS_ARGS.canaryHash, ANALYSIS_ARGS.measurements],
                    );
                    // Argo Rollouts validates a step with its arguments' defaults (placeholders where none): the count
                    // must then still be a number the failure limit fits in, or the Rollout is refused as InvalidSpec.
                    const count = template.spec.args.find(
                        (a: any) => a.name === ANALYSIS_ARGS.measurements,
                    ).value;
                    assert.ok(
                        /^\d+$/.test(count) && Number(count) > canary.analysis.failureLimit,
                        `a default count: ${count}`,
                    );
                    for (const metric of template.spec.metrics) {
                        assert.strictEqual(
                            metric.initialDelay,
                            `${analysisDelaySeconds(sectionOf(runs[stack], "observability").prometheus?.scrapeIntervalSeconds ?? 30)}s`,
                            "the first measurement after two scrapes",
                        );
                        assert.strictEqual(
                            metric.failureLimit,
                            canary.analysis.failureLimit,
                            `${service} ${metric.name}`,
                        );
                        assert.strictEqual(metric.interval, `${canary.analysis.intervalSeconds}s`);
                        assert.strictEqual(metric.count, `{{args.${ANALYSIS_ARGS.measurements}}}`);
                    }
                }
            });
        });
    }

    it("keeps Deployments and the atomic rollback in helm mode", async () => {
        const run = await runProgram("dev", (c) => {
            c["tacos:delivery"] = { mode: "helm" };
        });
        assert.strictEqual(run.error, undefined, String(run.error));
        for (const release of ofType(run, "kubernetes:helm.sh/v3:Release").filter((r) =>
            (SERVICE_NAMES as readonly string[]).includes(r.inputs.name),
        )) {
            assert.strictEqual(release.inputs.atomic, true);
            assert.deepStrictEqual(release.inputs.values.rollout, { enabled: false });
            const kinds = render(release.inputs.name, "dev", release.inputs.values).map((o) => o.kind);
            assert.ok(
                kinds.includes("Deployment") &&
                    !kinds.includes("Rollout") &&
                    !kinds.includes("AnalysisTemplate"),
                release.inputs.name,
            );
        }
    });

    it("follows a changed config: steps, interval, failure limit and bounds", async () => {
        const run = await runProgram("prod", (c) => {
            c["tacos:delivery"].canary = {
                steps: [
                    { weight: 20, minutes: 6 },
                    { weight: 100, minutes: 4 },
                ],
                analysis: {
                    intervalSeconds: 120,
                    failureLimit: 0,
                    maxErrorRatioPercent: 2.5,
                    maxQueueAgeSeconds: 600,
                },
            };
        });
        assert.strictEqual(run.error, undefined, String(run.error));
        const worker = serviceValuesOf(run, "reservation-worker").rollout;
        assert.deepStrictEqual(worker.steps, [
            { weight: 20, measurements: 3 },
            { weight: 100, measurements: 2 },
        ]);
        assert.deepStrictEqual([worker.analysis.interval, worker.analysis.failureLimit], ["120s", 0]);
        const conditions = Object.fromEntries(
            worker.analysis.metrics.map((m: any) => [m.name, m.successCondition]),
        );
        assert.strictEqual(conditions[ANALYSIS_METRICS.errors], "result <= 0.025");
        assert.strictEqual(
            conditions[ANALYSIS_METRICS.queueAge],
            "len(result[0].Values) == 0 || result[0].Values[0] <= 600",
        );
    });
});
