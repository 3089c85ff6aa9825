/** The controller's policy: the CloudWatch provider of an analysis reads metrics. */
import { CLOUDWATCH_READ_ACTIONS } from "../../../../vocabulary/iam";
import type { Statement } from "../../../aws/access";

/** Read CloudWatch metrics: classic metrics (AWS/SQS) have no resource ARN to scope to (CLOUDWATCH_READ_ACTIONS). */
export const metricsReadStatements = (): Statement[] => [
    {
        Sid: "ReadCloudWatchMetrics",
        Effect: "Allow",
        Action: [...CLOUDWATCH_READ_ACTIONS],
        Resource: "*",
    },
];
