/**
 * The platform's alerts as PrometheusRule groups (the services' lost scrapes in scrape-alerts.ts),
 * with thresholds from the PerformanceProfile and the observability config, and every expression built from metrics the stack exports (the
 * services' own, listed in the catalogue; kube-state-metrics; KEDA; Karpenter; Argo CD; the API
 * server). The tests parse each expression with the Prometheus project's PromQL parser and check
 * every metric name against metrics.ts.
 */
import { APP_NAMESPACE, LATENCY_ALERT_KIND, noLatencyAlertAnnotation } from "../../vocabulary/platform";
import type { StackConfig } from "../config";
import type { AlertRule, RuleGroup } from "../k8s/addons/monitoring/facts";
import { CATALOGUE, SERVICE_NAMES, ServiceName } from "./catalogue";
import { pascal, scrapeAlertGroups } from "./scrape-alerts";

export interface AlertSettings {
    /** The PerformanceProfile's P95 objective. */
    p95LatencyMs: number;
    errorRatioPercent: number;
    atMaxMinutes: number;
    backlogMessages: number;
    restartsPerHour: number;
    /** The services whose minimum replicas are above zero: no scrape target at all is a fault for them. */
    alwaysRunning: ServiceName[];
}

/** The kinds of alert the policy pack looks for, in each rule's `kind` label. */
export const ALERT_KINDS = { latency: LATENCY_ALERT_KIND, errors: "errors" } as const;

/** Why each service without request metrics has no latency or error alert, as the PrometheusRule's annotations the policy pack reads. */
export function alertExemptions(): Record<string, string> {
    return Object.fromEntries(
        SERVICE_NAMES.flatMap((service) => {
            const m = CATALOGUE[service].metrics;
            return m.kind === "none" ? [[noLatencyAlertAnnotation(service), m.why]] : [];
        }),
    );
}

/**
 * Which of a service's series an expression reads, and over what window: by default all its pods
 * over 5 minutes; a canary analysis narrows it to the new ReplicaSet's pods over a shorter window.
 */
export interface SeriesScope {
    /** Extra label matchers, e.g. `pod=~"..."`. */
    matchers?: string;
    /** The range of rate(), e.g. `2m`. */
    window?: string;
}

const inService = (service: ServiceName, scope: SeriesScope = {}) =>
    `namespace="${APP_NAMESPACE}", service="${service}"${scope.matchers ? `, ${scope.matchers}` : ""}`;

/** A quantile of a service's request (or event-processing) durations, in seconds; undefined without metrics. */
export function latencyQuantileExpression(
    service: ServiceName,
    quantile: number,
    scope: SeriesScope = {},
): string | undefined {
    const m = CATALOGUE[service].metrics;
    return m.kind === "none"
        ? undefined
        : `histogram_quantile(${quantile}, sum by (le) (rate(${m.duration}_bucket{${inService(service, scope)}}[${scope.window ?? "5m"}])))`;
}

/** The P95 of a service's durations (the latency objective's quantile). */
export const p95Expression = (service: ServiceName, scope: SeriesScope = {}): string | undefined =>
    latencyQuantileExpression(service, 0.95, scope);

/** The share of a service's requests (or events) that failed on its side; undefined without metrics. */
export function errorRatioExpression(service: ServiceName, scope: SeriesScope = {}): string | undefined {
    const m = CATALOGUE[service].metrics;
    if (m.kind === "none") return undefined;
    const [counter, label, failed] =
        m.kind === "requests"
            ? [m.requests.name, m.requests.statusLabel, m.requests.serverErrors]
            : [m.events.name, m.events.outcomeLabel, m.events.failed];
    const window = scope.window ?? "5m";
    // No failed series (a counter appears with its first failure) is no failure: 0, not NaN, when requests exist.
    return `(sum(rate(${counter}{${inService(service, scope)}, ${label}=~"${failed}"}[${window}])) or vector(0)) / sum(rate(${counter}{${inService(service, scope)}}[${window}]))`;
}

/** Requests (or events) a service served in the scope's window; undefined without request or event metrics. */
export function requestCountExpression(service: ServiceName, scope: SeriesScope = {}): string | undefined {
    const m = CATALOGUE[service].metrics;
    if (m.kind === "none") return undefined;
    const counter = m.kind === "requests" ? m.requests.name : m.events.name;
    return `sum(increase(${counter}{${inService(service, scope)}}[${scope.window ?? "5m"}]))`;
}

