import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PRIORITY_CLASSES } from "../../../../vocabulary/placement";
import { APP_NAMESPACE, MONITORING_NAMESPACE } from "../../../../vocabulary/platform";
import type { StackConfig } from "../../../config";
import { allowAwsApis, allowPolicies, AllowRule, namespacePeer, tcp } from "../../network-policies";
import {
    RESTRICTED_CONTAINER_SECURITY_CONTEXT,
    RESTRICTED_POD_SECURITY_CONTEXT,
    SYSTEM_NODE_SELECTOR,
    SYSTEM_TOLERATIONS,
} from "../../scheduling";
import { Addon, AddonDeclaration, AddonPlacement, resourcesOf, WorkloadFootprint } from "../addon";
import { chartRelease, PinnedChart } from "../chart";
import { OTEL_COLLECTOR } from "./facts";
import { xrayWriteStatements } from "./iam";

/**
 * opentelemetry-collector 0.170.0 (collector 0.158.0), contrib distribution: the k8s
 * distribution has tail sampling but not the AWS X-Ray exporter (releases v0.158.0,
 * distributions/*\/manifest.yaml).
 */
export const OTEL_COLLECTOR_CHART: PinnedChart = {
    chart: "opentelemetry-collector",
    repo: "https://open-telemetry.github.io/opentelemetry-helm-charts",
    version: "0.170.0",
    checkedAgainst:
        "open-telemetry/opentelemetry-helm-charts charts/opentelemetry-collector values.yaml, values.schema.json and templates at opentelemetry-collector-0.170.0 (f5178cb9, collector 0.158.0); the schema refuses unknown top-level keys; rendered with npm run render:addons",
    valuesKeys: [
        "mode",
        "fullnameOverride",
        "image.repository",
        "image.tag",
        "command.name",
        "replicaCount",
        "priorityClassName",
        "nodeSelector",
        "tolerations",
        "podLabels",
        "resources",
        "podSecurityContext",
        "securityContext",
        "serviceAccount.name",
        "ports",
        "serviceMonitor.enabled",
        "config",
    ],
};

const COLLECTOR_LABELS = { "app.kubernetes.io/name": "opentelemetry-collector" };

export const TRACING: AddonDeclaration = {
    name: "tracing",
    description:
        "An OpenTelemetry Collector receiving OTLP from the services, tail-sampling (errors, slow spans, a share of the rest) and exporting to AWS X-Ray.",
    component: "tracing",
    namespace: { name: MONITORING_NAMESPACE, podSecurity: "restricted" },
    charts: [OTEL_COLLECTOR_CHART],
    identity: {
        key: "otel-collector",
        serviceAccount: OTEL_COLLECTOR.serviceAccount,
        statements: xrayWriteStatements,
    },
    // Its ServiceMonitor needs the Prometheus Operator's CRDs.
    dependsOn: ["monitoring"],
    metricsPorts: [OTEL_COLLECTOR.metricsPort],
};

/**
 * How traces are sampled: the services start `headSamplePercent` of their traces where they let us
 * say; among those, tail sampling keeps every error, every span slower than `slowSpanMs` and
 * `keepPercent` of the rest. A request head sampling skipped is never traced, error or not.
 */
export interface TracingSettings {
    region: string;
    slowSpanMs: number;
    keepPercent: number;
}

export const tracingSettings = (config: StackConfig): TracingSettings => ({
    region: config.region,
    slowSpanMs: config.performanceProfile.p95LatencyMs,
    keepPercent: config.observability.tracing.keepPercent,
});

export interface TracingArgs extends TracingSettings, AddonPlacement {
    footprint: WorkloadFootprint[];
}

/**
 * One replica: tail sampling decides on a whole trace, so every span of a trace must reach the
 * same collector (more replicas need a load-balancing exporter tier in front). Sized for 30k RPS:
 * every trace waits `DECISION_WAIT_SECONDS` in memory, inventory-api's unsampled ones (about half
 * the target RPS) included, before most are dropped.
 */
export function tracingFootprint(): WorkloadFootprint[] {
    return [
        {
            name: "otel-collector",
            replicas: 1,
            nodes: "system",
            resources: { requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "2", memory: "3Gi" } },
        },
    ];
}

/** Seconds a trace is held before its sampling decision; traces per second times this must fit `num_traces`. */
const DECISION_WAIT_SECONDS = 10;
const MAX_TRACES_IN_MEMORY = 250_000;

/** The services whose traces start from a head-sampling decision (the others trace every call). */
export const HEAD_SAMPLING_SERVICES = ["gateway-api", "reservation-api"];

/** A tail-sampling policy that keeps a trace only when it also holds a span of a head-sampling service. */
function headSampled(name: string, policy: Record<string, unknown>): Record<string, unknown> {
    const fromHeadSampler = {
        name: "head-sampled",
        type: "string_attribute",
        string_attribute: { key: "service.name", values: HEAD_SAMPLING_SERVICES },
    };
    return { name, type: "and", and: { and_sub_policy: [fromHeadSampler, policy] } };
}

