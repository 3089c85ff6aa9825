/** The policies of the observability key and the alert topic: who may use them, from where. */

/** The services that publish to the alert topic themselves (Alertmanager publishes with its own role). */
export const ALERT_PUBLISHERS = [
    "cloudwatch.amazonaws.com",
    "budgets.amazonaws.com",
    "costalerts.amazonaws.com",
] as const;

/**
 * The observability key's policy: the account administers it (IAM policies grant its use to
 * Alertmanager, Fluent Bit's log groups and the EBS CSI driver); CloudWatch Logs uses it for the log
 * groups `logGroupNames` matches (this stack's container log groups) only; the services that publish to the alert topic may use it for
 * the topic's messages, from this account only.
 */
export function observabilityKeyPolicy(accountId: string, region: string, logGroupNames: string): object {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AccountAdministers",
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${accountId}:root` },
                Action: "kms:*",
                Resource: "*",
            },
            {
                Sid: "CloudWatchLogsForContainerLogGroups",
                Effect: "Allow",
                Principal: { Service: `logs.${region}.amazonaws.com` },
                Action: [
                    "kms:Encrypt*",
                    "kms:Decrypt*",
                    "kms:ReEncrypt*",
                    "kms:GenerateDataKey*",
                    "kms:Describe*",
                ],
                Resource: "*",
                Condition: {
                    ArnLike: {
                        "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${region}:${accountId}:log-group:${logGroupNames}`,
                    },
                },
            },
            // As AWS documents it for CloudWatch, Budgets and Cost Anomaly Detection: no condition (a wrong one
            // drops alerts silently); the topic's policy is where the source is checked.
            {
                Sid: "AlertPublishersEncryptMessages",
                Effect: "Allow",
                Principal: { Service: [...ALERT_PUBLISHERS] },
                Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
                Resource: "*",
            },
        ],
    };
}

/**
 * The alert topic's policy: CloudWatch alarms and budgets of this account (by source ARN), Cost
 * Anomaly Detection from this account; nothing over plain HTTP. Alertmanager publishes with its
 * role's IAM policy.
 */
export function alertTopicPolicy(topicArn: string, accountId: string, region: string): object {
    const publisher = (sid: string, service: string, sourceArn?: string) => ({
        Sid: sid,
        Effect: "Allow",
        Principal: { Service: service },
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: {
            StringEquals: { "aws:SourceAccount": accountId },
            ...(sourceArn ? { ArnLike: { "aws:SourceArn": sourceArn } } : {}),
        },
    });
    return {
        Version: "2012-10-17",
        Statement: [
            publisher(
                "CloudWatchAlarms",
                "cloudwatch.amazonaws.com",
                `arn:aws:cloudwatch:${region}:${accountId}:alarm:*`,
            ),
            publisher("Budgets", "budgets.amazonaws.com", `arn:aws:budgets::${accountId}:*`),
            publisher("CostAnomalyDetection", "costalerts.amazonaws.com"),
            denyInsecurePublish(topicArn),
        ],
    };
}

/** The statement of a topic's policy that refuses any publish over plain HTTP. */
export const denyInsecurePublish = (topicArn: string): object => ({
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "sns:Publish",
    Resource: topicArn,
    Condition: { Bool: { "aws:SecureTransport": "false" } },
});