/**
 * The shortest range a rate() may read at this scrape interval: four scrapes, so that one missed
 * scrape still leaves the two samples rate() needs, and a pod minutes old already has a rate.
 */
export const rateWindow = (scrapeIntervalSeconds: number): string => `${4 * scrapeIntervalSeconds}s`;

/** Requests per second of a request-serving service, summed over its pods (over 5 minutes by default); undefined for others. */
export function requestRateExpression(service: ServiceName, scope: SeriesScope = {}): string | undefined {
    const m = CATALOGUE[service].metrics;
    return m.kind === "requests"
        ? `sum(rate(${m.requests.name}{${inService(service, scope)}}[${scope.window ?? "5m"}]))`
        : undefined;
}

function serviceRules(service: ServiceName, s: AlertSettings): AlertRule[] {
    const name = pascal(service);
    const p95 = p95Expression(service);
    const errors = errorRatioExpression(service);
    if (!p95 || !errors) return [];
    return [
        {
            alert: `${name}LatencyHigh`,
            expr: `${p95} > ${s.p95LatencyMs / 1000}`,
            for: "5m",
            labels: { severity: "critical", service, kind: ALERT_KINDS.latency },
            annotations: {
                summary: `${service} P95 latency is over ${s.p95LatencyMs} ms`,
                description: `${service}'s P95 latency has been above the PerformanceProfile's ${s.p95LatencyMs} ms objective for 5 minutes ({{ $value | humanizeDuration }}).`,
            },
        },
        {
            alert: `${name}ErrorRatioHigh`,
            expr: `${errors} > ${s.errorRatioPercent / 100}`,
            for: "5m",
            labels: { severity: "critical", service, kind: ALERT_KINDS.errors },
            annotations: {
                summary: `${service} fails over ${s.errorRatioPercent}% of its work`,
                description: `${service}'s server-side failure ratio has been above ${s.errorRatioPercent}% for 5 minutes ({{ $value | humanizePercentage }}).`,
            },
        },
    ];
}

/** Every alert group of the platform. */
export function alertRuleGroups(s: AlertSettings): RuleGroup[] {
    return [
        { name: "tacos-services", rules: SERVICE_NAMES.flatMap((svc) => serviceRules(svc, s)) },
        ...scrapeAlertGroups(s.alwaysRunning),
        ...workloadAlertGroups(s),
        ...platformAlertGroups(),
    ];
}

/** The alerts on the workloads' capacity and health: autoscalers at their maximum, the queue's backlog, restarts and OOM kills. */
function workloadAlertGroups(s: AlertSettings): RuleGroup[] {
    return [
        {
            name: "tacos-scaling",
            rules: [
                {
                    alert: "AutoscalerAtMaximum",
                    expr: `kube_horizontalpodautoscaler_status_current_replicas{namespace="${APP_NAMESPACE}"} >= kube_horizontalpodautoscaler_spec_max_replicas{namespace="${APP_NAMESPACE}"}`,
                    for: `${s.atMaxMinutes}m`,
                    labels: { severity: "warning", kind: "capacity" },
                    annotations: {
                        summary: "An autoscaler is at its maximum replicas",
                        description: `{{ $labels.horizontalpodautoscaler }} has run at its maximum replicas for ${s.atMaxMinutes} minutes: load beyond it is not served within the objective. Raise maxReplicas in the stack's performanceProfile or find the slowdown.`,
                    },
                },
            ],
        },
        {
            name: "tacos-queue",
            rules: [
                {
                    alert: "ReservationEventsBacklog",
                    expr: `max(keda_scaler_metrics_value{exported_namespace="${APP_NAMESPACE}", scaledObject="reservation-worker"}) > ${s.backlogMessages}`,
                    for: "5m",
                    labels: { severity: "warning", service: "reservation-worker", kind: "backlog" },
                    annotations: {
                        summary: `reservation-events holds over ${s.backlogMessages} messages`,
                        description: `reservation-events has held more than ${s.backlogMessages} messages for 5 minutes (as KEDA's SQS scaler reads it; KEDA's metrics carry the ScaledObject's namespace as exported_namespace). Its oldest message's age and the dead-letter queues are CloudWatch alarms on the same topic.`,
                    },
                },
            ],
        },
        {
            name: "tacos-pods",
            rules: [
                {
                    alert: "ContainerRestarting",
                    expr: `increase(kube_pod_container_status_restarts_total[1h]) > ${s.restartsPerHour}`,
                    for: "0m",
                    labels: { severity: "warning", kind: "restarts" },
                    annotations: {
                        summary: "A container keeps restarting",
                        description: `{{ $labels.namespace }}/{{ $labels.pod }} container {{ $labels.container }} restarted more than ${s.restartsPerHour} times in an hour.`,
                    },
                },
                {
                    alert: "ContainerOOMKilled",
                    expr: `(kube_pod_container_status_last_terminated_reason{reason="OOMKilled"} == 1) and on (namespace, pod, container) (increase(kube_pod_container_status_restarts_total[10m]) > 0)`,
                    for: "0m",
                    labels: { severity: "warning", kind: "oom" },
                    annotations: {
                        summary: "A container was killed for running out of memory",
                        description:
                            "{{ $labels.namespace }}/{{ $labels.pod }} container {{ $labels.container }} was OOM-killed in the last 10 minutes: its memory limit is too low for its load.",
                    },
                },
            ],
        },
    ];
}

