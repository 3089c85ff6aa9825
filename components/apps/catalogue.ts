/**
 * The catalogue of the five Traffic Tacos services, the one place each is described, as read from
 * each service's own code (github.com/traffic-tacos/<service>) at the commit its entry's `revision`
 * names; the comments name the file each fact is read from. Ports, health endpoints, metrics,
 * calls, AWS use, sizing: everything else about a service derives from it.
 */
import type { AccessGrant } from "../aws/access";

import { APP_NAMESPACE, SERVICE_NAMES, ServiceName } from "../../vocabulary/platform";
import type { ResourceAmounts } from "../k8s/quota";

export { APP_NAMESPACE, SERVICE_NAMES };
export type { ServiceName };

export interface ServicePort {
    name: "http" | "grpc";
    port: number;
    appProtocol: "http" | "grpc";
}

/** A call this service makes to another service, on one of the callee's named ports. */
export interface ServiceCall {
    service: ServiceName;
    port: ServicePort["name"];
}

/** Dependencies outside the cluster that need an egress allow. */
export type ExternalDependency = "redis" | "aws";

/**
 * The Prometheus series a service exports that the platform alerts, scales and draws on, as its
 * code registers them: a request counter with a status label and a duration histogram (seconds)
 * for a request-serving service; processed and failed counters for the worker.
 */
export type ServiceMetrics =
    /** A counter of requests whose `statusLabel` matches `serverErrors` on a server-side failure, and a duration histogram in seconds. */
    | {
          kind: "requests";
          requests: { name: string; statusLabel: string; serverErrors: string };
          duration: string;
      }
    /** A counter of handled events whose `outcomeLabel` is `failed` on a failure, and a processing-duration histogram in seconds. */
    | { kind: "events"; events: { name: string; outcomeLabel: string; failed: string }; duration: string }
    /** The service registers no request metrics of its own (only the Go runtime's): nothing to alert or scale on. */
    | { kind: "none"; why: string };

/** gRPC status codes that are the server's fault (the rest are the caller's or normal outcomes). */
const GRPC_SERVER_ERRORS = [
    "Unknown",
    "Internal",
    "Unavailable",
    "DeadlineExceeded",
    "DataLoss",
    "Unimplemented",
];

export interface ServiceEntry {
    /** The commit (of its default branch) this entry is read from; the stack file tags its image (docs/first-deploy.md, step 6). */
    revision: string;
    /** Role in the system (the app.kubernetes.io/component label). */
    component: "edge" | "backend" | "worker";
    /** Container ports; HTTP health and metrics are served on the `http` port. */
    ports: ServicePort[];
    /**
     * Health checks. Readiness is an HTTP path on the `http` port. Liveness is an HTTP path too
     * where the service has one that does not fail with its dependencies; otherwise a TCP check
     * on a named port (a process that still accepts connections is alive).
     */
    probes: { liveness: string | { tcpPort: ServicePort["name"] }; readiness: string };
    /** Prometheus metrics path on the `http` port. */
    metricsPath: string;
    /** The series of its own that alerts, dashboards and the request-rate trigger read. */
    metrics: ServiceMetrics;
    /** In-cluster calls (they become NetworkPolicy allows and the delivery order). */
    calls: ServiceCall[];
    /** Out-of-cluster dependencies. */
    external: ExternalDependency[];
    /**
     * How its code sends traces to the OpenTelemetry Collector: OTLP over HTTP (4318) or gRPC
     * (4317); none where the code has no tracing. The environment that points it there is in
     * values.ts (serviceEnv), by the names each code reads.
     */
    tracing: { protocol: "http" | "grpc" } | { protocol: "none"; why: string };
    /** How it logs: JSON lines (Fluent Bit merges their fields), or Spring Boot's default text pattern (parsed by its parser). */
    logFormat: "json" | "spring-text";
    /** Path prefixes routed from the internet through the Gateway; only gateway-api has any. */
    exposedPaths?: string[];
    /** How the service scales: CPU and memory targets for an HPA, or SQS depth through KEDA. */
    scaling:
        | { kind: "hpa"; cpuUtilization: number; memoryUtilization: number; requestRate?: boolean }
        | { kind: "keda"; queue: "reservation-events"; queueLength: number };
    /** Requests and limits of the service's container (the old deployment's sizing). */
    resources: { requests: ResourceAmounts; limits: ResourceAmounts };
    /** Kubernetes service account the pods run as (one per service). */
    serviceAccount: string;
    /** Non-root user of the image. */
    runAsUser: number;
    /** AWS access, on named resources of the stack; empty for a service that needs none. */
    aws: readonly AccessGrant[];
}

