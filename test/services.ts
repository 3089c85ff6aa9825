/**
 * What the tests hold the catalogue to, as read from each service's own code at one commit: the
 * environment each reads, the calls it makes, the port serving its health and metrics, and the
 * image tag of that commit.
 */
import type { ServiceName } from "../vocabulary/platform";

/** The environment names each service reads, as its code reads them (plus AWS_REGION for the SDKs). */
export const EXPECTED_ENV: Record<ServiceName, string[]> = {
    "gateway-api": [
        "REDIS_ADDRESS",
        "REDIS_TLS_ENABLED",
        "REDIS_PASSWORD_FROM_SECRETS",
        "AWS_SECRET_NAME",
        "BACKEND_RESERVATION_API_GRPC_ADDRESS",
        "BACKEND_PAYMENT_API_GRPC_ADDRESS",
        "DYNAMODB_USERS_TABLE_NAME",
        "RATE_LIMIT_RPS",
        "RATE_LIMIT_BURST",
        "OBSERVABILITY_OTLP_ENDPOINT",
        "OBSERVABILITY_SAMPLE_RATE",
        "GOMEMLIMIT",
        "AWS_REGION",
    ],
    "reservation-api": [
        "SPRING_PROFILES_ACTIVE",
        "GRPC_INVENTORY_ADDRESS",
        "DYNAMODB_TABLE_RESERVATIONS",
        "DYNAMODB_TABLE_ORDERS",
        "DYNAMODB_TABLE_IDEMPOTENCY",
        "DYNAMODB_TABLE_OUTBOX",
        "EVENTBRIDGE_BUS_NAME",
        "EVENTBRIDGE_SCHEDULER_GROUP",
        "JAVA_OPTS",
        "AWS_REGION",
        "SPRING_APPLICATION_JSON",
        "OTEL_SERVICE_NAME",
        "OTEL_EXPORTER_OTLP_ENDPOINT",
        "OTEL_EXPORTER_OTLP_PROTOCOL",
        "OTEL_TRACES_SAMPLER",
        "OTEL_TRACES_SAMPLER_ARG",
        "OTEL_METRICS_EXPORTER",
        "OTEL_LOGS_EXPORTER",
    ],
    "inventory-api": [
        "GRPC_PORT",
        "DYNAMODB_TABLE_INVENTORY",
        "DYNAMODB_TABLE_SEATS",
        "DYNAMODB_TABLE_IDEMPOTENCY",
        "OTEL_EXPORTER_OTLP_ENDPOINT",
        "GOMEMLIMIT",
        "AWS_REGION",
    ],
    "payment-sim-api": [
        "GRPC_PORT",
        "EVENT_BUS_NAME",
        "ENVIRONMENT",
        "PAYMENT_WEBHOOK_QUEUE_URL",
        "GOMEMLIMIT",
        "AWS_REGION",
    ],
    "reservation-worker": [
        "SQS_QUEUE_URL",
        "SQS_WAIT_TIME",
        "WORKER_CONCURRENCY",
        "MAX_RETRIES",
        "INVENTORY_GRPC_ADDR",
        "RESERVATION_API_BASE",
        "GOMEMLIMIT",
        "AWS_REGION",
    ],
};
/** The calls each service's code makes, as caller -> callee:port. */
export const EXPECTED_CALLS = [
    "gateway-api->reservation-api:8011",
    "gateway-api->payment-sim-api:8030",
    "reservation-api->inventory-api:8020",
    "reservation-worker->inventory-api:8020",
    "reservation-worker->reservation-api:8010",
].sort();
/** The HTTP port serving health and metrics, as each service's code listens. */
export const HEALTH_PORT: Record<ServiceName, number> = {
    "gateway-api": 8000,
    "reservation-api": 8010,
    "inventory-api": 8021,
    "payment-sim-api": 8031,
    "reservation-worker": 8040,
};
/** The commit of each service's repository the catalogue is read from. */
export const EXPECTED_REVISION: Record<ServiceName, string> = {
    "gateway-api": "30f93b15cc6ac69c8ceba2da09a8505e3d8242ff",
    "reservation-api": "b93b68cf3cccc88cb1ad2ee615c5297af94a4658",
    "inventory-api": "53b7c9124dc5a34e6bd5c119e0152d74f732dc0d",
    "payment-sim-api": "c247265c7a09e3fa320a994fea451c543fa23021",
    "reservation-worker": "8f69af34a22f1a5020196e37d6b374df5adb3944",
};
/** The image tag of that commit as each service's CI tags it (reservation-api's: the full SHA). */
export const EXPECTED_TAG: Record<ServiceName, string> = {
    "gateway-api": "30f93b1",
    "reservation-api": "b93b68cf3cccc88cb1ad2ee615c5297af94a4658",
    "inventory-api": "53b7c91",
    "payment-sim-api": "c247265",
    "reservation-worker": "8f69af3",
};
/** The user each image runs as (its Dockerfile). */
export const EXPECTED_RUN_AS_USER: Record<ServiceName, number> = {
    "gateway-api": 10001,
    "reservation-api": 1001,
    "inventory-api": 10001,
    "payment-sim-api": 1001,
    "reservation-worker": 1001,
};
