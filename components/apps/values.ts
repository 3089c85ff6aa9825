/**
 * The tacos-service chart values of each service, derived from the catalogue and the stack:
 * image, ports, probes, sizing, scaling, the exact environment SERVICES.md lists (wired from the
 * stack's outputs), secrets by reference, and NetworkPolicies from the call graph.
 */
import * as pulumi from "@pulumi/pulumi";
import { HBONE_PORT, PROBE_SNAT_CIDR } from "../../vocabulary/mesh";
import { PRIORITY_CLASSES } from "../../vocabulary/placement";
import { MONITORING_NAMESPACE } from "../../vocabulary/platform";
import { millicoresOf } from "../../vocabulary/quantity";
import type { TableName } from "../aws/data";
import type { QueueName } from "../aws/messaging";
import { ConfigError, StackConfig } from "../config";
import { PROMETHEUS_URL } from "../k8s/addons/monitoring/facts";
import { OTEL_COLLECTOR } from "../k8s/addons/tracing/facts";
import { SPRING_TEXT_PARSER } from "../k8s/addons/logging/facts";
import { requestRateExpression } from "./alerts";
import { POD_IDENTITY_AGENT_CIDR } from "../k8s/network-policies";
import { memoryBytes } from "../k8s/quantity";
import type { SizedService } from "../k8s/quota";
import { costLabels } from "../tags";
import { rolloutValues } from "./canary";
import { loadBalancerPort, meshValues, probePorts } from "./mesh";
import { addressOf, callGraph, CATALOGUE, portOf, SERVICE_NAMES, ServiceName } from "./catalogue";

/**
 * How the worker reads its queue: concurrent receivers per pod, each long-polling; and how often
 * KEDA asks the queue's depth (the ScaledObject's pollingInterval). The plan prices the
 * idle requests these make.
 */
export const WORKER_QUEUE = { concurrency: 20, longPollSeconds: 20, kedaPollingSeconds: 30 } as const;

/** Extra pods a rolling update may start (maxUnavailable is 0): the quota makes room for them at max scale. */
export const ROLLING_UPDATE_MAX_SURGE_PERCENT = 25;

export { MONITORING_NAMESPACE };

/** The collector's OTLP port for a protocol. */
export const otlpPort = (protocol: "http" | "grpc"): number =>
    protocol === "http" ? OTEL_COLLECTOR.httpPort : OTEL_COLLECTOR.grpcPort;

/** The collector's OTLP/HTTP endpoint as the OpenTelemetry SDKs take it (a URL). */
export const OTLP_HTTP_ENDPOINT = `http://${OTEL_COLLECTOR.host}:${OTEL_COLLECTOR.httpPort}`;
/** The collector's OTLP/gRPC endpoint as inventory-api passes it to otlptracegrpc.WithEndpoint: host:port, no scheme. */
export const OTLP_GRPC_HOST_PORT = `${OTEL_COLLECTOR.host}:${OTEL_COLLECTOR.grpcPort}`;

/** The flag reservation-api's image sets in JAVA_OPTS (Dockerfile L71 at b93b68cf); a JAVA_OPTS without it drops the tracer. */
export const RESERVATION_API_JAVA_AGENT = "-javaagent:/app/opentelemetry-javaagent.jar";

/** Head sampling as a ratio (0-1], the form gateway-api's and the Java agent's samplers read. */
const headSampleRatio = (config: StackConfig): string =>
    String(config.observability.tracing.headSamplePercent / 100);

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

