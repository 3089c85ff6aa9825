/** Alertmanager's policy: publish to the alert and heartbeat topics, encrypting with their key through SNS only. */
import type { AwsScope, Statement } from "../../../aws/access";
import type { AlertingAwsFacts } from "./facts";

/** Publish to `alerting`'s two topics, encrypting with their key (Alertmanager's SNS receivers). */
export const alertPublishStatements = (t: AwsScope, alerting: AlertingAwsFacts): Statement[] => [
    {
        Sid: "PublishAlerts",
        Effect: "Allow",
        Action: ["sns:Publish"],
        Resource: [alerting.alertTopicArn, alerting.heartbeatTopicArn],
    },
    {
        Sid: "EncryptAlertsViaSns",
        Effect: "Allow",
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: [alerting.keyArn],
        Condition: { StringEquals: { "kms:ViaService": `sns.${t.region}.amazonaws.com` } },
    },
];
