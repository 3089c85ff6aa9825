/**
 * The application namespace's ResourceQuota and LimitRange, computed from the catalogue's
 * per-container requests and limits and each service's maximum replicas, plus headroom.
 */
import { cpuMillicores, formatMebibytes, formatMillicores, memoryBytes } from "./quantity";

/** CPU and memory of one container, as Kubernetes quantities. */
export interface ResourceAmounts {
    cpu: string;
    memory: string;
}

export interface SizedService {
    resources: { requests: ResourceAmounts; limits: ResourceAmounts };
    maxReplicas: number;
    /** Extra pods a rolling update starts above the replica count, in percent (Kubernetes rounds up). */
    maxSurgePercent: number;
}

/** Pods of a service in the middle of a rolling update at its maximum scale. */
export function podsDuringRollout(s: Pick<SizedService, "maxReplicas" | "maxSurgePercent">): number {
    return s.maxReplicas + Math.ceil((s.maxReplicas * s.maxSurgePercent) / 100);
}

/**
 * Quota covering every service at its maximum replicas while it rolls out a new version (every
 * service at once, as a platform-wide release does), times (1 + headroom).
 */
export function computeQuota(services: SizedService[], headroomPercent: number): Record<string, string> {
    const factor = 1 + headroomPercent / 100;
    const sum = (pick: (s: SizedService) => number) =>
        services.reduce((total, s) => total + pick(s) * podsDuringRollout(s), 0) * factor;
    return {
        "requests.cpu": formatMillicores(sum((s) => cpuMillicores(s.resources.requests.cpu))),
        "requests.memory": formatMebibytes(sum((s) => memoryBytes(s.resources.requests.memory))),
        "limits.cpu": formatMillicores(sum((s) => cpuMillicores(s.resources.limits.cpu))),
        "limits.memory": formatMebibytes(sum((s) => memoryBytes(s.resources.limits.memory))),
        pods: String(Math.ceil(sum(() => 1))),
    };
}

/**
 * Container limits: defaults for a container that states none (the smallest service's sizing)
 * and a ceiling no container may exceed (the largest service's limits).
 */
export function computeContainerLimits(services: SizedService[]) {
    if (services.length === 0) {
        throw new Error("container limits need at least one service");
    }
    const cpus = (pick: (s: SizedService) => ResourceAmounts) =>
        services.map((s) => pick(s).cpu).sort((a, b) => cpuMillicores(a) - cpuMillicores(b));
    const memories = (pick: (s: SizedService) => ResourceAmounts) =>
        services.map((s) => pick(s).memory).sort((a, b) => memoryBytes(a) - memoryBytes(b));
    const smallest = (pick: (s: SizedService) => ResourceAmounts) => ({
        cpu: cpus(pick)[0],
        memory: memories(pick)[0],
    });
    const largest = (pick: (s: SizedService) => ResourceAmounts) => ({
        cpu: cpus(pick)[services.length - 1],
        memory: memories(pick)[services.length - 1],
    });
    return {
        type: "Container",
        defaultRequest: smallest((s) => s.resources.requests),
        default: smallest((s) => s.resources.limits),
        max: largest((s) => s.resources.limits),
    };
}
