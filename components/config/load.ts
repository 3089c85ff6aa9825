/**
 * The stack schema's load section: the assumptions the plan prices the request-driven charges
 * from (DynamoDB request units, events and messages, NAT and endpoint bytes, ALB LCUs, log and
 * trace ingestion, data transfer out). The plan applies them to the PerformanceProfile's target
 * RPS and each service's shareOfTarget; none of them changes a resource. Each default says where
 * it comes from; a load test or a month's bill should replace it.
 */
import { z } from "zod";
import { int } from "../../vocabulary/schema-fields";

/** A non-negative amount per request, with its default and what it counts. */
const perRequest = (value: number, what: string) => z.number().min(0).max(1000).default(value).describe(what);

/** Request units one request of a service spends on one table (on-demand billing units). */
const tableUse = (reads: number, writes: number, why: string) =>
    z
        .strictObject({
            readUnits: perRequest(
                reads,
                "Read request units per request: 1 for a strongly consistent read of up to 4 KB, 0.5 eventually consistent, 2 transactional.",
            ),
            writeUnits: perRequest(
                writes,
                "Write request units per request: 1 for a write of up to 1 KB, 2 transactional.",
            ),
        })
        .prefault({})
        .describe(why);

/** Bytes of one request's log lines as CloudWatch Logs ingests them. */
const logBytes = (value: number, why: string) => int(0, 1_000_000).default(value).describe(why);

/** The tables each service reads and writes per request it serves (its catalogue grants), in request units. */
const dynamodbSchema = z
    .strictObject({
        "gateway-api": z
            .strictObject({
                users: tableUse(
                    0.1,
                    0,
                    "users: a request is authenticated by its JWT without a read; one in ten (a login, a profile) reads the user.",
                ),
            })
            .prefault({})
            .describe("The tables gateway-api uses, in request units per request it serves."),
        "reservation-api": z
            .strictObject({
                reservations: tableUse(
                    0.5,
                    1,
                    "reservations: half the requests read one (1 RRU), half write one in a transaction with its outbox event (2 WRU).",
                ),
                orders: tableUse(0.1, 0.2, "orders: one request in ten reads or writes an order."),
                idempotency: tableUse(
                    0.5,
                    0.5,
                    "idempotency: each write checks and records its idempotency key.",
                ),
                outbox: tableUse(
                    0,
                    1,
                    "outbox: the event written with each reservation write (2 WRU in the transaction, half the requests).",
                ),
            })
            .prefault({})
            .describe("The tables reservation-api uses, in request units per request it serves."),
        "inventory-api": z
            .strictObject({
                "ticket-events": tableUse(
                    1,
                    1,
                    "ticket-events (its DYNAMODB_TABLE_INVENTORY): each call reads the event's inventory and updates it conditionally.",
                ),
                tickets: tableUse(
                    0.5,
                    0.5,
                    "tickets (its DYNAMODB_TABLE_SEATS): half the calls (the holds and releases) read and write a seat.",
                ),
                idempotency: tableUse(
                    0.5,
                    0.5,
                    "idempotency: half the calls (the holds and releases) check and record their key.",
                ),
            })
            .prefault({})
            .describe("The tables inventory-api uses, in request units per request it serves."),
    })
    .prefault({})
    .describe(
        "DynamoDB request units per request a service serves, per table it may use (the catalogue's grants).",
    );

