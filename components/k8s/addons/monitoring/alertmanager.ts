/** Alertmanager's configuration: where every alert goes, and the heartbeat that proves it still can. */

/** The SNS topics Alertmanager publishes to. */
export interface AlertmanagerTopics {
    /** Every alert that pages. */
    alertTopicArn: string;
    /** The Watchdog's heartbeat, which a CloudWatch alarm outside the cluster watches. */
    heartbeatTopicArn: string;
}

/**
 * How often the Watchdog (always firing) is published to the heartbeat topic. Alertmanager sends a
 * repeat only at a group's flush, every `group_interval`, once `repeat_interval` has passed since
 * the last send; both at one minute give about one message a minute, well inside the heartbeat
 * alarm's period (observability.ts).
 */
export const HEARTBEAT_INTERVAL = "1m";

/**
 * kube-prometheus-stack's own inhibit rules (values.yaml `alertmanager.config.inhibit_rules` at
 * chart 88.5.3): a critical alert silences warning and info alerts of the same name and
 * namespace, a warning the info ones, and the always-firing `InfoInhibitor` (from the chart's
 * `general.rules`) silences the info alerts of its namespace, never itself. The first one also
 * covers a critical alert silencing the warning of the same service.
 */
export const CHART_INHIBIT_RULES = [
    {
        source_matchers: ['severity="critical"'],
        target_matchers: ['severity=~"warning|info"'],
        equal: ["namespace", "alertname"],
    },
    {
        source_matchers: ['severity="warning"'],
        target_matchers: ['severity="info"'],
        equal: ["namespace", "alertname"],
    },
    {
        source_matchers: ['alertname="InfoInhibitor"'],
        target_matchers: ['severity="info"'],
        equal: ["namespace"],
    },
    { target_matchers: ['alertname="InfoInhibitor"'] },
];

/**
 * Alertmanager's configuration: the Watchdog to the heartbeat topic about once a minute; info
 * alerts (context for other alerts, never a page) and the chart's InfoInhibitor nowhere; every
 * other alert grouped by name and service and sent to the alert topic, resolved ones too. Both
 * topics are reached with Alertmanager's own Pod Identity through SigV4.
 */
export function alertmanagerConfig(topics: AlertmanagerTopics, region: string): Record<string, unknown> {
    return {
        global: { resolve_timeout: "5m" },
        route: {
            receiver: "sns",
            group_by: ["alertname", "namespace", "service"],
            group_wait: "30s",
            group_interval: "5m",
            repeat_interval: "4h",
            routes: [
                {
                    receiver: "heartbeat",
                    matchers: ['alertname="Watchdog"'],
                    group_wait: "0s",
                    group_interval: HEARTBEAT_INTERVAL,
                    repeat_interval: HEARTBEAT_INTERVAL,
                },
                { receiver: "null", matchers: ['alertname="InfoInhibitor"'] },
                { receiver: "null", matchers: ['severity="info"'] },
            ],
        },
        inhibit_rules: CHART_INHIBIT_RULES,
        receivers: [
            { name: "null" },
            {
                name: "heartbeat",
                sns_configs: [
                    {
                        topic_arn: topics.heartbeatTopicArn,
                        sigv4: { region },
                        send_resolved: false,
                        subject: "Watchdog {{ .CommonLabels.cluster }}",
                        message: "Alertmanager is running and Prometheus' alerting pipeline works.",
                    },
                ],
            },
            {
                name: "sns",
                sns_configs: [
                    {
                        topic_arn: topics.alertTopicArn,
                        sigv4: { region },
                        send_resolved: true,
                        subject:
                            "[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} {{ .CommonLabels.service }}",
                        message:
                            "{{ range .Alerts }}{{ .Annotations.summary }}\n{{ .Annotations.description }}\n{{ end }}",
                    },
                ],
            },
        ],
    };
}
