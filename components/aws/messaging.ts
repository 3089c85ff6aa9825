import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { MessagingConfig, ProtectionConfig, Tags } from "../config";
import { type CostTags, costTags } from "../tags";
import { accountIdOf } from "./account";
import { createServiceRole, type ServiceRole } from "./service-role";

/** Retention of every dead-letter queue, in days: the SQS maximum, longer than any source queue's. */
export const DLQ_RETENTION_DAYS = 14;

/** The platform's queues, by logical name. */
export const QUEUES = ["reservation-events", "payment-webhooks"] as const;
export type QueueName = (typeof QUEUES)[number];

/** Event types the bus routes to the reservation-events queue. */
export const ROUTED_EVENT_TYPES = ["reservation.expired", "payment.approved", "payment.failed"] as const;

/** A queue with its dead-letter queue. */
export interface QueueOutputs {
    name: pulumi.Output<string>;
    url: pulumi.Output<string>;
    arn: pulumi.Output<string>;
    dlqUrl: pulumi.Output<string>;
    dlqArn: pulumi.Output<string>;
}

export interface MessagingArgs {
    /** Prefix of every resource name, e.g. `traffic-tacos-dev`. */
    prefix: string;
    /** Queue settings. */
    messaging: MessagingConfig;
    /** Protection of the queues against deletion. */
    protection: ProtectionConfig;
    /** Base cost tags of the stack. */
    tags: Tags;
}

const settingsKey: Record<QueueName, keyof MessagingConfig> = {
    "reservation-events": "reservationEvents",
    "payment-webhooks": "paymentWebhooks",
};

