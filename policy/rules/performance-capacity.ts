/**
 * Capacity rules: enough pods for the PerformanceProfile's target, enough application nodes for
 * their requests, a system node group that holds the platform's pods, and a scale-up from minimum
 * to the target within the profile's objective.
 */
import { podNames, systemCapacity } from "../../vocabulary/footprint";
import { deployedServices, serviceDemand, serviceLoad, stackScaleUpTimeline } from "../../vocabulary/stack";
import { applicationCapacity } from "../../vocabulary/capacity";
import { serviceZoneLoss, stackZones, zoneLossDemand } from "../../vocabulary/zone-loss";
import { stackProfile } from "./profile";
import { stackRule } from "./layers";

export const capacityCoversTargetRps = stackRule({
    name: "capacity-covers-target-rps",
    description:
        "Checks whether each service's maxReplicas x rpsPerPod is at least its share of the PerformanceProfile's target RPS plus headroom.",
    cluster: (args, report) => {
        const profile = stackProfile(args);
        const services = deployedServices(args.resources);
        if (services.length === 0) {
            args.notApplicable("no delivered services");
        }
        const { targetRps, headroomPercent } = profile.performanceProfile;
        for (const service of services) {
            const assumption = profile.performanceProfile.services[service.name];
            const load = serviceLoad(profile.performanceProfile, service);
            if (!assumption || !load) {
                report(
                    `Service ${service.name} has no capacity assumption (rpsPerPod, shareOfTarget) in the PerformanceProfile.`,
                );
                continue;
            }
            const { capacityRps: capacity, requiredRps: needed } = load;
            if (capacity < needed) {
                report(
                    `Service ${service.name} carries at most ${service.maxReplicas} x ${assumption.rpsPerPod} = ${capacity} RPS but must carry ${Math.ceil(needed)} (${assumption.shareOfTarget} of ${targetRps} plus ${headroomPercent}%): raise maxReplicas to ${Math.ceil(needed / assumption.rpsPerPod)}.`,
                );
            }
        }
    },
});

export const capacityFitsNodePools = stackRule({
    name: "capacity-fits-node-pools",
    description:
        "Checks whether the application capacity (Karpenter NodePools' limits, application node groups at their maximum size) leaves room, after what nodes reserve, for every service's requests at max replicas.",
    cluster: (args, report) => {
        const services = deployedServices(args.resources);
        const capacity = applicationCapacity(args.resources);
        if (services.length === 0 || capacity.sources.length + capacity.problems.length === 0) {
            args.notApplicable("no delivered services or no application capacity");
        }
        for (const problem of capacity.problems) {
            report(problem.message, problem.urn);
        }
        const demand = serviceDemand(services);
        const { allocatableVcpu: cpu, allocatableMemoryGiB: memory } = capacity;
        const from = capacity.sources.map((s) => s.name).join(", ");
        if (cpu < demand.vcpu) {
            report(
                `The application capacity (${from}) offers ${capacity.vcpu} vCPU, ${cpu.toFixed(1)} of it allocatable after kubelet's reserve and the DaemonSets; the services request ${demand.vcpu.toFixed(1)} at max replicas: raise the NodePools' cpu limits to at least ${Math.ceil((demand.vcpu * capacity.vcpu) / cpu)}.`,
            );
        }
        if (memory < demand.memoryGiB) {
            report(
                `The application capacity (${from}) offers ${capacity.memoryGiB} GiB, ${memory.toFixed(1)} of it allocatable after kubelet's reserve and the DaemonSets; the services request ${demand.memoryGiB.toFixed(1)} GiB at max replicas: raise the NodePools' memory limits to at least ${Math.ceil((demand.memoryGiB * capacity.memoryGiB) / memory)} GiB.`,
            );
        }
    },
});

export const systemNodesHoldPlatform = stackRule({
    name: "system-nodes-hold-platform",
    description:
        "Checks whether the system node group, at its desired size, holds every platform pod (the add-ons' footprints and the EKS add-ons' controllers), each replica of a workload on a node of its own, after kubelet's reserve and the DaemonSets.",
    aws: (args, report) => {
        const system = systemCapacity(args.resources);
        if (!system) {
            return args.notApplicable("no system node group of a known instance type");
        }
        const { group, instanceType, desiredSize, perNode, demand, unplaced, nodesNeeded } = system;
        if (unplaced.length > 0) {
            const pods = podNames(unplaced).join(", ");
            const fix =
                nodesNeeded === undefined
                    ? "a larger instance type"
                    : `${nodesNeeded} nodes of ${instanceType} (desiredSize and minSize), or a larger type`;
            report(
                `The system node group ${group} (${desiredSize} x ${instanceType}, each leaving ${perNode.vcpu.toFixed(2)} vCPU and ${perNode.memoryGiB.toFixed(1)} GiB after kubelet and the DaemonSets) cannot hold the platform's pods, which request ${demand.vcpu.toFixed(2)} vCPU and ${demand.memoryGiB.toFixed(1)} GiB: ${pods} find no node. It needs ${fix}.`,
            );
        }
    },
});

