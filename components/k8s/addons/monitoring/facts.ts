/**
 * What others read of the monitoring add-on: Prometheus' address and identity, the shape of the
 * platform's alert rules, and the facts monitoring needs from the other layers.
 */
import type * as pulumi from "@pulumi/pulumi";
import { MONITORING_NAMESPACE } from "../../../../vocabulary/platform";
import { stackFact } from "../addon";

/** Object names: the chart's names are `<fullnameOverride>-<part>`. */
export const FULLNAME = "kps";
/** Prometheus' in-cluster query endpoint (the operator's Service for the Prometheus object). */
export const PROMETHEUS_PORT = 9090;
export const PROMETHEUS_SERVICE = `${FULLNAME}-prometheus`;
export const PROMETHEUS_URL = `http://${PROMETHEUS_SERVICE}.${MONITORING_NAMESPACE}.svc.cluster.local:${PROMETHEUS_PORT}`;
/** Prometheus' service account (the chart's `<fullname>-prometheus`): its identity in the mesh. */
export const PROMETHEUS_SERVICE_ACCOUNT = `${FULLNAME}-prometheus`;

/** One alerting rule of a PrometheusRule group. */
export interface AlertRule {
    alert: string;
    expr: string;
    for: string;
    labels: { severity: "critical" | "warning"; service?: string; kind: string };
    annotations: { summary: string; description: string };
}

/** A PrometheusRule group. */
export interface RuleGroup {
    name: string;
    rules: AlertRule[];
}

/** The platform's PrometheusRule: its rule groups, and the annotations saying why a service has no latency alert. */
export interface PlatformAlerts {
    groups: RuleGroup[];
    exemptions: Record<string, string>;
}

/** The platform's alerts, from the apps layer (the catalogue's metrics) and the config. */
export const PLATFORM_ALERTS = stackFact<PlatformAlerts>("platform-alerts", "the platform's alerts");

/** The AWS side of alerting: where Alertmanager publishes, and the key of the topics and the volumes. */
export interface AlertingAwsFacts {
    /** The SNS topic every alert goes to. */
    alertTopicArn: pulumi.Input<string>;
    /** The SNS topic of the Watchdog's heartbeat, whose silence a CloudWatch alarm reports to the alert topic. */
    heartbeatTopicArn: pulumi.Input<string>;
    /** The key of the topic, the log groups and the volumes. */
    keyArn: pulumi.Input<string>;
}

/** The AWS layer's alert topic and observability key. */
export const ALERTING_AWS = stackFact<AlertingAwsFacts>(
    "alerting-aws",
    "the alert and heartbeat topics and the observability key",
);
