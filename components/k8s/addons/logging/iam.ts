/** Fluent Bit's policy: write streams of the container log groups. */
import * as pulumi from "@pulumi/pulumi";
import type { AwsScope, Statement } from "../../../aws/access";

/**
 * Both actions act on the log-stream resource type (Service Authorization Reference, CloudWatch
 * Logs); the groups under `prefix` exist (the AWS layer makes them), so no CreateLogGroup.
 */
export const containerLogStatements = (t: AwsScope, prefix: string): Statement[] => [
    {
        Sid: "WriteContainerLogStreams",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: [
            pulumi.interpolate`arn:aws:logs:${t.region}:${t.accountId}:log-group:${prefix}/*:log-stream:*`,
        ],
    },
];
