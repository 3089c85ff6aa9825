/**
 * The catalogue of the five Traffic Tacos services: the one place each service is described.
 * Facts come from ../shared/SERVICES.md (read from the services' own code). Identities, and
 * later the chart values and network policies, are derived from these entries.
 */
import type { AccessGrant } from "../aws/access";

/** Namespace of every application service. */
export const APP_NAMESPACE = "tacos";

export const SERVICE_NAMES = ["gateway-api", "reservation-api", "inventory-api", "payment-sim-api", "reservation-worker"] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface ServiceEntry {
    /** Kubernetes service account the pods run as (one per service). */
    serviceAccount: string;
    /** AWS access, on named resources of the stack; empty for a service that needs none. */
    aws: readonly AccessGrant[];
}

export const CATALOGUE: Record<ServiceName, ServiceEntry> = {
    "gateway-api": {
        serviceAccount: "gateway-api",
        aws: [
            { kind: "dynamodb", tables: ["users"], access: "read" },
            { kind: "redisAuthSecret", access: "read" },
        ],
    },
    "reservation-api": {
        serviceAccount: "reservation-api",
        aws: [
            { kind: "dynamodb", tables: ["reservations", "orders", "idempotency", "outbox"], access: "readWrite" },
            { kind: "eventBus", access: "publish" },
            { kind: "scheduler", access: "manage" },
        ],
    },
    "inventory-api": {
        serviceAccount: "inventory-api",
        aws: [{ kind: "dynamodb", tables: ["tickets", "idempotency"], access: "readWrite" }],
    },
    "payment-sim-api": {
        serviceAccount: "payment-sim-api",
        aws: [
            { kind: "eventBus", access: "publish" },
            { kind: "sqs", queue: "payment-webhooks", access: "produce" },
        ],
    },
    "reservation-worker": {
        serviceAccount: "reservation-worker",
        aws: [{ kind: "sqs", queue: "reservation-events", access: "consume" }],
    },
};