export const scaleUpWithinObjective = stackRule({
    name: "scale-up-within-objective",
    description:
        "Checks whether the stack's scale-up timeline (from minimum scale to the target RPS with headroom: metrics delay, HPA scale-up policies, node launch, the mesh's node agents on each new node, pod start-up) stays within the PerformanceProfile's objective.",
    cluster: (args, report) => {
        const profile = stackProfile(args);
        const services = deployedServices(args.resources);
        if (services.length === 0) {
            args.notApplicable("no delivered services");
        }
        const timeline = stackScaleUpTimeline(profile.performanceProfile, services);
        for (const { service, why } of timeline.unknown) {
            report(`Service ${service} cannot be timed: ${why}.`);
        }
        if (timeline.totalSeconds > timeline.objectiveSeconds) {
            const slowest = timeline.services.find((s) => s.service === timeline.slowest)!;
            report(
                `Scaling up to ${profile.performanceProfile.targetRps} RPS with ${profile.performanceProfile.headroomPercent}% headroom takes ${timeline.totalSeconds} s; the objective is ${timeline.objectiveSeconds} s. Slowest: ${slowest.service}, ${slowest.fromReplicas} to ${slowest.toReplicas} replicas in ${slowest.steps.length} steps (last decision at ${slowest.lastDecisionSeconds} s). Raise its minReplicas or its scale-up policies, or shorten what a load test shows is slow.`,
            );
        }
    },
});

export const capacitySurvivesZoneLoss = stackRule({
    name: "capacity-survives-zone-loss",
    description:
        "Checks whether each service, at max replicas with its largest availability zone lost, still carries its share of the PerformanceProfile's target RPS (its pods spread over zones by a DoNotSchedule constraint of the rendered chart), and whether the application capacity holds the lost zone's replacements while the lost nodes still count against the NodePools' limits.",
    cluster: (args, report) => {
        const perf = stackProfile(args).performanceProfile;
        const services = deployedServices(args.resources);
        const zones = stackZones(args.resources).length;
        const losses = services.flatMap((s) => serviceZoneLoss(perf, s, args.resources, zones) ?? []);
        if (losses.length === 0) {
            args.notApplicable("no delivered service with a rendered pod template and a capacity assumption");
        }
        if (zones < 2) {
            return report(
                `The stack's subnets are in ${zones} availability zone(s): losing it loses every pod. Spread the network over at least two zones.`,
            );
        }
        for (const loss of losses) {
            if (!loss.spread.enforced) {
                report(
                    `Service ${loss.service}'s replicas may share a zone (its zone spread is not DoNotSchedule): a lost zone can take all of them. Set topologySpread.zoneWhenUnsatisfiable to DoNotSchedule in the chart's values file for the stack.`,
                );
            } else if (loss.capacityRps < loss.demandRps) {
                report(
                    `Service ${loss.service} keeps ${loss.podsLeft} pods (${loss.capacityRps} RPS) with the largest of ${zones} zones lost, short of its ${Math.ceil(loss.demandRps)} RPS share of the target: raise maxReplicas to ${loss.maxReplicasNeeded}.`,
                );
            }
        }
        const capacity = applicationCapacity(args.resources);
        const needed = zoneLossDemand(services, args.resources, zones);
        if (capacity.sources.length === 0) return;
        const dimensions = [
            {
                need: needed.vcpu,
                offered: capacity.vcpu,
                allocatable: capacity.allocatableVcpu,
                unit: "vCPU",
                limit: "cpu",
                suffix: "",
            },
            {
                need: needed.memoryGiB,
                offered: capacity.memoryGiB,
                allocatable: capacity.allocatableMemoryGiB,
                unit: "GiB",
                limit: "memory",
                suffix: " GiB",
            },
        ];
        for (const d of dimensions.filter((d) => d.allocatable < d.need)) {
            report(
                `Replacing a lost zone's pods while its nodes still count against the NodePools' limits needs ${d.need.toFixed(1)} ${d.unit}; the application capacity leaves ${d.allocatable.toFixed(1)} allocatable: raise the NodePools' ${d.limit} limits to at least ${Math.ceil((d.need * d.offered) / d.allocatable)}${d.suffix}.`,
            );
        }
    },
});

/** The capacity rules, in the order the pack lists them. */
export const PERFORMANCE_CAPACITY_POLICIES = [
    capacityCoversTargetRps,
    capacityFitsNodePools,
    capacitySurvivesZoneLoss,
    systemNodesHoldPlatform,
    scaleUpWithinObjective,
];