/** The environment each service reads, by exactly the names its code reads (SERVICES.md). */
export function serviceEnv(service: ServiceName, config: StackConfig, w: ServiceWiring): Env {
    const aws = { AWS_REGION: config.region };
    switch (service) {
        case "gateway-api":
            return {
                ...aws,
                REDIS_ADDRESS: pulumi.interpolate`${w.redisEndpoint}:${w.redisPort}`,
                REDIS_TLS_ENABLED: "true",
                AWS_SECRET_NAME: w.redisSecretName,
                BACKEND_RESERVATION_API_GRPC_ADDRESS: addressOf("reservation-api", "grpc"),
                BACKEND_PAYMENT_API_GRPC_ADDRESS: addressOf("payment-sim-api", "grpc"),
                DYNAMODB_USERS_TABLE_NAME: w.tableNames.users,
                RATE_LIMIT_RPS: String(config.performanceProfile.rateLimit.rpsPerClient),
                RATE_LIMIT_BURST: String(config.performanceProfile.rateLimit.burst),
                // envconfig's OBSERVABILITY_ prefix (internal/config/config.go); the code ignores OTEL_EXPORTER_OTLP_ENDPOINT.
                OBSERVABILITY_OTLP_ENDPOINT: OTLP_HTTP_ENDPOINT,
                OBSERVABILITY_SAMPLE_RATE: headSampleRatio(config),
                GOMEMLIMIT: goMemLimit(service),
            };
        case "reservation-api":
            return {
                ...aws,
                SPRING_PROFILES_ACTIVE: config.stack,
                GRPC_INVENTORY_ADDRESS: addressOf("inventory-api", "grpc"),
                DYNAMODB_TABLE_RESERVATIONS: w.tableNames.reservations,
                DYNAMODB_TABLE_ORDERS: w.tableNames.orders,
                DYNAMODB_TABLE_IDEMPOTENCY: w.tableNames.idempotency,
                DYNAMODB_TABLE_OUTBOX: w.tableNames.outbox,
                EVENTBRIDGE_BUS_NAME: w.eventBusName,
                EVENTBRIDGE_SCHEDULER_GROUP: w.scheduleGroupName,
                // The image's own JAVA_OPTS (Dockerfile at b93b68cf) attaches the OpenTelemetry agent: keep it.
                JAVA_OPTS: `${RESERVATION_API_JAVA_AGENT} -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=100 -XX:+ExitOnOutOfMemoryError`,
                // Histogram buckets for the latency alert: Micrometer's timers publish none by default.
                SPRING_APPLICATION_JSON: JSON.stringify(SPRING_HISTOGRAMS),
                // The OpenTelemetry Java agent: traces only (metrics are scraped, logs go through Fluent Bit), sampled
                // at the head share unless the caller already decided.
                OTEL_SERVICE_NAME: service,
                OTEL_EXPORTER_OTLP_ENDPOINT: OTLP_HTTP_ENDPOINT,
                OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
                OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
                OTEL_TRACES_SAMPLER_ARG: headSampleRatio(config),
                OTEL_METRICS_EXPORTER: "none",
                OTEL_LOGS_EXPORTER: "none",
            };
        case "inventory-api":
            return {
                ...aws,
                GRPC_PORT: String(portOf("inventory-api", "grpc")),
                DYNAMODB_TABLE_TICKETS: w.tableNames.tickets,
                DYNAMODB_TABLE_IDEMPOTENCY: w.tableNames.idempotency,
                OTEL_EXPORTER_OTLP_ENDPOINT: OTLP_GRPC_HOST_PORT,
                GOMEMLIMIT: goMemLimit(service),
            };
        case "payment-sim-api":
            return {
                ...aws,
                GRPC_PORT: String(portOf("payment-sim-api", "grpc")),
                EVENT_BUS_NAME: w.eventBusName,
                // Its only use (cmd/payment-sim-api/main.go at c247265): zap's JSON encoder instead of the coloured console one.
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

type Peer =
    | { service: string; ports: number[] }
    | { namespace: string; ports: number[] }
    | { cidrs: string[]; ports: number[] };

/**
 * NetworkPolicy allows from the call graph. Calls between the services (and Prometheus' scrapes)
 * are mesh traffic: ztunnel tunnels them to the callee pod's HBONE port, whatever port they call
 * (the AuthorizationPolicy judges that port), so ingress from each caller and from Prometheus and
 * egress to each callee are on HBONE. Kubelet's probes arrive from the mesh CNI's SNAT address on
 * the probed ports. Outside the mesh, unchanged: the load balancer on the exposed port, Redis, AWS
 * APIs and the Pod Identity agent, the OTLP collector.
 */
export function networkAllows(service: ServiceName, w: ServiceWiring): { ingress: Peer[]; egress: Peer[] } {
    const entry = CATALOGUE[service];
    const edges = callGraph();
    const ingress: Peer[] = [...new Set(edges.filter((e) => e.to === service).map((e) => e.from))].map(
        (caller) => ({ service: caller, ports: [HBONE_PORT] }),
    );
    const exposed = loadBalancerPort(service);
    if (exposed) {
        ingress.push({ cidrs: w.publicSubnetCidrs, ports: [exposed] });
    }
    ingress.push(
        { namespace: MONITORING_NAMESPACE, ports: [HBONE_PORT] },
        { cidrs: [PROBE_SNAT_CIDR], ports: probePorts(service) },
    );

    const egress: Peer[] = [...new Set(edges.filter((e) => e.from === service).map((e) => e.to))].map(
        (callee) => ({ service: callee, ports: [HBONE_PORT] }),
    );
    if (entry.external.includes("redis")) {
        egress.push({ cidrs: w.privateSubnetCidrs, ports: [w.redisPort] });
    }
    if (entry.external.includes("aws")) {
        egress.push(
            { cidrs: ["0.0.0.0/0"], ports: [443] },
            { cidrs: [POD_IDENTITY_AGENT_CIDR], ports: [80] },
        );
    }
    if (entry.tracing.protocol !== "none") {
        egress.push({ namespace: MONITORING_NAMESPACE, ports: [otlpPort(entry.tracing.protocol)] });
    }
    return { ingress, egress };
}

export interface ValuesContext {
    config: StackConfig;
    wiring: ServiceWiring;
    /** The Gateway's HTTPS listener, for the exposed service's HTTPRoute; none when nothing is exposed. */
    parentRef?: { name: pulumi.Input<string>; namespace: pulumi.Input<string>; sectionName: string };
}

/** How often KEDA queries Prometheus for the request rate (seconds). */
export const REQUEST_RATE_POLLING_SECONDS = 15;

/**
 * The per-pod request rate a service scales on, where the catalogue says it scales on requests:
 * its PerformanceProfile rpsPerPod less the headroom, the same number the capacity model divides
 * the target by, so that the autoscaler keeps exactly the headroom the plan counts.
 */
export function requestRateTarget(service: ServiceName, config: StackConfig): number {
    const perf = config.performanceProfile;
    return Math.floor((perf.services[service].rpsPerPod / (1 + perf.headroomPercent / 100)) * 100) / 100;
}

/** KEDA's Prometheus trigger of a service that scales on requests per second as well as CPU; undefined for the others. */
export function requestRateTrigger(
    service: ServiceName,
    config: StackConfig,
): { serverAddress: string; query: string; threshold: number } | undefined {
    const entry = CATALOGUE[service];
    const query = requestRateExpression(service);
    if (entry.scaling.kind !== "hpa" || !entry.scaling.requestRate || !query) return undefined;
    return { serverAddress: PROMETHEUS_URL, query, threshold: requestRateTarget(service, config) };
}

/** Whether the service is reached through the exposed Gateway (an HTTPRoute; a canary then shifts its weights). */
const routedThroughGateway = (service: ServiceName, config: StackConfig): boolean =>
    Boolean(CATALOGUE[service].exposedPaths && config.gateway.exposed);

/** Resolved chart values of one service. */
export type ChartValues = pulumi.Output<{ [key: string]: any }>;

export function serviceValues(service: ServiceName, ctx: ValuesContext): ChartValues {
    const { config, wiring } = ctx;
    const entry = CATALOGUE[service];
    const scaling = config.performanceProfile.services[service];
    const tag = config.images.tags[service];
    const rps = requestRateTrigger(service, config);
    const autoscaling =
        entry.scaling.kind === "hpa"
            ? {
                  mode: rps ? "keda" : "hpa",
                  minReplicas: scaling.minReplicas,
                  maxReplicas: scaling.maxReplicas,
                  hpa: {
                      cpuUtilization: entry.scaling.cpuUtilization,
                      memoryUtilization: entry.scaling.memoryUtilization,
                      scaleUp: config.performanceProfile.scaleUp,
                  },
                  ...(rps
                      ? { keda: { requestRate: rps, pollingInterval: REQUEST_RATE_POLLING_SECONDS } }
                      : {}),
              }
            : {
                  mode: "keda",
                  minReplicas: scaling.minReplicas,
                  maxReplicas: scaling.maxReplicas,
                  hpa: { scaleUp: config.performanceProfile.scaleUp },
                  keda: {
                      queueUrl: wiring.queueUrls[entry.scaling.queue],
                      awsRegion: config.region,
                      queueLength: entry.scaling.queueLength,
                      pollingInterval: WORKER_QUEUE.kedaPollingSeconds,
                  },
              };
    const httpPort = portOf(service, "http");
    const routed = routedThroughGateway(service, config);
    const liveness =
        typeof entry.probes.liveness === "string"
            ? { path: entry.probes.liveness }
            : { tcpPort: entry.probes.liveness.tcpPort };
    const values: Record<string, unknown> = {
        name: service,
        version: tag,
        component: entry.component,
        image: { repository: `${config.images.registry}/traffic-tacos-${service}`, tag },
        ports: entry.ports,
        probes: {
            port: "http",
            liveness,
            readiness: { path: entry.probes.readiness },
            // Start-up gates liveness, so it checks the same thing.
            startup: liveness,
        },
        resources: serviceResources(service, config),
        rollingUpdate: { maxSurge: `${ROLLING_UPDATE_MAX_SURGE_PERCENT}%` },
        priorityClassName: (entry.component === "worker" ? PRIORITY_CLASSES.worker : PRIORITY_CLASSES.service)
            .name,
        logParser: entry.logFormat === "spring-text" ? SPRING_TEXT_PARSER : "",
        runAsUser: entry.runAsUser,
        env: serviceEnv(service, config, wiring),
        secretEnv: serviceSecretEnv(service, config),
        autoscaling,
        networkPolicy: networkAllows(service, wiring),
        mesh: meshValues(service, wiring.publicSubnetCidrs),
        httpRoute:
            routed && ctx.parentRef
                ? {
                      enabled: true,
                      hostnames: [config.gateway.apiHostname],
                      parentRef: ctx.parentRef,
                      pathPrefixes: entry.exposedPaths,
                      port: httpPort,
                  }
                : { enabled: false },
        serviceMonitor: {
            enabled: true,
            port: "http",
            path: entry.metricsPath,
            interval: `${config.observability.prometheus.scrapeIntervalSeconds}s`,
        },
        verticalPodAutoscaler: { enabled: true },
        rollout: rolloutValues(service, config, routed, wiring.queueNames),
        labels: costLabels(config.tags, { service }),
    };
    return pulumi.output(values) as unknown as ChartValues;
}

/** The chart values of every service. */
export function allServiceValues(ctx: ValuesContext): Record<ServiceName, ChartValues> {
    return Object.fromEntries(
        SERVICE_NAMES.map((service) => [service, serviceValues(service, ctx)]),
    ) as Record<ServiceName, ChartValues>;
}

/** A service's container resources in this stack: the catalogue's, with the stack's requests where it sets them. */
export function serviceResources(
    service: ServiceName,
    config: StackConfig,
): { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } } {
    const { requests, limits } = CATALOGUE[service].resources;
    return { requests: config.performanceProfile.services[service].requests ?? requests, limits };
}

/** Refuses requests the stack sets above the container's limits (the API server would refuse the pod), naming each field. */
export function checkServiceSizing(config: StackConfig): void {
    const problems = SERVICE_NAMES.flatMap((service) => {
        const requests = config.performanceProfile.services[service].requests;
        if (!requests) return [];
        const { limits } = CATALOGUE[service].resources;
        const path = `performanceProfile.services.${service}.requests`;
        return [
            ...(millicoresOf(requests.cpu) > millicoresOf(limits.cpu)
                ? [`${path}.cpu (${requests.cpu}) must not exceed the container's CPU limit ${limits.cpu}`]
                : []),
            ...(memoryBytes(requests.memory) > memoryBytes(limits.memory)
                ? [
                      `${path}.memory (${requests.memory}) must not exceed the container's memory limit ${limits.memory}`,
                  ]
                : []),
        ];
    });
    if (problems.length > 0) throw new ConfigError(problems);
}

/**
 * Each service's container sizing, maximum replicas and the extra pods a release may add (for the
 * namespace quota): a traffic-routed canary's full second ReplicaSet where the Gateway is exposed.
 */
export function sizingAtMaxScale(config: StackConfig): SizedService[] {
    return SERVICE_NAMES.map((service) => ({
        resources: serviceResources(service, config),
        maxReplicas: config.performanceProfile.services[service].maxReplicas,
        // A traffic-routed canary keeps the stable ReplicaSet whole until it is promoted, so its canary reaches the
        // full count beside it at the last step; a replica canary surges by the Rollout's maxSurge, as a Deployment does.
        maxSurgePercent:
            config.delivery.canary && routedThroughGateway(service, config)
                ? 100
                : ROLLING_UPDATE_MAX_SURGE_PERCENT,
    }));
}
