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

/** CPU and memory of one container, as Kubernetes quantities. */
export interface ResourceAmounts {
    cpu: string;
    memory: string;
}

export interface ServiceEntry {
    /** Requests and limits of the service's container (SERVICES.md, old deployment's sizing). */
    resources: { requests: ResourceAmounts; limits: ResourceAmounts };
    /** Kubernetes service account the pods run as (one per service). */
    serviceAccount: string;
    /** AWS access, on named resources of the stack; empty for a service that needs none. */
    aws: readonly AccessGrant[];
}

export const CATALOGUE: Record<ServiceName, ServiceEntry> = {
    "gateway-api": {
        resources: { requests: { cpu: "700m", memory: "512Mi" }, limits: { cpu: "1200m", memory: "1Gi" } },
        serviceAccount: "gateway-api",
        aws: [
            { kind: "dynamodb", tables: ["users"], access: "read" },
            { kind: "redisAuthSecret", access: "read" },
        ],
    },
    "reservation-api": {
        resources: { requests: { cpu: "100m", memory: "768Mi" }, limits: { cpu: "800m", memory: "1Gi" } },
        serviceAccount: "reservation-api",
        aws: [
            { kind: "dynamodb", tables: ["reservations", "orders", "idempotency", "outbox"], access: "readWrite" },
            { kind: "eventBus", access: "publish" },
            { kind: "scheduler", access: "manage" },
        ],
    },
    "inventory-api": {
        resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1000m", memory: "512Mi" } },
        serviceAccount: "inventory-api",
        aws: [{ kind: "dynamodb", tables: ["tickets", "idempotency"], access: "readWrite" }],
    },
    "payment-sim-api": {
        resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1000m", memory: "512Mi" } },
        serviceAccount: "payment-sim-api",
        aws: [
            { kind: "eventBus", access: "publish" },
            { kind: "sqs", queue: "payment-webhooks", access: "produce" },
        ],
    },
    "reservation-worker": {
        resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1000m", memory: "512Mi" } },
        serviceAccount: "reservation-worker",
        aws: [{ kind: "sqs", queue: "reservation-events", access: "consume" }],
    },
};
