/** Alertmanager's configuration: where every alert goes. */

/**
 * Alertmanager's configuration: every alert grouped by name and service and sent to the SNS topic
 * (with its own Pod Identity through SigV4), resolved ones too; the Watchdog, which always fires
 * to prove the pipeline works, and the chart's InfoInhibitor go nowhere.
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
            routes: [{ receiver: "null", matchers: ['alertname=~"Watchdog|InfoInhibitor"'] }],
        },
        inhibit_rules: [
            {
                source_matchers: ['severity="critical"'],
                target_matchers: ['severity="warning"'],
                equal: ["alertname", "namespace", "service"],
            },
        ],
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