const http = (port: number): ServicePort => ({ name: "http", port, appProtocol: "http" });
const grpc = (port: number): ServicePort => ({ name: "grpc", port, appProtocol: "grpc" });

export const CATALOGUE: Record<ServiceName, ServiceEntry> = {
    "gateway-api": {
        // main's head; its CI pushed traffic-tacos-gateway-api:30f93b1 (deployment-repo a42309b).
        revision: "30f93b15cc6ac69c8ceba2da09a8505e3d8242ff",
        component: "edge",
        ports: [http(8000)],
        probes: { liveness: "/healthz", readiness: "/readyz" },
        metricsPath: "/metrics",
        // internal/metrics/metrics.go: the /api/v1 routes only (health and metrics are not counted).
        metrics: {
            kind: "requests",
            requests: { name: "http_server_requests_total", statusLabel: "status_code", serverErrors: "5.." },
            duration: "http_server_requests_duration_seconds",
        },
        calls: [
            { service: "reservation-api", port: "grpc" },
            { service: "payment-sim-api", port: "grpc" },
        ],
        external: ["redis", "aws"],
        // internal/middleware/tracing.go: otlptracehttp to OBSERVABILITY_OTLP_ENDPOINT.
        tracing: { protocol: "http" },
        logFormat: "json",
        exposedPaths: ["/api/v1", "/healthz", "/readyz"],
        // CPU, memory and requests per second per pod (KEDA's Prometheus trigger, from the PerformanceProfile).
        scaling: { kind: "hpa", cpuUtilization: 75, memoryUtilization: 80, requestRate: true },
        resources: { requests: { cpu: "700m", memory: "512Mi" }, limits: { cpu: "1200m", memory: "1Gi" } },
        serviceAccount: "gateway-api",
        runAsUser: 10001, // Dockerfile: USER 10001:10001
        aws: [
            { kind: "dynamodb", tables: ["users"], access: "read" },
            { kind: "redisAuthSecret", access: "read" },
        ],
    },
    "reservation-api": {
        // main's head; its CI (.github/workflows/build.yml) tags the image with the full commit.
        revision: "b93b68cf3cccc88cb1ad2ee615c5297af94a4658",
        component: "backend",
        ports: [http(8010), grpc(8011)],
        probes: { liveness: "/actuator/health/liveness", readiness: "/actuator/health/readiness" },
        metricsPath: "/actuator/prometheus",
        // Micrometer's gRPC server timer (grpc-spring 2.15.0): the calls gateway-api makes. Its buckets exist
        // because the platform turns the percentiles histogram on (SPRING_APPLICATION_JSON, values.ts).
        metrics: {
            kind: "requests",
            requests: {
                name: "grpc_server_processing_duration_seconds_count",
                statusLabel: "statusCode",
                serverErrors: GRPC_SERVER_ERRORS.map((c) =>
                    c.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase(),
                ).join("|"),
            },
            duration: "grpc_server_processing_duration_seconds",
        },
        calls: [{ service: "inventory-api", port: "grpc" }],
        external: ["aws"],
        // The OpenTelemetry Java agent its Dockerfile adds (http/protobuf by default in agent 2.x).
        tracing: { protocol: "http" },
        // logging.pattern.console in application.properties: text with [traceId,spanId], no logback config.
        logFormat: "spring-text",
        scaling: { kind: "hpa", cpuUtilization: 70, memoryUtilization: 85 },
        resources: { requests: { cpu: "100m", memory: "768Mi" }, limits: { cpu: "800m", memory: "1Gi" } },
        serviceAccount: "reservation-api",
        runAsUser: 1001, // Dockerfile: adduser -u 1001
        aws: [
            {
                kind: "dynamodb",
                tables: ["reservations", "orders", "idempotency", "outbox"],
                access: "readWrite",
            },
            { kind: "eventBus", access: "publish" },
            { kind: "scheduler", access: "manage" },
        ],
    },
    "inventory-api": {
        // The newest with both code and image on record (its CI pushed :53b7c91 from main, deployment-repo
        // 72f4268); the later images, c448e3b and 446ce93, are of commits no public snapshot holds.
        revision: "53b7c9124dc5a34e6bd5c119e0152d74f732dc0d",
        component: "backend",
        // GRPC_PORT (internal/config/config.go); health and metrics on :8021, fixed (internal/server/server.go).
        ports: [grpc(8020), http(8021)],
        probes: { liveness: { tcpPort: "grpc" }, readiness: "/health" },
        metricsPath: "/metrics",
        // internal/observability/metrics.go, recorded by internal/server/interceptor.go: status is codes.Code.String().
        metrics: {
            kind: "requests",
            requests: {
                name: "grpc_server_requests_total",
                statusLabel: "status",
                serverErrors: GRPC_SERVER_ERRORS.join("|"),
            },
            duration: "grpc_server_handling_seconds",
        },
        calls: [],
        external: ["aws"],
        // internal/observability/tracing.go: otlptracegrpc.WithEndpoint, host:port (a scheme breaks it).
        tracing: { protocol: "grpc" },
        logFormat: "json",
        scaling: { kind: "hpa", cpuUtilization: 65, memoryUtilization: 70 },
        resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1000m", memory: "512Mi" } },
        serviceAccount: "inventory-api",
        runAsUser: 10001, // Dockerfile: UID=10001
        // The tables env.ts names in DYNAMODB_TABLE_INVENTORY, _SEATS and _IDEMPOTENCY.
        aws: [{ kind: "dynamodb", tables: ["ticket-events", "tickets", "idempotency"], access: "readWrite" }],
    },
    "payment-sim-api": {
        // main's head; its CI pushed traffic-tacos-payment-sim-api:c247265 (deployment-repo d8762c0).
        revision: "c247265c7a09e3fa320a994fea451c543fa23021",
        component: "backend",
        ports: [grpc(8030), http(8031)],
        probes: { liveness: { tcpPort: "grpc" }, readiness: "/health" },
        metricsPath: "/metrics",
        metrics: {
            kind: "none",
            why: "its code registers no metric of its own and its gRPC server has no interceptor: /metrics serves the Go runtime's only",
        },
        calls: [],
        external: ["aws"],
        tracing: { protocol: "none", why: "its code has no OpenTelemetry dependency (go.mod)" },
        // zap's JSON encoder only with ENVIRONMENT=production (set in values.ts).
        logFormat: "json",
        scaling: { kind: "hpa", cpuUtilization: 65, memoryUtilization: 80 },
        resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1000m", memory: "512Mi" } },
        serviceAccount: "payment-sim-api",
        runAsUser: 1001, // Dockerfile: adduser -u 1001
        aws: [
            { kind: "eventBus", access: "publish" },
            { kind: "sqs", queue: "payment-webhooks", access: "produce" },
        ],
    },
    "reservation-worker": {
        // main's head; its CI pushed traffic-tacos-reservation-worker:8f69af3 (deployment-repo ebbec65).
        revision: "8f69af34a22f1a5020196e37d6b374df5adb3944",
        component: "worker",
        ports: [http(8040), grpc(8041)],
        probes: { liveness: "/health", readiness: "/ready" },
        metricsPath: "/metrics",
        // internal/observability/metrics.go: worker_events_total{type,outcome}, worker_processing_duration_seconds{handler,outcome}.
        metrics: {
            kind: "events",
            events: { name: "worker_events_total", outcomeLabel: "outcome", failed: "failed" },
            duration: "worker_processing_duration_seconds",
        },
        calls: [
            { service: "inventory-api", port: "grpc" },
            { service: "reservation-api", port: "http" },
        ],
        external: ["aws"],
        tracing: {
            protocol: "none",
            why: "its tracer's initialisation is commented out (cmd/reservation-worker/main.go)",
        },
        logFormat: "json",
        scaling: { kind: "keda", queue: "reservation-events", queueLength: 10 },
        resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1000m", memory: "512Mi" } },
        serviceAccount: "reservation-worker",
        runAsUser: 1001, // Dockerfile: adduser -u 1001
        aws: [{ kind: "sqs", queue: "reservation-events", access: "consume" }],
    },
};

