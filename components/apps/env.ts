/**
 * The environment each service reads, by exactly the names its code reads at the revision its
 * catalogue entry names (the comments name the file): wired from the stack's outputs, with
 * secrets by reference only.
 */
import * as pulumi from "@pulumi/pulumi";
import type { TableName } from "../aws/data";
import type { QueueName } from "../aws/messaging";
import type { StackConfig } from "../config";
import { OTEL_COLLECTOR } from "../k8s/addons/tracing/facts";
import { memoryBytes } from "../k8s/quantity";
import { addressOf, CATALOGUE, portOf, ServiceName } from "./catalogue";

/**
 * How the worker reads its queue: concurrent receivers per pod, each long-polling; and how often
 * KEDA asks the queue's depth (the ScaledObject's pollingInterval). The plan prices the
 * idle requests these make.
 */
export const WORKER_QUEUE = { concurrency: 20, longPollSeconds: 20, kedaPollingSeconds: 30 } as const;

/** The collector's OTLP port for a protocol. */
export const otlpPort = (protocol: "http" | "grpc"): number =>
    protocol === "http" ? OTEL_COLLECTOR.httpPort : OTEL_COLLECTOR.grpcPort;

/** The collector's OTLP/HTTP endpoint as the OpenTelemetry SDKs take it (a URL). */
export const OTLP_HTTP_ENDPOINT = `http://${OTEL_COLLECTOR.host}:${OTEL_COLLECTOR.httpPort}`;
/** The collector's OTLP/gRPC endpoint as inventory-api passes it to otlptracegrpc.WithEndpoint: host:port, no scheme. */
export const OTLP_GRPC_HOST_PORT = `${OTEL_COLLECTOR.host}:${OTEL_COLLECTOR.grpcPort}`;

/** The flag reservation-api's image sets in JAVA_OPTS (its Dockerfile); a JAVA_OPTS without it drops the tracer. */
export const RESERVATION_API_JAVA_AGENT = "-javaagent:/app/opentelemetry-javaagent.jar";

/**
 * The OTLP protocol a service exports its spans over in this stack: none where its code has no
 * tracing or where the stack switches the tracing add-on (the collector) off.
 */
export function tracingProtocol(
    service: ServiceName,
    config: Pick<StackConfig, "addons">,
): "http" | "grpc" | undefined {
    const tracing = CATALOGUE[service].tracing;
    return config.addons.enabled.tracing && tracing.protocol !== "none" ? tracing.protocol : undefined;
}

/** Head sampling as a ratio (0-1], the form gateway-api's and the Java agent's samplers read. */
const headSampleRatio = (config: StackConfig): string =>
    String(config.observability.tracing.headSamplePercent / 100);

/** gateway-api's tracing (envconfig's OBSERVABILITY_ prefix, internal/config/config.go; it ignores OTEL_EXPORTER_OTLP_ENDPOINT). */
function gatewayApiTracing(config: StackConfig): Env {
    return tracingProtocol("gateway-api", config)
        ? {
              OBSERVABILITY_OTLP_ENDPOINT: OTLP_HTTP_ENDPOINT,
              OBSERVABILITY_SAMPLE_RATE: headSampleRatio(config),
          }
        : // TRACING_ENABLED defaults to true; false skips the exporter (internal/middleware/tracing.go at 30f93b15).
          { OBSERVABILITY_TRACING_ENABLED: "false" };
}

/**
 * The OpenTelemetry Java agent's settings: traces only (metrics are scraped, logs go through
 * Fluent Bit), sampled at the head share unless the caller already decided; without the
 * collector no trace exporter (`none`, the SDK's environment configuration).
 */
function javaAgentTracing(service: ServiceName, config: StackConfig): Env {
    const off = { OTEL_SERVICE_NAME: service, OTEL_METRICS_EXPORTER: "none", OTEL_LOGS_EXPORTER: "none" };
    return tracingProtocol(service, config)
        ? {
              ...off,
              OTEL_EXPORTER_OTLP_ENDPOINT: OTLP_HTTP_ENDPOINT,
              OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
              OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
              OTEL_TRACES_SAMPLER_ARG: headSampleRatio(config),
          }
        : { ...off, OTEL_TRACES_EXPORTER: "none" };
}

/** Spring Boot properties turning on histogram buckets for the HTTP and gRPC server timers of reservation-api. */
export const SPRING_HISTOGRAMS = {
    "management.metrics.distribution.percentiles-histogram.http.server.requests": true,
    "management.metrics.distribution.percentiles-histogram.grpc.server.processing.duration": true,
    // Micrometer's OTLP registry would push the same metrics to the collector, which drops them: Prometheus scrapes them.
    "management.otlp.metrics.export.enabled": false,
} as const;

/** Secrets the chart references by name (created by the program from secret config). */
export const SECRET_REFS = {
    jwt: { secretName: "gateway-api-jwt", key: "jwt-secret" },
    webhook: { secretName: "payment-sim-api-webhook", key: "webhook-secret" },
} as const;

/** Stack outputs the services' environment is wired from. */
export interface ServiceWiring {
    tableNames: Record<TableName, pulumi.Input<string>>;
    queueUrls: Record<QueueName, pulumi.Input<string>>;
    /** Queue names (CloudWatch's QueueName dimension, which the worker's canary analysis reads). */
    queueNames: Record<QueueName, pulumi.Input<string>>;
    eventBusName: pulumi.Input<string>;
    scheduleGroupName: pulumi.Input<string>;
    redisEndpoint: pulumi.Input<string>;
    redisPort: number;
    redisSecretName: pulumi.Input<string>;
    /** Public subnets: where the load balancer's traffic comes from. */
    publicSubnetCidrs: string[];
    /** Private subnets: where Redis lives. */
    privateSubnetCidrs: string[];
}

