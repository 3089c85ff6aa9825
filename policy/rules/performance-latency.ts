/**
 * Latency rules: a P95 objective no looser than the platform's, and every service scraped and
 * alerted on its P95 latency.
 */
import type { PolicyResource } from "@pulumi/policy";
import {
    LATENCY_ALERT_KIND,
    MISSION_P95_LATENCY_MS,
    SERVICE_NAMES,
    noLatencyAlertAnnotation,
} from "../../vocabulary/platform";
import { deliveredValues } from "../../vocabulary/stack";
import { isKind } from "./kubernetes";
import { stackProfile } from "./profile";
import { stackRule } from "./layers";

export const latencyObjectiveWithinMission = stackRule({
    name: "latency-objective-within-mission",
    description:
        "Checks whether the PerformanceProfile's P95 latency objective is no looser than the platform's (200 ms unless the pack config says otherwise).",
    configSchema: {
        properties: { maxP95LatencyMs: { type: "integer", minimum: 1, default: MISSION_P95_LATENCY_MS } },
    },
    profile: (args, report) => {
        const profile = stackProfile(args);
        const bound =
            args.getConfig<{ maxP95LatencyMs?: number }>().maxP95LatencyMs ?? MISSION_P95_LATENCY_MS;
        const objective = profile.performanceProfile.p95LatencyMs;
        if (objective > bound) {
            report(
                `The PerformanceProfile's P95 objective must be at most ${bound} ms; it is ${objective} ms.`,
            );
        }
    },
});

/** The services with a P95 latency alert in a PrometheusRule, and those the rule's annotation exempts. */
export function latencyAlerts(resources: PolicyResource[]): {
    alerted: Set<string>;
    exempt: (service: string) => boolean;
} {
    const rules = resources.filter((r) => isKind(r.type, "PrometheusRule"));
    const alerted = new Set(
        rules.flatMap((r) =>
            (r.props.spec?.groups ?? []).flatMap((g: any) =>
                (g.rules ?? [])
                    .filter(
                        (rule: any) => rule.alert && rule.labels?.kind === LATENCY_ALERT_KIND && rule.expr,
                    )
                    .map((rule: any) => String(rule.labels?.service)),
            ),
        ),
    );
    return {
        alerted,
        exempt: (service) =>
            rules.some((r) => r.props.metadata?.annotations?.[noLatencyAlertAnnotation(service)]),
    };
}

export const servicesMonitoredAndAlerted = stackRule({
    name: "services-monitored-and-alerted",
    description:
        "Checks whether every service is delivered with its ServiceMonitor on and has a P95 latency alert in a PrometheusRule (or the rule's annotation saying why it cannot).",
    cluster: (args, report) => {
        const values = deliveredValues(args.resources);
        const { alerted, exempt } = latencyAlerts(args.resources);
        for (const service of SERVICE_NAMES) {
            const delivered = values.find((v) => v.name === service);
            if (!delivered) continue;
            if (delivered.serviceMonitor?.enabled !== true) {
                report(
                    `Service ${service} must be delivered with serviceMonitor.enabled: Prometheus would not scrape it.`,
                );
            }
            if (!alerted.has(service) && !exempt(service)) {
                report(
                    `Service ${service} must have a P95 latency alert (a PrometheusRule rule labelled kind=${LATENCY_ALERT_KIND}, service=${service}) or the rule's ${noLatencyAlertAnnotation(service)} annotation saying why it cannot.`,
                );
            }
        }
    },
});

/** The latency rules, in the order the pack lists them. */
export const PERFORMANCE_LATENCY_POLICIES = [latencyObjectiveWithinMission, servicesMonitoredAndAlerted];
