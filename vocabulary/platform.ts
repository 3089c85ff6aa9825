/** Names the program and the pack both use: namespaces and the application services. */

/** The platform's latency objective: P95 under 200 ms at the target RPS (the PerformanceProfile's default and bound). */
export const MISSION_P95_LATENCY_MS = 200;

/** Namespace of every application service. */
export const APP_NAMESPACE = "tacos";

/** Namespace of the observability stack the services are scraped from and send traces to. */
export const MONITORING_NAMESPACE = "monitoring";

/** Namespaces that hold applications: each must have a ResourceQuota and a LimitRange. */
export const APPLICATION_NAMESPACES = [APP_NAMESPACE] as const;

/** The five Traffic Tacos services; every per-service record is keyed by these. */
export const SERVICE_NAMES = [
    "gateway-api",
    "reservation-api",
    "inventory-api",
    "payment-sim-api",
    "reservation-worker",
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** A record with one entry per service, built from `SERVICE_NAMES`. */
export function perService<V>(fn: (service: ServiceName) => V): Record<ServiceName, V> {
    return Object.fromEntries(SERVICE_NAMES.map((service) => [service, fn(service)])) as Record<
        ServiceName,
        V
    >;
}

/** The `kind` label value of a service's P95 latency alert in the platform's PrometheusRule. */
export const LATENCY_ALERT_KIND = "latency";

/**
 * The annotation on the platform's PrometheusRule that says why a service has no latency alert
 * (it exports no duration metric); the policy pack accepts a service without one only with it.
 */
export const noLatencyAlertAnnotation = (service: string): string =>
    `alerts.tacos.io/no-latency-alert-${service}`;

/** The name of the canary analysis metric that judges a service's P95 (the policy pack requires it wherever latency is alerted on). */
export const CANARY_LATENCY_METRIC = "p95-latency";

/** The Argo Rollouts chart (the controller every canary needs). */
export const ARGO_ROLLOUTS_CHART_NAME = "argo-rollouts";