type Env = Record<string, pulumi.Input<string>>;

/** GOMEMLIMIT at 90% of the container's memory limit, so the Go GC works before the OOM killer does. */
function goMemLimit(service: ServiceName): string {
    return `${Math.floor((memoryBytes(CATALOGUE[service].resources.limits.memory) * 0.9) / 2 ** 20)}MiB`;
}

/** The environment each service reads, by exactly the names its code reads. */
export function serviceEnv(service: ServiceName, config: StackConfig, w: ServiceWiring): Env {
    const aws = { AWS_REGION: config.region };
    switch (service) {
        case "gateway-api":
            return {
                ...aws,
                REDIS_ADDRESS: pulumi.interpolate`${w.redisEndpoint}:${w.redisPort}`,
                REDIS_TLS_ENABLED: "true",
                // The AUTH token is read from AWS_SECRET_NAME only when this is true (internal/middleware/redis.go).
                REDIS_PASSWORD_FROM_SECRETS: "true",
                AWS_SECRET_NAME: w.redisSecretName,
                BACKEND_RESERVATION_API_GRPC_ADDRESS: addressOf("reservation-api", "grpc"),
                BACKEND_PAYMENT_API_GRPC_ADDRESS: addressOf("payment-sim-api", "grpc"),
                DYNAMODB_USERS_TABLE_NAME: w.tableNames.users,
                RATE_LIMIT_RPS: String(config.performanceProfile.rateLimit.rpsPerClient),
                RATE_LIMIT_BURST: String(config.performanceProfile.rateLimit.burst),
                ...gatewayApiTracing(config),
                GOMEMLIMIT: goMemLimit(service),
            };
        case "reservation-api":
            return {
                ...aws,
                // The one profile whose properties bind the variables below (src/main/resources/
                // application-prod.properties); under any other the tables, bus and inventory address fall
                // back to application.properties' local defaults. Not the stack's name: there is no -dev file.
                SPRING_PROFILES_ACTIVE: "prod",
                GRPC_INVENTORY_ADDRESS: addressOf("inventory-api", "grpc"),
                DYNAMODB_TABLE_RESERVATIONS: w.tableNames.reservations,
                DYNAMODB_TABLE_ORDERS: w.tableNames.orders,
                DYNAMODB_TABLE_IDEMPOTENCY: w.tableNames.idempotency,
                DYNAMODB_TABLE_OUTBOX: w.tableNames.outbox,
                EVENTBRIDGE_BUS_NAME: w.eventBusName,
                EVENTBRIDGE_SCHEDULER_GROUP: w.scheduleGroupName,
                // The image's own JAVA_OPTS (its Dockerfile) attaches the OpenTelemetry agent: keep it.
                JAVA_OPTS: `${RESERVATION_API_JAVA_AGENT} -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=100 -XX:+ExitOnOutOfMemoryError`,
                // Histogram buckets for the latency alert: Micrometer's timers publish none by default.
                SPRING_APPLICATION_JSON: JSON.stringify(SPRING_HISTOGRAMS),
                ...javaAgentTracing(service, config),
            };
        case "inventory-api":
            return {
                ...aws,
                GRPC_PORT: String(portOf("inventory-api", "grpc")),
                // internal/config/config.go. The quantity table is keyed on event_id (internal/repo/dynamodb.go),
                // as ticket-events is; the seat table (event_seat_id) is read only with INVENTORY_MODE=seat.
                DYNAMODB_TABLE_INVENTORY: w.tableNames["ticket-events"],
                DYNAMODB_TABLE_SEATS: w.tableNames.tickets,
                DYNAMODB_TABLE_IDEMPOTENCY: w.tableNames.idempotency,
                // Its code has no switch: without the collector the variable is left out (its exporter's sends then fail).
                ...(tracingProtocol(service, config)
                    ? { OTEL_EXPORTER_OTLP_ENDPOINT: OTLP_GRPC_HOST_PORT }
                    : {}),
                GOMEMLIMIT: goMemLimit(service),
            };
        case "payment-sim-api":
            return {
                ...aws,
                GRPC_PORT: String(portOf("payment-sim-api", "grpc")),
                EVENT_BUS_NAME: w.eventBusName,
                // Its only use (cmd/payment-sim-api/main.go): zap's JSON encoder instead of the coloured console one.
                ENVIRONMENT: "production",
                PAYMENT_WEBHOOK_QUEUE_URL: w.queueUrls["payment-webhooks"],
                GOMEMLIMIT: goMemLimit(service),
            };
        case "reservation-worker":
            return {
                ...aws,
                SQS_QUEUE_URL: w.queueUrls["reservation-events"],
                SQS_WAIT_TIME: String(WORKER_QUEUE.longPollSeconds),
                WORKER_CONCURRENCY: String(WORKER_QUEUE.concurrency),
                MAX_RETRIES: String(config.messaging.reservationEvents.maxReceiveCount),
                INVENTORY_GRPC_ADDR: addressOf("inventory-api", "grpc"),
                RESERVATION_API_BASE: `http://${addressOf("reservation-api", "http")}`,
                GOMEMLIMIT: goMemLimit(service),
            };
    }
}

/** Environment from Secrets, by reference only. */
export function serviceSecretEnv(service: ServiceName, config: StackConfig) {
    if (service === "gateway-api") {
        return [{ name: "JWT_SECRET", ...SECRET_REFS.jwt, optional: false }];
    }
    if (service === "payment-sim-api" && config.secrets.paymentWebhookSecret) {
        return [{ name: "WEBHOOK_SECRET", ...SECRET_REFS.webhook, optional: true }];
    }
    return [];
}
