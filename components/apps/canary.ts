/**
 * Canary releases (Argo Rollouts): each service's chart values for its Rollout, its steps from the
 * stack's `delivery.canary`, and the AnalysisTemplate metrics that judge every step. The queries
 * read only the new ReplicaSet's pods and only series the stack collects (metrics.ts); the tests
 * parse each one with Prometheus' own parser.
 */
import * as pulumi from "@pulumi/pulumi";
import type { CanaryConfig, StackConfig } from "../config";
import { canaryMeasurements } from "../config";
import type { QueueName } from "../aws/messaging";
import { PROMETHEUS_URL } from "../k8s/addons/monitoring/facts";
import {
    errorRatioExpression,
    p95Expression,
    rateWindow,
    requestCountExpression,
    SeriesScope,
} from "./alerts";
import { APP_NAMESPACE, CATALOGUE, ServiceName } from "./catalogue";
import { CANARY_LATENCY_METRIC } from "../../vocabulary/platform";
import type { ServiceValues } from "../../vocabulary/chart-values";
import type { ValuesInput } from "./values-input";

/** The AnalysisTemplate's arguments: the new ReplicaSet's pod-template hash and the step's measurement count. */
export const ANALYSIS_ARGS = { canaryHash: "canary-hash", measurements: "measurements" } as const;

/**
 * The canary's pods by name: a Rollout names each ReplicaSet `<rollout>-<pod-template hash>` and
 * the ReplicaSet its pods `<replicaset>-<suffix>` (Argo Rollouts v1.9, utils/replicaset), so every
 * series carrying a `pod` label (the services' own through their ServiceMonitors, and
 * kube-state-metrics') selects the canary without any extra label.
 */
export const canaryPods = (service: ServiceName): string =>
    `pod=~"${service}-{{args.${ANALYSIS_ARGS.canaryHash}}}-[a-z0-9]+"`;

/** The range of the canary's rates: four scrapes, so that a pod minutes old already has a rate. */
export const analysisWindow = rateWindow;

/** One metric of an AnalysisTemplate, as the chart's `rollout.analysis.metrics` takes it (the queue's name an input). */
export type AnalysisMetric = ValuesInput<
    NonNullable<NonNullable<ServiceValues["rollout"]["analysis"]>["metrics"]>[number]
>;

/**
 * A Prometheus metric whose query is a scalar, judged both ways: it passes within its bound and
 * fails beyond it. NaN (no series: nothing scraped, or no request reached the canary) matches
 * neither, so the measurement is Inconclusive, and an inconclusive analysis pauses the release
 * instead of passing it (Argo Rollouts v1.9: a measurement matching neither condition is
 * Inconclusive; a metric's inconclusiveLimit is 0 unless set).
 */
function prometheusMetric(
    name: string,
    expression: string,
    bound: { below?: number; atMost?: number },
): AnalysisMetric {
    const [success, failure] =
        bound.below !== undefined
            ? [`result < ${bound.below}`, `result >= ${bound.below}`]
            : [`result <= ${bound.atMost}`, `result > ${bound.atMost}`];
    return {
        name,
        successCondition: success,
        failureCondition: failure,
        provider: { prometheus: { address: PROMETHEUS_URL, query: `scalar(${expression})` } },
    };
}

/**
 * Proof that the step measured something: the canary's running pods all scraped, and (for a
 * service with request or event metrics) at least one request or event in the window. Neither
 * ever fails a release on its own: a canary that is not scraped or served nothing is
 * Inconclusive, and the release waits for a person.
 */
function measuredMetrics(service: ServiceName, scope: SeriesScope): AnalysisMetric[] {
    const query = (expression: string) => ({
        prometheus: { address: PROMETHEUS_URL, query: `scalar(${expression})` },
    });
    const running = `count(kube_pod_status_phase{namespace="${APP_NAMESPACE}", phase="Running", ${scope.matchers}} == 1)`;
    const scraped = `count(up{namespace="${APP_NAMESPACE}", service="${service}", ${scope.matchers}} == 1)`;
    const served = requestCountExpression(service, scope);
    return [
        {
            name: ANALYSIS_METRICS.scraped,
            // Running canary pods Prometheus does not scrape: none passes, any fails, no data is inconclusive.
            successCondition: "result <= 0",
            failureCondition: "result > 0",
            provider: query(`${running} - ${scraped}`),
        },
        ...(served
            ? [
                  {
                      name: ANALYSIS_METRICS.traffic,
                      successCondition: "result >= 1",
                      // Never a failure: a canary that served nothing in the window is not judged.
                      failureCondition: "false",
                      provider: query(served),
                  },
              ]
            : []),
    ];
}

