/**
 * Canary releases (issue 13): every service's chart renders a Rollout in place of its Deployment
 * with the same pod template, steps from the stack's delivery.canary, each gated by an
 * AnalysisTemplate whose queries parse, read only the canary's pods and only metrics the stack
 * collects, with thresholds from the stack config. Argo CD and Pulumi leave the route's weights
 * to Argo Rollouts; helm mode keeps Deployments and its atomic rollback.
 */
import * as assert from "assert";
import { ANALYSIS_ARGS, ANALYSIS_METRICS, analysisDelaySeconds, canaryPods } from "../components/apps/canary";
import { CANARY_ROUTE_RULES } from "../components/apps/delivery";
import { CATALOGUE, SERVICE_NAMES, ServiceName } from "../components/apps/catalogue";
import { KNOWN_METRICS } from "../components/apps/metrics";
import { ROLLING_UPDATE_MAX_SURGE_PERCENT, sizingAtMaxScale } from "../components/apps/sizing";
import { TACOS_PROJECT_KINDS } from "../components/k8s/addons/argocd/project";
import { PROMETHEUS_URL } from "../components/k8s/addons/monitoring/facts";
import { findResource, ofType, parsedStackConfig, runProgram } from "../tools/harness";
import { render } from "../tools/helm";
import { validateObject } from "../tools/k8s-schema";
import { metricsOf } from "./promql";
import { sectionOf, serviceValuesOf, STACKS, useRenderedServices, useStackRuns } from "./stacks";

const one = (objects: any[], kind: string) => {
    const found = objects.filter((o) => o.kind === kind);
    assert.strictEqual(found.length, 1, `one ${kind}`);
    return found[0];
};
/** A query as Argo Rollouts runs it: the arguments substituted. */
const resolved = (query: string) =>
    query
        .replaceAll(`{{args.${ANALYSIS_ARGS.canaryHash}}}`, "6d4f8b7c9")
        .replaceAll(`{{args.${ANALYSIS_ARGS.measurements}}}`, "5");

