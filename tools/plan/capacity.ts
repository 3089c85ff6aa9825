/**
 * What a stack can carry: each service at max replicas against its share of the target, the
 * application capacity (NodePool limits, node groups at their maximum) against the requests, the
 * worker's drain, and how long scaling up from minimum to the target takes.
 */
import { Amount, placePods, podNames, systemCapacity } from "../../vocabulary/footprint";
import {
    DeployedService,
    PlatformProfile,
    serviceDemand,
    serviceLoad,
    stackScaleUpTimeline,
} from "../../vocabulary/stack";
import { applicationCapacity } from "../../vocabulary/capacity";
import { podsInLargestZone, serviceZoneLoss, stackZones, zoneLossDemand } from "../../vocabulary/zone-loss";
import { StackResource } from "../../vocabulary/stack-resource";
import type { PlanReport, ServiceCapacity } from "./report";

export function capacityOf(
    profile: PlatformProfile | undefined,
    services: DeployedService[],
    resources: (StackResource & { name: string })[],
): PlanReport["capacity"] {
    const perf = profile?.performanceProfile;
    const capacityServices: ServiceCapacity[] = services.map((s) => {
        const load = perf ? serviceLoad(perf, s) : undefined;
        const capacityRps = load?.capacityRps ?? 0;
        const neededRps = load?.demandRps ?? 0;
        return {
            service: s.name,
            maxReplicas: s.maxReplicas,
            rpsPerPod: perf?.services[s.name]?.rpsPerPod ?? 0,
            capacityRps,
            neededRps,
            headroomPercent: neededRps > 0 ? Math.round((capacityRps / neededRps - 1) * 100) : 0,
        };
    });
    const demand = serviceDemand(services);
    const offered = applicationCapacity(resources);
    const worker = capacityServices.find((s) => s.service === "reservation-worker");
    return {
        targetRps: perf?.targetRps ?? 0,
        headroomPercent: perf?.headroomPercent ?? 0,
        services: capacityServices,
        cluster: {
            requestedVcpu: demand.vcpu,
            requestedMemoryGiB: demand.memoryGiB,
            nodeVcpu: offered.vcpu,
            nodeMemoryGiB: offered.memoryGiB,
            allocatableVcpu: offered.allocatableVcpu,
            allocatableMemoryGiB: offered.allocatableMemoryGiB,
            sources: offered.sources,
        },
        worker: { drainPerSecond: worker?.capacityRps ?? 0, expectedEventsPerSecond: worker?.neededRps ?? 0 },
        timeline: perf ? stackScaleUpTimeline(perf, services) : undefined,
        system: systemOf(resources),
        zoneLost: profile ? zoneLostOf(profile, services, resources) : undefined,
    };
}

/** The stack with its largest zone lost at max scale: each service, the application nodes' room, the system nodes. */
function zoneLostOf(
    profile: PlatformProfile,
    services: DeployedService[],
    resources: (StackResource & { name: string })[],
): PlanReport["capacity"]["zoneLost"] {
    const zones = stackZones(resources);
    const perf = profile.performanceProfile;
    const system = systemCapacity(resources);
    const nodesLost = system
        ? podsInLargestZone(system.desiredSize, zones.length, {
              enforced: true,
              maxSkew: 1,
              tolerationSeconds: 0,
          })
        : 0;
    const demand = zoneLossDemand(services, resources, zones.length);
    return {
        zones,
        services: services.flatMap((s) => serviceZoneLoss(perf, s, resources, zones.length) ?? []),
        withReplacements: { vcpu: demand.vcpu, memoryGiB: demand.memoryGiB },
        system: system && {
            nodesLost,
            unplaced: podNames(
                placePods(system.pods, system.desiredSize - nodesLost, system.perNode).unplaced,
            ),
        },
    };
}

/** The system node group's fit, each add-on's requests on it, and what a lost node leaves without a place. */
function systemOf(resources: (StackResource & { name: string })[]): PlanReport["capacity"]["system"] {
    const system = systemCapacity(resources);
    if (!system) return undefined;
    const { pods, ...rest } = system;
    const byAddon: Record<string, Amount> = {};
    for (const pod of pods) {
        const sum = (byAddon[pod.addon] ??= { vcpu: 0, memoryGiB: 0 });
        sum.vcpu += pod.vcpu;
        sum.memoryGiB += pod.memoryGiB;
    }
    const lost = placePods(pods, Math.max(0, system.desiredSize - 1), system.perNode).unplaced;
    return { ...rest, byAddon, unplacedWithOneNodeLost: podNames(lost) };
}