/** The names of the analysis metrics, which the prod policy looks for. */
export const ANALYSIS_METRICS = {
    scraped: "scraped",
    traffic: "traffic",
    latency: CANARY_LATENCY_METRIC,
    errors: "error-ratio",
    restarts: "restarts",
    queueAge: "queue-age",
} as const;

/**
 * How a service's canary is judged, each measurement over the canary's pods only:
 * - that it measures anything: its running pods scraped, and requests (or events) served;
 * - its P95 (request, or the worker's event processing) under the PerformanceProfile's
 *   p95LatencyMs, the objective its latency alert holds it to (alerts.ts);
 * - its share of failed requests, or of failed events for the worker, at most maxErrorRatioPercent;
 * - no container restart (every service: the one signal payment-sim-api, with no metrics of its own, has);
 * - reservation-worker: the age of reservation-events' oldest message (CloudWatch, the queue as a
 *   whole) at most maxQueueAgeSeconds over the last five minutes.
 */
export function analysisMetrics(
    service: ServiceName,
    config: StackConfig,
    canary: CanaryConfig,
    queueNames: Record<QueueName, pulumi.Input<string>>,
): AnalysisMetric[] {
    const scope = {
        matchers: canaryPods(service),
        window: analysisWindow(config.observability.prometheus.scrapeIntervalSeconds),
    };
    const p95 = p95Expression(service, scope);
    const errors = errorRatioExpression(service, scope);
    const entry = CATALOGUE[service];
    const scaling = entry.scaling;
    const restarts = `sum(increase(kube_pod_container_status_restarts_total{namespace="${APP_NAMESPACE}", container="${service}", ${canaryPods(service)}}[${scope.window}]))`;
    return [
        ...measuredMetrics(service, scope),
        ...(p95
            ? [
                  prometheusMetric(ANALYSIS_METRICS.latency, p95, {
                      below: config.performanceProfile.p95LatencyMs / 1000,
                  }),
              ]
            : []),
        ...(errors
            ? [
                  prometheusMetric(ANALYSIS_METRICS.errors, errors, {
                      atMost: canary.analysis.maxErrorRatioPercent / 100,
                  }),
              ]
            : []),
        prometheusMetric(ANALYSIS_METRICS.restarts, restarts, { below: 1 }),
        ...(scaling.kind === "keda"
            ? [
                  {
                      name: ANALYSIS_METRICS.queueAge,
                      // GetMetricData returns one series per query, newest point first (its default ScanBy); the newest
                      // minute is judged, so one spike fails one measurement; no point (the queue idle) passes.
                      successCondition: `len(result[0].Values) == 0 || result[0].Values[0] <= ${canary.analysis.maxQueueAgeSeconds}`,
                      provider: {
                          cloudWatch: {
                              interval: "5m",
                              metricDataQueries: [
                                  {
                                      id: "age",
                                      metricStat: {
                                          metric: {
                                              namespace: "AWS/SQS",
                                              metricName: "ApproximateAgeOfOldestMessage",
                                              dimensions: [
                                                  { name: "QueueName", value: queueNames[scaling.queue] },
                                              ],
                                          },
                                          period: 60,
                                          stat: "Maximum",
                                      },
                                  },
                              ],
                          },
                      },
                  },
              ]
            : []),
    ];
}

/**
 * The wait before a step's first measurement: two scrapes of the new pods at their new share, and
 * time for the load balancer to apply a new weight (the Gateway API plugin does not verify weights:
 * plugin v0.15.0, VerifyWeight).
 */
export const analysisDelaySeconds = (scrapeIntervalSeconds: number): number => 2 * scrapeIntervalSeconds + 10;

/** The chart's `rollout` values of a service: disabled unless the stack releases canaries. */
export function rolloutValues(
    service: ServiceName,
    config: StackConfig,
    routed: boolean,
    queueNames: Record<QueueName, pulumi.Input<string>>,
): ValuesInput<ServiceValues["rollout"]> {
    const canary = config.delivery.canary;
    if (!canary) return { enabled: false };
    return {
        enabled: true,
        trafficRouting: routed,
        progressDeadlineSeconds: canary.progressDeadlineSeconds,
        steps: canary.steps.map((step) => ({
            weight: step.weight,
            measurements: canaryMeasurements(step.minutes, canary.analysis.intervalSeconds),
        })),
        analysis: {
            interval: `${canary.analysis.intervalSeconds}s`,
            initialDelay: `${analysisDelaySeconds(config.observability.prometheus.scrapeIntervalSeconds)}s`,
            failureLimit: canary.analysis.failureLimit,
            metrics: analysisMetrics(service, config, canary, queueNames),
        },
    };
}
