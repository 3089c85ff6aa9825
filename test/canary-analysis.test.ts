/**
 * How each canary step is judged: AnalysisTemplate metrics whose queries parse, read only the
 * canary's pods and only metrics the stack collects, with thresholds from the stack config.
 */
import * as assert from "assert";
import { ANALYSIS_ARGS, ANALYSIS_METRICS, canaryPods } from "../components/apps/canary";
import { CATALOGUE, SERVICE_NAMES, ServiceName } from "../components/apps/catalogue";
import { KNOWN_METRICS } from "../components/apps/metrics";
import { PROMETHEUS_URL } from "../components/k8s/addons/monitoring/facts";
import { metricsOf } from "./promql";
import { one, sectionOf, stacksWith, useRenderedServices, useStackRuns } from "./stacks";

/** A query as Argo Rollouts runs it: the arguments substituted. */
const resolved = (query: string) =>
    query
        .replaceAll(`{{args.${ANALYSIS_ARGS.canaryHash}}}`, "6d4f8b7c9")
        .replaceAll(`{{args.${ANALYSIS_ARGS.measurements}}}`, "5");

/**
 * The series a Prometheus metric of a service's analysis reads, by the catalogue's metrics: its
 * duration histogram's buckets, its requests' (or events') counter for the failed and for all,
 * kube-state-metrics' restart counter.
 */
function seriesRead(service: ServiceName, metric: string): string[] {
    const own = CATALOGUE[service].metrics;
    if (metric === ANALYSIS_METRICS.restarts) return ["kube_pod_container_status_restarts_total"];
    if (metric === ANALYSIS_METRICS.scraped) return ["kube_pod_status_phase", "up"];
    if (own.kind === "none") throw new Error(`${service} exports no ${metric}`);
    const counter = own.kind === "requests" ? own.requests.name : own.events.name;
    const series: Record<string, string[]> = {
        [ANALYSIS_METRICS.traffic]: [counter],
        [ANALYSIS_METRICS.latency]: [`${own.duration}_bucket`],
        [ANALYSIS_METRICS.errors]: [counter, counter],
    };
    return series[metric];
}

describe("canary analysis", () => {
    const runs = useStackRuns();
    const rendered = useRenderedServices(runs);

    for (const stack of stacksWith("rollouts")) {
        describe(stack, () => {
            const canaryConfig = () => sectionOf(runs[stack], "delivery").canary;

            it("judges each service on what it exports: P95 and error ratio (the worker's of its events), the worker's queue age, restarts for all", () => {
                const { scraped, traffic } = ANALYSIS_METRICS;
                const expected: Record<ServiceName, string[]> = {
                    "gateway-api": [
                        scraped,
                        traffic,
                        ANALYSIS_METRICS.latency,
                        ANALYSIS_METRICS.errors,
                        ANALYSIS_METRICS.restarts,
                    ],
                    "reservation-api": [
                        scraped,
                        traffic,
                        ANALYSIS_METRICS.latency,
                        ANALYSIS_METRICS.errors,
                        ANALYSIS_METRICS.restarts,
                    ],
                    "inventory-api": [
                        scraped,
                        traffic,
                        ANALYSIS_METRICS.latency,
                        ANALYSIS_METRICS.errors,
                        ANALYSIS_METRICS.restarts,
                    ],
                    // No metrics of its own (catalogue.ts): scraped (the Go runtime's) and its pods' health only.
                    "payment-sim-api": [scraped, ANALYSIS_METRICS.restarts],
                    "reservation-worker": [
                        scraped,
                        traffic,
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

            it("never passes a measurement with no data: it is inconclusive, and a canary that served nothing is never failed for it", () => {
                for (const service of SERVICE_NAMES) {
                    for (const m of one(rendered[stack][service], "AnalysisTemplate").spec.metrics.filter(
                        (x: any) => x.provider.prometheus,
                    )) {
                        assert.doesNotMatch(m.successCondition, /isNaN/, `${service} ${m.name}`);
                        assert.ok(
                            m.failureCondition,
                            `${service} ${m.name}: without one, no data fails instead`,
                        );
                    }
                }
                const gateway = one(rendered[stack]["gateway-api"], "AnalysisTemplate").spec.metrics;
                const traffic = gateway.find((m: any) => m.name === ANALYSIS_METRICS.traffic);
                assert.deepStrictEqual(
                    [traffic.successCondition, traffic.failureCondition],
                    ["result >= 1", "false"],
                );
                assert.match(
                    traffic.provider.prometheus.query,
                    /^scalar\(sum\(increase\(http_server_requests_total\{/,
                );
                // A ratio with no failed series is 0 where requests exist, not NaN.
                const errors = gateway.find((m: any) => m.name === ANALYSIS_METRICS.errors);
                assert.match(
                    errors.provider.prometheus.query,
                    /^scalar\(\(sum\(rate\(.*\)\) or vector\(0\)\) \/ sum\(/,
                );
            });

            it("sets the thresholds from the PerformanceProfile and delivery.canary.analysis", () => {
                const canary = canaryConfig();
                const p95 = sectionOf(runs[stack], "performanceProfile").p95LatencyMs / 1000;
                const ratio = (canary.analysis.maxErrorRatioPercent ?? 1) / 100;
                const age = canary.analysis.maxQueueAgeSeconds ?? 300;
                for (const service of SERVICE_NAMES) {
                    for (const m of one(rendered[stack][service], "AnalysisTemplate").spec.metrics) {
                        const conditions = {
                            [ANALYSIS_METRICS.scraped]: ["result <= 0", "result > 0"],
                            [ANALYSIS_METRICS.traffic]: ["result >= 1", "false"],
                            [ANALYSIS_METRICS.latency]: [`result < ${p95}`, `result >= ${p95}`],
                            [ANALYSIS_METRICS.errors]: [`result <= ${ratio}`, `result > ${ratio}`],
                            [ANALYSIS_METRICS.restarts]: ["result < 1", "result >= 1"],
                            [ANALYSIS_METRICS.queueAge]: [
                                `len(result[0].Values) == 0 || result[0].Values[0] <= ${age}`,
                                undefined,
                            ],
                        }[m.name as string];
                        assert.deepStrictEqual(
                            [m.successCondition, m.failureCondition],
                            conditions,
                            `${service} ${m.name}`,
                        );
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
                        assert.deepStrictEqual(names, seriesRead(service, m.name), `${service} ${m.name}`);
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
        });
    }
});
