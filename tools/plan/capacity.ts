/** What a stack can carry: each service at max replicas against its share of the target, the nodes against the requests, the worker's drain. */
import { applicationNodeGroups, DeployedService, nodeGroupCapacity, PlatformProfile, serviceDemand, serviceLoad, StackResource } from "../../policy/shared";
import type { PlanReport, ServiceCapacity } from "./report";

export function capacityOf(profile: PlatformProfile | undefined, services: DeployedService[], resources: (StackResource & { name: string })[]): PlanReport["capacity"] {
    const perf = profile?.performanceProfile;
    const capacityServices: ServiceCapacity[] = services.map((s) => {
        const load = perf ? serviceLoad(perf, s) : undefined;
        const capacityRps = load?.capacityRps ?? 0;
        const neededRps = load?.demandRps ?? 0;
        return { service: s.name, maxReplicas: s.maxReplicas, rpsPerPod: perf?.services[s.name]?.rpsPerPod ?? 0, capacityRps, neededRps, headroomPercent: neededRps > 0 ? Math.round((capacityRps / neededRps - 1) * 100) : 0 };
    });
    const demand = serviceDemand(services);
    const offered = nodeGroupCapacity(applicationNodeGroups(resources));
    const worker = capacityServices.find((s) => s.service === "reservation-worker");
    return {
        targetRps: perf?.targetRps ?? 0,
        headroomPercent: perf?.headroomPercent ?? 0,
        services: capacityServices,
        cluster: { requestedVcpu: demand.vcpu, requestedMemoryGiB: demand.memoryGiB, nodeVcpu: offered.vcpu, nodeMemoryGiB: offered.memoryGiB },
        worker: { drainPerSecond: worker?.capacityRps ?? 0, expectedEventsPerSecond: worker?.neededRps ?? 0 },
    };
}