describe("canary releases", () => {
    const runs = useStackRuns();
    const rendered = useRenderedServices(runs);

    for (const stack of STACKS) {
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

            it("judges each service on what it exports: P95 and error ratio (the worker's of its events), the worker's queue age, restarts for all", () => {
                const expected: Record<ServiceName, string[]> = {
                    "gateway-api": [
                        ANALYSIS_METRICS.latency,
                        ANALYSIS_METRICS.errors,
                        ANALYSIS_METRICS.restarts,
                    ],
                    "reservation-api": [
                        ANALYSIS_METRICS.latency,
                        ANALYSIS_METRICS.errors,
                        ANALYSIS_METRICS.restarts,
                    ],
                    "inventory-api": [
                        ANALYSIS_METRICS.latency,
                        ANALYSIS_METRICS.errors,
                        ANALYSIS_METRICS.restarts,
                    ],
                    // No metrics of its own (catalogue.ts): its pods' health only.
                    "payment-sim-api": [ANALYSIS_METRICS.restarts],
                    "reservation-worker": [
                        ANALYSIS_METRICS.latency,
                        ANALYSIS_METRICS.errors,
                        ANALYSIS_METRICS.restarts,
                        ANALYSIS_METRICS.queueAge,
                    ],
                };
                for (const service of SERVICE_NAMES) {
                    assert.deepStrictEqual(
                        one(rendered[stack][service], "AnalysisTemplate").spec.metrics.map(
                            (m: any) => m.name,
                        ),
                        expected[service],
                        service,
                    );
                }
            });

            it("sets the thresholds from the PerformanceProfile and delivery.canary.analysis", () => {
                const canary = canaryConfig();
                const p95 = sectionOf(runs[stack], "performanceProfile").p95LatencyMs / 1000;
                const ratio = (canary.analysis.maxErrorRatioPercent ?? 1) / 100;
                const age = canary.analysis.maxQueueAgeSeconds ?? 300;
                for (const service of SERVICE_NAMES) {
                    for (const m of one(rendered[stack][service], "AnalysisTemplate").spec.metrics) {
                        const condition = {
                            [ANALYSIS_METRICS.latency]: `isNaN(result) || result < ${p95}`,
                            [ANALYSIS_METRICS.errors]: `isNaN(result) || result <= ${ratio}`,
                            [ANALYSIS_METRICS.restarts]: "isNaN(result) || result < 1",
                            [ANALYSIS_METRICS.queueAge]: `len(result[0].Values) == 0 || result[0].Values[0] <= ${age}`,
                        }[m.name as string];
                        assert.strictEqual(m.successCondition, condition, `${service} ${m.name}`);
                    }
                }
            });

            it("queries Prometheus with PromQL that parses, reads only metrics the stack collects, and only the canary's pods", () => {
                for (const service of SERVICE_NAMES) {
                    for (const m of one(rendered[stack][service], "AnalysisTemplate").spec.metrics.filter(
                        (x: any) => x.provider.prometheus,
                    )) {
                        const { address, query } = m.provider.prometheus;
                        assert.strictEqual(address, PROMETHEUS_URL);
                        assert.match(query, /^scalar\(/, "a scalar: no data is NaN, not an error");
                        const names = metricsOf(resolved(query));
                        assert.ok(names.length > 0);
                        for (const name of names)
                            assert.ok(
                                KNOWN_METRICS.has(name),
                                `${name} is exported by nothing in the stack: ${query}`,
                            );
                        // Every selector of the query is narrowed to the canary's pods.
                        assert.strictEqual(
                            query.split(canaryPods(service)).length - 1,
                            names.length,
                            `${service} ${m.name}: ${query}`,
                        );
                    }
                }
            });

            it("reads reservation-events' oldest message's age from CloudWatch, for the worker only", () => {
                const queueName = (runs[stack].outputs as any).queueUrls["reservation-events"]
                    .split("/")
                    .pop();
                const [age] = one(
                    rendered[stack]["reservation-worker"],
                    "AnalysisTemplate",
                ).spec.metrics.filter((m: any) => m.provider.cloudWatch);
                assert.deepStrictEqual(age.provider.cloudWatch.metricDataQueries, [
                    {
                        id: "age",
                        metricStat: {
                            metric: {
                                namespace: "AWS/SQS",
                                metricName: "ApproximateAgeOfOldestMessage",
                                dimensions: [{ name: "QueueName", value: queueName }],
                            },
                            period: 60,
                            stat: "Maximum",
                        },
                    },
                ]);
                const others = SERVICE_NAMES.filter((s) => CATALOGUE[s].scaling.kind !== "keda");
                for (const service of others)
                    assert.ok(
                        !one(rendered[stack][service], "AnalysisTemplate").spec.metrics.some(
                            (m: any) => m.provider.cloudWatch,
                        ),
                        service,
                    );
            });

            it("routes gateway-api's canary by the HTTPRoute's weights between a stable and a canary Service; the others by replica count", () => {
                for (const service of SERVICE_NAMES) {
                    const canary = one(rendered[stack][service], "Rollout").spec.strategy.canary;
                    if (CATALOGUE[service].exposedPaths) {
                        assert.deepStrictEqual(
                            [canary.stableService, canary.canaryService],
                            [`${service}-stable`, `${service}-canary`],
                        );
                        assert.deepStrictEqual(canary.trafficRouting, {
                            plugins: {
                                "argoproj-labs/gatewayAPI": { httpRoute: service, namespace: "tacos" },
                            },
                        });
                        const names = rendered[stack][service]
                            .filter((o) => o.kind === "Service")
                            .map((o) => o.metadata.name);
                        assert.deepStrictEqual(names.sort(), [
                            service,
                            `${service}-canary`,
                            `${service}-stable`,
                        ]);
                    } else {
                        assert.deepStrictEqual(
                            [canary.trafficRouting, canary.stableService, canary.canaryService],
                            [undefined, undefined, undefined],
                            service,
                        );
                    }
                }
            });

            it("scrapes each pod once: the ServiceMonitor selects the service's own Service, not the route's stable and canary ones", () => {
                const objects = rendered[stack]["gateway-api"];
                const { selector } = one(objects, "ServiceMonitor").spec;
                const selects = (labels: Record<string, string>) =>
                    Object.entries(selector.matchLabels).every(([k, v]) => labels[k] === v) &&
                    selector.matchExpressions.every(
                        (e: any) => e.operator === "DoesNotExist" && !(e.key in labels),
                    );
                const selected = objects
                    .filter((o) => o.kind === "Service" && selects(o.metadata.labels))
                    .map((o) => o.metadata.name);
                assert.deepStrictEqual(selected, ["gateway-api"]);
            });

            it("lets the tacos AppProject create every kind the chart renders", () => {
                const allowed = new Set(TACOS_PROJECT_KINDS.map((k) => `${k.group}/${k.kind}`));
                for (const service of SERVICE_NAMES) {
                    for (const o of rendered[stack][service]) {
                        const group = o.apiVersion.includes("/") ? o.apiVersion.split("/")[0] : "";
                        assert.ok(
                            allowed.has(`${group}/${o.kind}`),
                            `${service}: ${o.kind} (${group || "core"}) is not in the AppProject`,
                        );
                    }
                }
            });

            it("leaves the weights to Argo Rollouts: Argo CD ignores the route's rules while the plugin marks a canary, and no Pulumi resource sets one", () => {
                const app = findResource(
                    runs[stack],
                    "kubernetes:argoproj.io/v1alpha1:Application",
                    "services-gateway-api",
                ).inputs.spec;
                assert.ok(
                    app.ignoreDifferences.some(
                        (d: any) =>
                            d.kind === "HTTPRoute" &&
                            d.name === "gateway-api" &&
                            d.jqPathExpressions.includes(CANARY_ROUTE_RULES),
                    ),
                );
                assert.strictEqual(
                    CANARY_ROUTE_RULES,
                    'select(.metadata.labels["rollouts.argoproj.io/gatewayapi-canary"] == "in-progress") | .spec.rules',
                );
                const plugin = one(rendered[stack]["gateway-api"], "Rollout").spec.strategy.canary
                    .trafficRouting.plugins["argoproj-labs/gatewayAPI"];
                assert.ok(
                    !plugin.disableInProgressLabel &&
                        !plugin.inProgressLabelKey &&
                        !plugin.inProgressLabelValue,
                    "the plugin marks the route with its default label",
                );
                assert.ok(app.syncPolicy.syncOptions.includes("RespectIgnoreDifferences=true"));
                const withWeights = runs[stack].resources.filter(
                    (r) =>
                        JSON.stringify(r.inputs ?? {}).includes('"weight"') && r.type.includes("HTTPRoute"),
                );
                assert.deepStrictEqual(
                    withWeights.map((r) => r.name),
                    [],
                    "Pulumi manages no HTTPRoute weights",
                );
            });

            it("makes room in the namespace quota for a routed canary's full second ReplicaSet", () => {
                const config = parsedStackConfig(stack);
                const surge = Object.fromEntries(
                    SERVICE_NAMES.map((service, i) => [service, sizingAtMaxScale(config)[i].maxSurgePercent]),
                );
                assert.deepStrictEqual(
                    surge,
                    Object.fromEntries(
                        SERVICE_NAMES.map((s) => [
                            s,
                            CATALOGUE[s].exposedPaths ? 100 : ROLLING_UPDATE_MAX_SURGE_PERCENT,
                        ]),
                    ),
                );
                const withoutCanary = sizingAtMaxScale({
                    ...config,
                    delivery: { ...config.delivery, canary: undefined },
                });
                assert.ok(
                    withoutCanary.every((s) => s.maxSurgePercent === ROLLING_UPDATE_MAX_SURGE_PERCENT),
                    "Deployments surge by their rolling update only",
                );
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
        assert.strictEqual(conditions[ANALYSIS_METRICS.errors], "isNaN(result) || result <= 0.025");
        assert.strictEqual(
            conditions[ANALYSIS_METRICS.queueAge],
            "len(result[0].Values) == 0 || result[0].Values[0] <= 600",
        );
    });
});
