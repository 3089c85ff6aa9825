/** Alertmanager's configuration: where every alert goes. */

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
 * Alertmanager's configuration: info alerts (context for other alerts, never a page), the
 * Watchdog (which always fires to prove the pipeline works) and the chart's InfoInhibitor go
 * nowhere; every other alert is grouped by name and service and sent to the SNS topic (with its
 * own Pod Identity through SigV4), resolved ones too.
 */
export function alertmanagerConfig(topicArn: string, region: string): Record<string, unknown> {
    return {
        global: { resolve_timeout: "5m" },
        route: {
            receiver: "sns",
            group_by: ["alertname", "namespace", "service"],
            group_wait: "30s",
            group_interval: "5m",
            repeat_interval: "4h",
            routes: [
                { receiver: "null", matchers: ['alertname=~"Watchdog|InfoInhibitor"'] },
                { receiver: "null", matchers: ['severity="info"'] },
            ],
        },
        inhibit_rules: CHART_INHIBIT_RULES,
        receivers: [
            { name: "null" },
            {
                name: "sns",
                sns_configs: [
                    {
                        topic_arn: topicArn,
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
