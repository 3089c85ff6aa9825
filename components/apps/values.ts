/**
 * The tacos-service chart values of each service, derived from the catalogue and the stack:
 * image, ports, probes, sizing, scaling, the environment its code reads (env.ts), secrets by
 * reference, NetworkPolicies from the call graph (network.ts) and its canary (canary.ts). They
 * are of the type the chart's one values schema infers (vocabulary/chart-values.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { PRIORITY_CLASSES } from "../../vocabulary/placement";
import { perService } from "../../vocabulary/platform";
import type { ServiceValues } from "../../vocabulary/chart-values";
import type { StackConfig } from "../config";
import { PROMETHEUS_URL } from "../k8s/addons/monitoring/facts";
import { SPRING_TEXT_PARSER } from "../k8s/addons/logging/facts";
import { rateWindow, requestRateExpression } from "./alerts";
import { costLabels } from "../tags";
import { rolloutValues } from "./canary";
import type { ValuesInput } from "./values-input";
import { meshValues } from "./mesh";
import { CATALOGUE, portOf, ServiceName } from "./catalogue";
import { serviceEnv, serviceSecretEnv, ServiceWiring, WORKER_QUEUE } from "./env";
import { networkAllows } from "./network";
import { ROLLING_UPDATE_MAX_SURGE_PERCENT, routedThroughGateway, serviceResources } from "./sizing";

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

/**
 * KEDA's Prometheus trigger of a service that scales on requests per second as well as CPU;
 * undefined for the others. Its rate reads four scrapes (rateWindow), so a missed scrape leaves
 * the rate defined instead of empty, which the trigger would read as no load.
 */
export function requestRateTrigger(
    service: ServiceName,
    config: StackConfig,
): { serverAddress: string; query: string; threshold: number } | undefined {
    const entry = CATALOGUE[service];
    const window = rateWindow(config.observability.prometheus.scrapeIntervalSeconds);
    const query = requestRateExpression(service, { window });
    if (entry.scaling.kind !== "hpa" || !entry.scaling.requestRate || !query) return undefined;
    return { serverAddress: PROMETHEUS_URL, query, threshold: requestRateTarget(service, config) };
}

/**
 * How a service scales: an HPA on CPU and memory (KEDA, where it also scales on its request
 * rate), or KEDA on its queue's depth; within the PerformanceProfile's replicas and scale-up.
 */
function autoscalingValues(
    service: ServiceName,
    ctx: ValuesContext,
): ValuesInput<ServiceValues["autoscaling"]> {
    const { config, wiring } = ctx;
    const scaling = CATALOGUE[service].scaling;
    const { minReplicas, maxReplicas } = config.performanceProfile.services[service];
    const scaleUp = config.performanceProfile.scaleUp;
    if (scaling.kind === "keda") {
        return {
            mode: "keda",
            minReplicas,
            maxReplicas,
            hpa: { scaleUp },
            keda: {
                queueUrl: wiring.queueUrls[scaling.queue],
                awsRegion: config.region,
                queueLength: scaling.queueLength,
                pollingInterval: WORKER_QUEUE.kedaPollingSeconds,
            },
        };
    }
    const rps = requestRateTrigger(service, config);
    return {
        mode: rps ? "keda" : "hpa",
        minReplicas,
        maxReplicas,
        hpa: {
            cpuUtilization: scaling.cpuUtilization,
            memoryUtilization: scaling.memoryUtilization,
            scaleUp,
        },
        ...(rps ? { keda: { requestRate: rps, pollingInterval: REQUEST_RATE_POLLING_SECONDS } } : {}),
    };
}

/** Health checks on the `http` port; start-up gates liveness, so it checks the same thing. */
function probeValues(service: ServiceName): ServiceValues["probes"] {
    const probes = CATALOGUE[service].probes;
    const liveness =
        typeof probes.liveness === "string"
            ? { path: probes.liveness }
            : { tcpPort: probes.liveness.tcpPort };
    return { port: "http", liveness, readiness: { path: probes.readiness }, startup: liveness };
}

/** The HTTPRoute of a service reached through the Gateway's HTTPS listener; disabled for the others. */
function httpRouteValues(service: ServiceName, ctx: ValuesContext): ValuesInput<ServiceValues["httpRoute"]> {
    if (!routedThroughGateway(service, ctx.config) || !ctx.parentRef) return { enabled: false };
    return {
        enabled: true,
        hostnames: [ctx.config.gateway.apiHostname],
        parentRef: ctx.parentRef,
        pathPrefixes: CATALOGUE[service].exposedPaths,
        port: portOf(service, "http"),
    };
}

/** Resolved chart values of one service. */
export type ChartValues = pulumi.Output<ServiceValues>;

/** The chart values of one service. */
export function serviceValues(service: ServiceName, ctx: ValuesContext): ChartValues {
    const { config, wiring } = ctx;
    const entry = CATALOGUE[service];
    const tag = config.images.tags[service];
    const values: ValuesInput<ServiceValues> = {
        name: service,
        version: tag,
        component: entry.component,
        image: { repository: `${config.images.registry}/traffic-tacos-${service}`, tag },
        ports: entry.ports,
        probes: probeValues(service),
        resources: serviceResources(service, config),
        rollingUpdate: { maxSurge: `${ROLLING_UPDATE_MAX_SURGE_PERCENT}%` },
        priorityClassName: (entry.component === "worker" ? PRIORITY_CLASSES.worker : PRIORITY_CLASSES.service)
            .name,
        logParser: entry.logFormat === "spring-text" ? SPRING_TEXT_PARSER : "",
        runAsUser: entry.runAsUser,
        env: serviceEnv(service, config, wiring),
        secretEnv: serviceSecretEnv(service, config),
        autoscaling: autoscalingValues(service, ctx),
        networkPolicy: networkAllows(service, wiring, config),
        mesh: meshValues(service, wiring.publicSubnetCidrs),
        httpRoute: httpRouteValues(service, ctx),
        serviceMonitor: {
            enabled: true,
            port: "http",
            path: entry.metricsPath,
            interval: `${config.observability.prometheus.scrapeIntervalSeconds}s`,
        },
        // Its CRD comes with the vpa add-on.
        verticalPodAutoscaler: { enabled: config.addons.enabled.vpa },
        rollout: rolloutValues(service, config, routedThroughGateway(service, config), wiring.queueNames),
        labels: costLabels(config.tags, { service }),
    };
    return pulumi.output(values) as ChartValues;
}

/** The chart values of every service. */
export function allServiceValues(ctx: ValuesContext): Record<ServiceName, ChartValues> {
    return perService((service) => serviceValues(service, ctx));
}
