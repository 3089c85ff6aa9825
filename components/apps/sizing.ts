/**
 * A service's container sizing in a stack: the catalogue's, with the stack's requests where it
 * sets them, checked against the limits; and what the namespace quota must make room for.
 */
import { millicoresOf } from "../../vocabulary/quantity";
import { ConfigError, StackConfig } from "../config";
import { memoryBytes } from "../k8s/quantity";
import type { SizedService } from "../k8s/quota";
import { CATALOGUE, SERVICE_NAMES, ServiceName } from "./catalogue";

/** Extra pods a rolling update may start (maxUnavailable is 0): the quota makes room for them at max scale. */
export const ROLLING_UPDATE_MAX_SURGE_PERCENT = 25;

/** Whether the service is reached through the exposed Gateway (an HTTPRoute; a canary then shifts its weights). */
export const routedThroughGateway = (service: ServiceName, config: StackConfig): boolean =>
    Boolean(CATALOGUE[service].exposedPaths && config.gateway.exposed);

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