/** The alerts on the platform itself: Pod Security refusals, Karpenter's failed launches, Argo CD's applications. */
function platformAlertGroups(): RuleGroup[] {
    return [
        {
            name: "tacos-security",
            rules: [
                {
                    alert: "PodSecurityViolation",
                    expr: `sum by (policy_level, resource) (increase(pod_security_evaluations_total{decision="deny", mode="enforce"}[10m])) > 0`,
                    for: "0m",
                    labels: { severity: "warning", kind: "security" },
                    annotations: {
                        summary: "The API server refused a pod under Pod Security",
                        description:
                            "A request was denied by Pod Security Admission at level {{ $labels.policy_level }}: a workload tried to run with more privilege than its namespace allows.",
                    },
                },
            ],
        },
        {
            name: "tacos-nodes",
            rules: [
                {
                    alert: "KarpenterLaunchFailing",
                    // Karpenter 1.14 (core v1.14.0): Create errors of the NodeClaim lifecycle controller, and NodeClaims given up on.
                    expr: `sum by (error) (increase(karpenter_cloudprovider_errors_total{controller="nodeclaim.lifecycle", method="Create"}[15m])) > 0 or sum by (nodepool, reason) (increase(karpenter_nodeclaims_disrupted_total{reason=~"insufficient_capacity|nodeclass_not_ready|launch_timeout|registration_timeout"}[15m])) > 0`,
                    for: "0m",
                    labels: { severity: "critical", kind: "capacity" },
                    annotations: {
                        summary: "Karpenter fails to launch nodes",
                        description:
                            "Karpenter could not launch nodes in the last 15 minutes: pending pods stay pending. Check the NodePool limits, spot capacity and its controller's logs.",
                    },
                },
            ],
        },
        {
            name: "tacos-delivery",
            rules: [
                {
                    alert: "ArgoCdAppDegraded",
                    expr: `argocd_app_info{health_status!~"Healthy|Progressing"} == 1`,
                    for: "10m",
                    labels: { severity: "critical", kind: "delivery" },
                    annotations: {
                        summary: "An Argo CD application is not healthy",
                        description:
                            "{{ $labels.name }} has been {{ $labels.health_status }} for 10 minutes.",
                    },
                },
                {
                    alert: "ArgoCdAppOutOfSync",
                    expr: `argocd_app_info{sync_status!="Synced"} == 1`,
                    for: "15m",
                    labels: { severity: "warning", kind: "delivery" },
                    annotations: {
                        summary: "An Argo CD application is out of sync",
                        description:
                            "{{ $labels.name }} has been {{ $labels.sync_status }} for 15 minutes: Git and the cluster disagree.",
                    },
                },
            ],
        },
    ];
}

/** The alert thresholds of this stack: the PerformanceProfile's objective and the observability section's bounds. */
export function alertSettings(config: StackConfig): AlertSettings {
    return {
        p95LatencyMs: config.performanceProfile.p95LatencyMs,
        errorRatioPercent: config.observability.alerts.errorRatioPercent,
        atMaxMinutes: config.observability.alerts.atMaxMinutes,
        backlogMessages: config.observability.alerts.backlogMessages,
        restartsPerHour: config.observability.alerts.restartsPerHour,
        alwaysRunning: SERVICE_NAMES.filter((s) => config.performanceProfile.services[s].minReplicas > 0),
    };
}