/** The load assumptions of the plan's cost model. */
export const loadSchema = z
    .strictObject({
        peakHoursPerMonth: int(0, 730)
            .default(150)
            .describe(
                "Hours a month the platform carries the PerformanceProfile's targetRps: the evening rush, 5 h a day for 30 days (prod's Karpenter peakWindow).",
            ),
        offPeakPercentOfTarget: z
            .number()
            .min(0)
            .max(100)
            .default(10)
            .describe(
                "The load of every other hour of the month, as a percentage of targetRps (ticket sales outside the rush).",
            ),
        dynamodb: dynamodbSchema,
        events: z
            .strictObject({
                "reservation-api": perRequest(
                    0.5,
                    "Events reservation-api puts on the bus per request: one per write (its outbox relay).",
                ),
                "payment-sim-api": perRequest(
                    1,
                    "Events payment-sim-api puts on the bus per request: its payment outcome.",
                ),
            })
            .prefault({})
            .describe("EventBridge custom events (64 KB chunks) per request."),
        scheduler: z
            .strictObject({
                apiCallsPerRequest: perRequest(
                    0.5,
                    "EventBridge Scheduler API calls per reservation-api request: a reservation's expiry schedule created on a write (its deletion counted among them).",
                ),
                invocationsPerRequest: perRequest(
                    0.1,
                    "Schedules that fire per reservation-api request: reservations left to expire.",
                ),
            })
            .prefault({})
            .describe("reservation-api's expiry schedules (EventBridge Scheduler)."),
        sqs: z
            .strictObject({
                paymentWebhooksPerRequest: perRequest(
                    1,
                    "Messages payment-sim-api sends to payment-webhooks per request.",
                ),
                requestsPerMessage: perRequest(
                    3,
                    "SQS requests per message (64 KB chunk): its send, the receive that takes it, its delete.",
                ),
            })
            .prefault({})
            .describe(
                "SQS under load; reservation-events carries the worker's share of the target (its messages per second).",
            ),
        awsApiCallBytes: int(100, 1_000_000)
            .default(3000)
            .describe(
                "Bytes on the wire per AWS API call a service makes (request, response, SigV4 headers, TLS records): what NAT or an interface endpoint processes.",
            ),
        logs: z
            .strictObject({
                bytesPerRequest: z
                    .strictObject({
                        "gateway-api": logBytes(
                            900,
                            "gateway-api: a JSON access line with Fluent Bit's Kubernetes metadata.",
                        ),
                        "reservation-api": logBytes(
                            700,
                            "reservation-api: Spring Boot's text lines with the metadata.",
                        ),
                        "inventory-api": logBytes(700, "inventory-api: a JSON line with the metadata."),
                        "payment-sim-api": logBytes(700, "payment-sim-api: a JSON line with the metadata."),
                        "reservation-worker": logBytes(
                            900,
                            "reservation-worker: per message, its JSON lines with the metadata.",
                        ),
                    })
                    .prefault({})
                    .describe(
                        "Bytes ingested per request (the worker: per message): the line of about 300 bytes plus about 500 of pod metadata Fluent Bit adds.",
                    ),
                controlPlaneGiBPerDay: z
                    .number()
                    .min(0)
                    .max(10_000)
                    .default(1)
                    .describe(
                        "GiB a day of the EKS control plane's logs (every log type is on; the audit log of the controllers' watches dominates).",
                    ),
                flowLogBytesPerRequest: int(0, 100_000)
                    .default(20)
                    .describe(
                        "Bytes of VPC flow log records per request (about 110 bytes a record, a record per flow, direction and minute; connections are reused), where flow logs are on.",
                    ),
            })
            .prefault({})
            .describe("CloudWatch Logs ingestion."),
        traces: z
            .strictObject({
                slowOrErrorPercent: z
                    .number()
                    .min(0)
                    .max(100)
                    .default(5)
                    .describe(
                        "Share of head-sampled traces that fail or are slower than p95LatencyMs, which tail sampling always keeps: 5% at the P95 objective.",
                    ),
                bytesPerTrace: int(100, 500_000)
                    .default(8192)
                    .describe("Bytes of one kept trace's segments sent to X-Ray (about ten spans)."),
                retrievedPercent: z
                    .number()
                    .min(0)
                    .max(10_000)
                    .default(1)
                    .describe("Traces retrieved or scanned (console, queries) per 100 recorded."),
            })
            .prefault({})
            .describe("Traces recorded in X-Ray (with tacos:observability.tracing's sampling)."),
        alb: z
            .strictObject({
                requestBytes: int(0, 10_000_000)
                    .default(800)
                    .describe("Bytes of a request the ALB processes (headers, body)."),
                responseBytes: int(0, 10_000_000)
                    .default(1500)
                    .describe("Bytes of a response (JSON), sent to the internet as data transfer out."),
                requestsPerConnection: z
                    .number()
                    .min(1)
                    .max(100_000)
                    .default(10)
                    .describe(
                        "Requests a client sends on one connection (HTTP keep-alive): new connections are requests / this.",
                    ),
                connectionSeconds: int(1, 4000)
                    .default(30)
                    .describe(
                        "Seconds a client connection stays open (active connections are new connections x this).",
                    ),
                rulesPerRequest: int(0, 100)
                    .default(5)
                    .describe("Listener rules evaluated per request; the first 10 are free."),
            })
            .prefault({})
            .describe("gateway-api's requests at the Application Load Balancer (LCUs)."),
    })
    .prefault({});

/** The load assumptions with their defaults applied. */
export type LoadConfig = z.output<typeof loadSchema>;
