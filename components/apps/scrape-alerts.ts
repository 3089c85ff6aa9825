/**
 * The alerts on a service Prometheus no longer scrapes: its latency, error and backlog alerts and
 * its request-rate autoscaling then read nothing and stay silent, so the silence itself alerts.
 * Each service's chart makes one ServiceMonitor on the service's own Service, named after the
 * service in the applications' namespace (charts/tacos-service templates/servicemonitor.yaml and
 * service.yaml), and the Prometheus Operator names such a job after the Service: every target's
 * `up` carries `namespace` and `job` as matched here.
 */
import { APP_NAMESPACE } from "../../vocabulary/platform";
import type { AlertRule, RuleGroup } from "../k8s/addons/monitoring/facts";
import { SERVICE_NAMES, ServiceName } from "./catalogue";

/** How long a target may fail before it alerts: a pod restarting or rolling over passes well within it. */
export const SCRAPE_FAILING_FOR = "5m";
/** How long a service may have no target at all before it alerts: longer than a rollout's replacement of every pod. */
export const SCRAPE_ABSENT_FOR = "10m";

/** `reservation-worker` → `ReservationWorker`: a service's prefix in alert names. */
export const pascal = (service: string): string =>
    service
        .split("-")
        .map((w) => w[0].toUpperCase() + w.slice(1))
        .join("");

/** The selector of a service's scrape targets' `up` series. */
export const scrapeTargetSelector = (service: ServiceName): string =>
    `up{namespace="${APP_NAMESPACE}", job="${service}"}`;

/** The alerts on one service's scrape: a target failing, and, when it always runs, no target at all. */
function serviceScrapeRules(service: ServiceName, alwaysRunning: boolean): AlertRule[] {
    const name = pascal(service);
    const up = scrapeTargetSelector(service);
    return [
        {
            alert: `${name}ScrapeFailing`,
            expr: `${up} == 0`,
            for: SCRAPE_FAILING_FOR,
            labels: { severity: "warning", service, kind: "scrape" },
            annotations: {
                summary: `Prometheus cannot scrape a ${service} pod`,
                description: `Prometheus has failed to scrape {{ $labels.pod }} of ${service} for ${SCRAPE_FAILING_FOR}: its alerts and autoscaling see nothing of that pod. Check the pod, its NetworkPolicy and its mesh authorization for Prometheus.`,
            },
        },
        // A service that may scale to zero has no target when idle, which is no fault.
        ...(alwaysRunning
            ? [
                  {
                      alert: `${name}ScrapeTargetsMissing`,
                      expr: `absent(${up})`,
                      for: SCRAPE_ABSENT_FOR,
                      labels: { severity: "critical" as const, service, kind: "scrape" },
                      annotations: {
                          summary: `Prometheus has no ${service} target`,
                          description: `Prometheus has discovered no ${service} pod to scrape for ${SCRAPE_ABSENT_FOR}, though it never scales to zero: its ServiceMonitor, Service or pods are gone, and every alert on ${service} is blind.`,
                      },
                  },
              ]
            : []),
    ];
}

/** The scrape alerts of every service; `alwaysRunning` names those whose minimum replicas are above zero. */
export function scrapeAlertGroups(alwaysRunning: readonly ServiceName[]): RuleGroup[] {
    return [
        {
            name: "tacos-scrape",
            rules: SERVICE_NAMES.flatMap((s) => serviceScrapeRules(s, alwaysRunning.includes(s))),
        },
    ];
}
