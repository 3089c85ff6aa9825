/**
 * Building blocks of the stack schema: the values AWS accepts and the checked field types the sections share.
 */
import { z } from "zod";
import { isValidCidr } from "./cidr";

/** Regions this program (and its pricing table) supports. */
export const SUPPORTED_REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "ap-northeast-2"] as const;

/** Interface endpoints a stack may enable, by their service suffix (`com.amazonaws.<region>.<suffix>`). */
export const INTERFACE_ENDPOINT_SERVICES = [
    "ecr.api",
    "ecr.dkr",
    "sts",
    "sqs",
    "eks-auth",
    "logs",
    "secretsmanager",
    "events",
    "elasticloadbalancing",
    "ec2",
] as const;

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const cidr = z
    .string()
    .refine(isValidCidr, { message: "must be an IPv4 CIDR block such as 10.0.0.0/16" });
export const tagValue = z
    .string()
    .min(1, "must not be empty")
    .max(256, "must be at most 256 characters")
    .regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u, "may contain only letters, digits, spaces and _ . : / = + - @");
export const iamRoleArn = z
    .string()
    .regex(
        /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/,
        "must be an IAM role ARN: arn:aws:iam::<12-digit account>:role/<name>",
    );
export const hostname = z
    .string()
    .regex(
        /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
        "must be a fully qualified lower-case DNS name",
    );
export const acmCertificateArn = z
    .string()
    .regex(
        /^arn:aws(-[a-z]+)*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/,
        "must be an ACM certificate ARN",
    );
export const addonVersion = z
    .string()
    .regex(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/, "must be a pinned EKS add-on version such as v1.3.9-eksbuild.3");
export const logRetention = z.number().refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
    message: `must be one of the CloudWatch Logs retention periods: ${LOG_RETENTION_DAYS.join(", ")}`,
});
