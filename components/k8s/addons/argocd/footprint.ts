/** Argo CD's pods and their sizes: one source for the values and the footprint. */
import { controllerReplicas, onSystemNodes, WorkloadFootprint } from "../addon";

/** A container's requests and limits. */
export const resources = (cpu: string, memory: string, cpuLimit: string, memoryLimit: string) => ({
    requests: { cpu, memory },
    limits: { cpu: cpuLimit, memory: memoryLimit },
});

/** Each Argo CD component's container, and Redis HA's (one source for the values and the footprint). */
export const SIZES = {
    controller: resources("250m", "512Mi", "2", "2Gi"),
    server: resources("100m", "128Mi", "1", "512Mi"),
    repoServer: resources("100m", "256Mi", "1", "1Gi"),
    applicationSet: resources("50m", "64Mi", "500m", "256Mi"),
    redis: resources("100m", "128Mi", "500m", "256Mi"),
    redisSecretInit: resources("10m", "32Mi", "100m", "64Mi"),
};
/** Redis HA's containers. */
export const REDIS_HA_SIZES = {
    redis: resources("100m", "256Mi", "500m", "512Mi"),
    sentinel: resources("50m", "64Mi", "200m", "128Mi"),
    splitBrainDetection: resources("10m", "32Mi", "100m", "64Mi"),
    init: resources("10m", "32Mi", "100m", "64Mi"),
    haproxy: resources("50m", "64Mi", "500m", "256Mi"),
};
/** Redis HA's Redis and HAProxy pods: the subchart's `replicas` and `haproxy.replicas` defaults (redis-ha 4.38.0). */
const REDIS_HA_REPLICAS = 3;

/** Argo CD's running pods: one application controller, the HA count of the rest, Redis HA (three servers, three proxies) or one Redis. */
export const argoCdFootprint = (config: { addons: { highAvailability: boolean } }): WorkloadFootprint[] => {
    const replicas = controllerReplicas(config.addons.highAvailability);
    const redis = config.addons.highAvailability
        ? [
              onSystemNodes("redis-ha/redis", REDIS_HA_REPLICAS, REDIS_HA_SIZES.redis, "redis-ha-server"),
              onSystemNodes(
                  "redis-ha/sentinel",
                  REDIS_HA_REPLICAS,
                  REDIS_HA_SIZES.sentinel,
                  "redis-ha-server",
              ),
              onSystemNodes(
                  "redis-ha/split-brain-fix",
                  REDIS_HA_REPLICAS,
                  REDIS_HA_SIZES.splitBrainDetection,
                  "redis-ha-server",
              ),
              onSystemNodes("redis-ha-haproxy", REDIS_HA_REPLICAS, REDIS_HA_SIZES.haproxy),
          ]
        : [onSystemNodes("redis", 1, SIZES.redis)];
    return [
        onSystemNodes("application-controller", 1, SIZES.controller),
        onSystemNodes("server", replicas, SIZES.server),
        onSystemNodes("repo-server", replicas, SIZES.repoServer),
        onSystemNodes("applicationset-controller", replicas, SIZES.applicationSet),
        ...redis,
    ];
};