/** A statement that denies every SQS action over plain HTTP. */
export function denyInsecureTransport(queueArn: pulumi.Input<string>) {
    return {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "sqs:*",
        Resource: queueArn,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
}

/**
 * SQS queues with dead-letter queues and redrive, encrypted at rest (SSE-SQS) and reachable
 * only over TLS; an EventBridge bus whose rule routes reservation and payment outcomes to
 * `reservation-events`; and the `reservation-expiry` scheduler group with the role its schedules
 * run as (allowed only to put events on the bus).
 */
export class Messaging extends pulumi.ComponentResource {
    public readonly queues: Record<QueueName, QueueOutputs>;
    public readonly eventBusName: pulumi.Output<string>;
    public readonly eventBusArn: pulumi.Output<string>;
    public readonly scheduleGroupName: pulumi.Output<string>;
    public readonly scheduleGroupArn: pulumi.Output<string>;
    /** Role that the reservation-expiry schedules assume; reservation-api may pass it. */
    public readonly schedulerRoleArn: pulumi.Output<string>;

    constructor(name: string, args: MessagingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tacos:aws:Messaging", name, {}, opts);
        const tags = costTags(args.tags, { component: "messaging" });

        const bus = new aws.cloudwatch.EventBus(
            `${name}-bus`,
            { name: `${args.prefix}-reservation-events`, tags },
            { parent: this, protect: args.protection.protectStatefulResources },
        );
        this.eventBusName = bus.name;
        this.eventBusArn = bus.arn;
        const rule = new aws.cloudwatch.EventRule(
            `${name}-to-reservation-events`,
            {
                eventBusName: bus.name,
                description: "Routes reservation and payment outcomes to the reservation-events queue",
                eventPattern: JSON.stringify({ "detail-type": [...ROUTED_EVENT_TYPES] }),
                tags,
            },
            { parent: this },
        );

        const queues = {} as Record<QueueName, QueueOutputs>;
        for (const queue of QUEUES) {
            queues[queue] = this.createQueue(name, queue, args, rule, tags);
        }
        this.queues = queues;

        new aws.cloudwatch.EventTarget(
            `${name}-to-reservation-events`,
            {
                eventBusName: bus.name,
                rule: rule.name,
                arn: queues["reservation-events"].arn,
                retryPolicy: { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 86400 },
            },
            { parent: this },
        );

        const { group, scheduler } = this.createExpiryScheduling(name, args.prefix, bus, tags);
        this.scheduleGroupName = group.name;
        this.scheduleGroupArn = group.arn;
        this.schedulerRoleArn = scheduler.role.arn;

        this.registerOutputs({
            queues: this.queues,
            eventBusName: this.eventBusName,
            eventBusArn: this.eventBusArn,
            scheduleGroupName: this.scheduleGroupName,
            schedulerRoleArn: this.schedulerRoleArn,
            scheduleGroupArn: this.scheduleGroupArn,
        });
    }

    /**
     * One queue with its dead-letter queue, redrive between them and both policies; the bus's `rule`
     * may send to `reservation-events`.
     */
    private createQueue(
        name: string,
        queue: QueueName,
        args: MessagingArgs,
        rule: aws.cloudwatch.EventRule,
        tags: CostTags,
    ): QueueOutputs {
        const settings = args.messaging[settingsKey[queue]];
        const stateful = { parent: this, protect: args.protection.protectStatefulResources };
        const queueTags = { ...tags, Queue: queue };
        // A message's age in a standard queue's DLQ counts from its first enqueue (SQS developer
        // guide), so the DLQ keeps messages longer than its source: the SQS maximum.
        const dlq = new aws.sqs.Queue(
            `${name}-${queue}-dlq`,
            {
                name: `${args.prefix}-${queue}-dlq`,
                messageRetentionSeconds: DLQ_RETENTION_DAYS * 86400,
                sqsManagedSseEnabled: true,
                tags: queueTags,
            },
            stateful,
        );
        const main = new aws.sqs.Queue(
            `${name}-${queue}`,
            {
                name: `${args.prefix}-${queue}`,
                visibilityTimeoutSeconds: settings.visibilityTimeoutSeconds,
                messageRetentionSeconds: settings.retentionDays * 86400,
                receiveWaitTimeSeconds: 20,
                sqsManagedSseEnabled: true,
                redrivePolicy: pulumi.jsonStringify({
                    deadLetterTargetArn: dlq.arn,
                    maxReceiveCount: settings.maxReceiveCount,
                }),
                tags: queueTags,
            },
            stateful,
        );
        this.createDeadLetterQueuePolicies(name, queue, dlq, main);
        this.createQueuePolicy(name, queue, main, rule);
        return { name: main.name, url: main.url, arn: main.arn, dlqUrl: dlq.url, dlqArn: dlq.arn };
    }

    /** The dead-letter queue's policies: only its source queue may redrive to it, and only over TLS. */
    private createDeadLetterQueuePolicies(
        name: string,
        queue: QueueName,
        dlq: aws.sqs.Queue,
        main: aws.sqs.Queue,
    ): void {
        new aws.sqs.RedriveAllowPolicy(
            `${name}-${queue}-dlq`,
            {
                queueUrl: dlq.url,
                redriveAllowPolicy: pulumi.jsonStringify({
                    redrivePermission: "byQueue",
                    sourceQueueArns: [main.arn],
                }),
            },
            { parent: this },
        );
        new aws.sqs.QueuePolicy(
            `${name}-${queue}-dlq`,
            {
                queueUrl: dlq.url,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [denyInsecureTransport(dlq.arn)],
                }),
            },
            { parent: this },
        );
    }

    /** A queue's policy: TLS only, and for `reservation-events`, messages from the bus's `rule`. */
    private createQueuePolicy(
        name: string,
        queue: QueueName,
        main: aws.sqs.Queue,
        rule: aws.cloudwatch.EventRule,
    ): void {
        const statements: object[] = [denyInsecureTransport(main.arn)];
        if (queue === "reservation-events") {
            statements.push({
                Sid: "AllowEventBridgeRule",
                Effect: "Allow",
                Principal: { Service: "events.amazonaws.com" },
                Action: "sqs:SendMessage",
                Resource: main.arn,
                Condition: { ArnEquals: { "aws:SourceArn": rule.arn } },
            });
        }
        new aws.sqs.QueuePolicy(
            `${name}-${queue}`,
            {
                queueUrl: main.url,
                policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements }),
            },
            { parent: this },
        );
    }

    /** The `reservation-expiry` scheduler group, and the role its schedules run as (put events on `bus`). */
    private createExpiryScheduling(
        name: string,
        prefix: string,
        bus: aws.cloudwatch.EventBus,
        tags: CostTags,
    ): { group: aws.scheduler.ScheduleGroup; scheduler: ServiceRole } {
        const group = new aws.scheduler.ScheduleGroup(
            `${name}-reservation-expiry`,
            { name: `${prefix}-reservation-expiry`, tags },
            { parent: this },
        );
        const scheduler = createServiceRole(
            `${name}-scheduler`,
            {
                service: "scheduler.amazonaws.com",
                conditions: { StringEquals: { "aws:SourceAccount": bus.arn.apply(accountIdOf) } },
                description:
                    "Role the reservation-expiry schedules run as: put events on the reservation bus",
                inlinePolicy: {
                    name: `${name}-scheduler`,
                    statements: [
                        {
                            Sid: "PutReservationEvents",
                            Effect: "Allow",
                            Action: "events:PutEvents",
                            Resource: bus.arn,
                        },
                    ],
                },
                tags,
            },
            this,
        );
        return { group, scheduler };
    }
}
