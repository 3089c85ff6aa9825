/**
 * The stack schema's observability section: Prometheus, alert thresholds and where alerts go,
 * the container logs' retention and the spend guards (budget, anomaly detection).
 */
import { z } from "zod";
import { hostname, logRetention } from "./fields";
import { int } from "../../vocabulary/schema-fields";

const percentList = (defaults: number[], what: string) =>
    z
        .array(int(1, 1000))
        .min(1, "must list at least one threshold")
        .refine((list) => new Set(list).size === list.length, { message: "must not repeat a threshold" })
        .default(defaults)
        .describe(what);

const subscriptionSchema = z.discriminatedUnion("protocol", [
    z.strictObject({
        protocol: z.literal("email"),
        endpoint: z
            .string()
            .regex(/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i, "must be an email address")
            .describe("Address (AWS sends a confirmation first)."),
    }),
    z.strictObject({
        protocol: z.literal("https"),
        endpoint: z
            .string()
            .regex(/^https:\/\/\S+$/, "must be an https URL")
            .describe("Webhook URL (a chat or paging integration; AWS sends a confirmation first)."),
    }),
]);

export const observabilitySchema = z.strictObject({
    prometheus: z
        .strictObject({
            retentionDays: int(1, 90).default(15).describe("Days of metrics Prometheus keeps."),
            volumeGiB: int(10, 2000)
                .default(50)
                .describe(
                    "Size of each Prometheus replica's encrypted gp3 volume; retention by size stops at 85% of it.",
                ),
            scrapeIntervalSeconds: int(10, 120)
                .default(30)
                .describe("How often Prometheus scrapes every target."),
        })
        .prefault({})
        .describe("Prometheus (kube-prometheus-stack)."),
    alerts: z
        .strictObject({
            subscriptions: z
                .array(subscriptionSchema)
                .default([])
                .describe("Who the alert topic notifies: email addresses or https webhooks."),
            errorRatioPercent: z
                .number()
                .gt(0)
                .max(100)
                .default(1)
                .describe("A service's 5xx share of its requests above which an alert fires."),
            atMaxMinutes: int(1, 120)
                .default(10)
                .describe("Minutes an autoscaler may sit at its maximum replicas before an alert fires."),
            backlogMessages: int(1, 1_000_000)
                .default(1000)
                .describe("reservation-events messages waiting above which an alert fires."),
            oldestMessageAgeSeconds: int(30, 1_209_600)
                .default(300)
                .describe("Age of reservation-events' oldest message above which an alert fires."),
            restartsPerHour: int(1, 100)
                .default(3)
                .describe("Container restarts in an hour above which an alert fires."),
        })
        .prefault({})
        .describe("Alert thresholds and the channel (an encrypted SNS topic)."),
    tracing: z
        .strictObject({
            headSamplePercent: z
                .number()
                .gt(0)
                .max(100)
                .default(10)
                .describe(
                    "Share of requests the services that let the platform choose (gateway-api, reservation-api) start a trace for; inventory-api samples every call it serves.",
                ),
            keepPercent: z
                .number()
                .gt(0)
                .max(100)
                .default(10)
                .describe(
                    "Share of the head-sampled traces that are neither errors nor slower than the PerformanceProfile's p95LatencyMs that tail sampling keeps. Tail sampling only sees the traces headSamplePercent started: it keeps every error and slow trace among those, so about headSamplePercent% of all errors reach X-Ray (the error metrics count them all).",
                ),
        })
        .prefault({})
        .describe("Traces: OpenTelemetry Collector to AWS X-Ray."),
    grafana: z
        .strictObject({
            hostname: hostname.describe(
                "Host name Grafana is served on through the Gateway's HTTPS listener (the certificate must cover it); its admin password is the secret config key grafanaAdminPassword.",
            ),
        })
        .describe("Grafana (dashboards as code)."),
    logs: z
        .strictObject({
            retentionDays: logRetention
                .default(30)
                .describe("Retention of the container log groups (one per namespace)."),
        })
        .prefault({})
        .describe("Container logs in CloudWatch Logs."),
    budget: z
        .strictObject({
            monthlyUsd: z
                .number()
                .positive()
                .describe("Monthly spend the stack is budgeted for (its Environment tag)."),
            forecastThresholdsPercent: percentList(
                [80, 100],
                "Percentages of the budget whose forecast crossing alerts.",
            ),
            actualThresholdsPercent: percentList(
                [100],
                "Percentages of the budget whose actual crossing alerts.",
            ),
        })
        .describe("AWS Budgets: one monthly cost budget for the stack."),
    costAnomaly: z
        .strictObject({
            thresholdUsd: z
                .number()
                .positive()
                .default(100)
                .describe("Impact in USD above which a cost anomaly is reported."),
        })
        .prefault({})
        .describe("Cost Anomaly Detection over the stack's tagged spend."),
    costAllocationTagActivation: z
        .enum(["stack", "payer"])
        .describe(
            "Who activates the cost tags as cost allocation tags, without which AWS Billing ignores them and the budget and anomaly monitor (which filter on Environment) never fire. `stack`: this stack does, in a standalone account or an organisation's management account (AWS lets no member account do it); kept active when the stack is destroyed, since other stacks of the account use them. `payer`: the organisation's management account does; `npm run cost-tags -- --stack <name>`, run with its credentials, reports each key not yet active and the command that activates it.",
        ),
});

export type ObservabilityConfig = z.output<typeof observabilitySchema>;
