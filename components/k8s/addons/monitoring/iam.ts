/** Alertmanager's policy: publish to the alert topic, encrypting with its key through SNS only. */
import type { AwsScope, Statement } from "../../../aws/access";
import type { AlertingAwsFacts } from "./facts";

/** Publish to `alerting`'s topic, encrypting with its key (Alertmanager's SNS receiver). */
export const alertPublishStatements = (t: AwsScope, alerting: AlertingAwsFacts): Statement[] => [
    {
        Sid: "PublishAlerts",
        Effect: "Allow",
        Action: ["sns:Publish"],
        Resource: [alerting.alertTopicArn],
    },
    {
        Sid: "EncryptAlertsViaSns",
        Effect: "Allow",
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: [alerting.keyArn],
        Condition: { StringEquals: { "kms:ViaService": `sns.${t.region}.amazonaws.com` } },
    },
];