/** The collector's pipeline (merged by Helm over the chart's default `config`; `null` removes a default component). */
export function collectorConfig(s: TracingSettings): Record<string, unknown> {
    return {
        receivers: { jaeger: null, zipkin: null, prometheus: null },
        processors: {
            tail_sampling: {
                decision_wait: `${DECISION_WAIT_SECONDS}s`,
                num_traces: MAX_TRACES_IN_MEMORY,
                // inventory-api samples every call it serves whatever its caller decided: a trace is kept only when a
                // service that head-samples (gateway-api, reservation-api) is in it, so its unparented traces are dropped.
                policies: [
                    headSampled("errors", {
                        name: "error",
                        type: "status_code",
                        status_code: { status_codes: ["ERROR"] },
                    }),
                    headSampled("slow", {
                        name: "slow",
                        type: "latency",
                        latency: { threshold_ms: s.slowSpanMs },
                    }),
                    headSampled("share-of-the-rest", {
                        name: "share",
                        type: "probabilistic",
                        probabilistic: { sampling_percentage: s.keepPercent },
                    }),
                ],
            },
            batch: { send_batch_size: 50, timeout: "1s" },
        },
        // The exporter takes credentials from the default chain (the Pod Identity agent here). W3C trace ids are
        // accepted as they are: the exporter.awsxray.skiptimestampvalidation gate is beta, so on, since v0.84.0.
        exporters: { debug: null, awsxray: { region: s.region }, nop: {} },
        service: {
            pipelines: {
                traces: {
                    receivers: ["otlp"],
                    processors: ["memory_limiter", "tail_sampling", "batch"],
                    exporters: ["awsxray"],
                },
                // Metrics some services also push over OTLP are accepted and dropped: Prometheus scrapes them.
                metrics: { receivers: ["otlp"], processors: ["memory_limiter"], exporters: ["nop"] },
                logs: null,
            },
        },
    };
}

/**
 * The OpenTelemetry Collector in the monitoring namespace: OTLP gRPC and HTTP in from the
 * application namespace only, tail sampling, X-Ray out through its own Pod Identity (X-Ray write
 * only); restricted pods on the system nodes; its own metrics scraped.
 */
export class Tracing extends pulumi.ComponentResource {
    public readonly release: k8s.helm.v3.Release;

    constructor(name: string, args: TracingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tacos:k8s:Tracing", name, {}, opts);
        const rules: AllowRule[] = [
            {
                name: "otlp-from-applications",
                podSelector: COLLECTOR_LABELS,
                ingress: [
                    {
                        from: [namespacePeer(APP_NAMESPACE)],
                        ports: tcp(OTEL_COLLECTOR.grpcPort, OTEL_COLLECTOR.httpPort),
                    },
                ],
            },
            { ...allowAwsApis(COLLECTOR_LABELS), name: "collector-to-xray" },
        ];
        allowPolicies(name, args.namespace, rules, args.labels, { parent: this });
        const disabled = { enabled: false };
        this.release = chartRelease(
            `${name}-release`,
            {
                releaseName: "otel-collector",
                namespace: args.namespace,
                chart: OTEL_COLLECTOR_CHART,
                values: {
                    mode: "deployment",
                    fullnameOverride: "otel-collector",
                    image: { repository: "otel/opentelemetry-collector-contrib", tag: "0.158.0" },
                    command: { name: "otelcol-contrib" },
                    replicaCount: 1,
                    priorityClassName: PRIORITY_CLASSES.platform.name,
                    nodeSelector: SYSTEM_NODE_SELECTOR,
                    tolerations: SYSTEM_TOLERATIONS,
                    podLabels: args.labels,
                    resources: resourcesOf(args.footprint, "otel-collector"),
                    // The contrib image runs as 10001.
                    podSecurityContext: { ...RESTRICTED_POD_SECURITY_CONTEXT, runAsUser: 10001 },
                    securityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
                    serviceAccount: { name: OTEL_COLLECTOR.serviceAccount },
                    ports: {
                        "jaeger-compact": disabled,
                        "jaeger-thrift": disabled,
                        "jaeger-grpc": disabled,
                        zipkin: disabled,
                        metrics: { enabled: true },
                    },
                    serviceMonitor: { enabled: true },
                    config: collectorConfig(args),
                },
            },
            { parent: this },
        );
        this.registerOutputs({ release: this.release, status: this.release.status });
    }
}

export const tracingAddon: Addon<Tracing> = {
    declaration: TRACING,
    footprint: tracingFootprint,
    install: (ctx, opts) =>
        new Tracing(
            "tracing",
            {
                ...tracingSettings(ctx.config),
                namespace: ctx.namespace,
                labels: ctx.labels,
                footprint: tracingFootprint(),
            },
            opts,
        ),
};