/** The port number of a service's named port. */
export function portOf(service: ServiceName, name: ServicePort["name"]): number {
    const port = CATALOGUE[service].ports.find((p) => p.name === name);
    if (!port) {
        throw new Error(`${service} has no ${name} port`);
    }
    return port.port;
}

/** In-cluster DNS address of a service's port, e.g. `inventory-api.tacos.svc.cluster.local:8020`. */
export function addressOf(service: ServiceName, port: ServicePort["name"]): string {
    return `${service}.${APP_NAMESPACE}.svc.cluster.local:${portOf(service, port)}`;
}

/** Every caller → callee edge of the call graph, with the callee's port number. */
export function callGraph(): { from: ServiceName; to: ServiceName; port: number }[] {
    return SERVICE_NAMES.flatMap((from) =>
        CATALOGUE[from].calls.map((call) => ({
            from,
            to: call.service,
            port: portOf(call.service, call.port),
        })),
    );
}

/**
 * Where Prometheus scrapes the services: their namespace, on each one's `http` port (metrics are
 * served there), through the ambient mesh their namespace is in.
 */
export function appScrapeTarget(): { namespace: string; ports: number[]; viaMesh: true } {
    return {
        namespace: APP_NAMESPACE,
        ports: SERVICE_NAMES.map((service) => portOf(service, "http")),
        viaMesh: true,
    };
}
