/**
 * Performance rules: every application Deployment autoscaled, probed and protected by a
 * disruption budget, and enough capacity (pods and nodes) for the PerformanceProfile's target.
 */
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { APPLICATION_NAMESPACES, LATENCY_ALERT_KIND, MISSION_P95_LATENCY_MS, SERVICE_NAMES, applicationCapacity, deliveredValues, podNames, systemCapacity, deployedServices, noLatencyAlertAnnotation, serviceDemand, serviceLoad, stackScaleUpTimeline } from "../shared";
import { stackProfile } from "./profile";
import { isKind, kindOf, objectName, podTemplate, selects, WORKLOAD_KINDS } from "./kubernetes";

/** The autoscaler (HPA or KEDA ScaledObject) targeting a Deployment, if any. */
function scalerOf(resources: PolicyResource[], deployment: PolicyResource): PolicyResource | undefined {
    const { name, namespace } = deployment.props.metadata ?? {};
    return resources.find((r) =>
        (isKind(r.type, "HorizontalPodAutoscaler") || isKind(r.type, "ScaledObject")) &&
        r.props.metadata?.namespace === namespace &&
        r.props.spec?.scaleTargetRef?.name === name);
}

export const k8sAutoscaledDeployments: StackValidationPolicy = {
    name: "k8s-autoscaled-deployments",
    description: "Checks whether every Deployment in an application namespace has an HPA or a KEDA ScaledObject.",
    validateStack: (args, report) => {
        for (const deployment of args.resources.filter((r) => isKind(r.type, "Deployment") && (APPLICATION_NAMESPACES as readonly string[]).includes(r.props.metadata?.namespace))) {
            if (!scalerOf(args.resources, deployment)) {
                report(`Deployment ${objectName(deployment.props)} must be scaled by an HPA or a ScaledObject.`, deployment.urn);
            }
        }
    },
};

export const k8sProbes: ResourceValidationPolicy = {
    name: "k8s-probes",
    description: "Checks whether every long-running container has liveness and readiness probes.",
    validateResource: (args, report) => {
        if (!isKind(args.type, ...WORKLOAD_KINDS) || isKind(args.type, "Job", "CronJob")) return;
        for (const container of podTemplate(args.type, args.props)?.spec?.containers ?? []) {
            const missing = ["livenessProbe", "readinessProbe"].filter((p) => !container[p]);
            if (missing.length > 0) {
                report(`${kindOf(args.type)} ${objectName(args.props)}, container ${container.name}: must have ${missing.join(" and ")}.`);
            }
        }
    },
};

export const k8sPdbForMultiReplica: StackValidationPolicy = {
    name: "k8s-pdb-for-multi-replica",
    description: "Checks whether every workload that can run more than one replica has a PodDisruptionBudget.",
    validateStack: (args, report) => {
        const pdbs = args.resources.filter((r) => isKind(r.type, "PodDisruptionBudget"));
        for (const workload of args.resources.filter((r) => isKind(r.type, "Deployment", "StatefulSet"))) {
            const scaler = scalerOf(args.resources, workload);
            const most = Math.max(Number(workload.props.spec?.replicas ?? 1), Number(scaler?.props.spec?.maxReplicas ?? scaler?.props.spec?.maxReplicaCount ?? 0));
            if (most <= 1) continue;
            const labels = podTemplate(workload.type, workload.props)?.metadata?.labels;
            const covered = pdbs.some((p) => p.props.metadata?.namespace === workload.props.metadata?.namespace && selects(p.props.spec?.selector, labels));
            if (!covered) {
                report(`${kindOf(workload.type)} ${objectName(workload.props)} runs up to ${most} replicas and must have a PodDisruptionBudget.`, workload.urn);
            }
        }
    },
};

export const capacityCoversTargetRps: StackValidationPolicy = {
    name: "capacity-covers-target-rps",
    description: "Checks whether each service's maxReplicas x rpsPerPod is at least its share of the PerformanceProfile's target RPS plus headroom.",
    validateStack: (args, report) => {
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
                report(`Service ${service.name} has no capacity assumption (rpsPerPod, shareOfTarget) in the PerformanceProfile.`);
                continue;
            }
            const { capacityRps: capacity, requiredRps: needed } = load;
            if (capacity < needed) {
                report(`Service ${service.name} carries at most ${service.maxReplicas} x ${assumption.rpsPerPod} = ${capacity} RPS but must carry ${Math.ceil(needed)} (${assumption.shareOfTarget} of ${targetRps} plus ${headroomPercent}%): raise maxReplicas to ${Math.ceil(needed / assumption.rpsPerPod)}.`);
            }
        }
    },
};

export const capacityFitsNodePools: StackValidationPolicy = {
    name: "capacity-fits-node-pools",
    description: "Checks whether the application capacity (Karpenter NodePools' limits, application node groups at their maximum size) leaves room, after what nodes reserve, for every service's requests at max replicas.",
    validateStack: (args, report) => {
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
            report(`The application capacity (${from}) offers ${capacity.vcpu} vCPU, ${cpu.toFixed(1)} of it allocatable after kubelet's reserve and the DaemonSets; the services request ${demand.vcpu.toFixed(1)} at max replicas: raise the NodePools' cpu limits to at least ${Math.ceil((demand.vcpu * capacity.vcpu) / cpu)}.`);
        }
        if (memory < demand.memoryGiB) {
            report(`The application capacity (${from}) offers ${capacity.memoryGiB} GiB, ${memory.toFixed(1)} of it allocatable after kubelet's reserve and the DaemonSets; the services request ${demand.memoryGiB.toFixed(1)} GiB at max replicas: raise the NodePools' memory limits to at least ${Math.ceil((demand.memoryGiB * capacity.memoryGiB) / memory)} GiB.`);
        }
    },
};

export const systemNodesHoldPlatform: StackValidationPolicy = {
    name: "system-nodes-hold-platform",
    description: "Checks whether the system node group, at its desired size, holds every platform pod (the add-ons' footprints and the EKS add-ons' controllers), each replica of a workload on a node of its own, after kubelet's reserve and the DaemonSets.",
    validateStack: (args, report) => {
        const system = systemCapacity(args.resources);
        if (!system) {
            return args.notApplicable("no system node group of a known instance type");
        }
        const { group, instanceType, desiredSize, perNode, demand, unplaced, nodesNeeded } = system;
        if (unplaced.length > 0) {
            const pods = podNames(unplaced).join(", ");
            const fix = nodesNeeded === undefined ? "a larger instance type" : `${nodesNeeded} nodes of ${instanceType} (desiredSize and minSize), or a larger type`;
            report(`The system node group ${group} (${desiredSize} x ${instanceType}, each leaving ${perNode.vcpu.toFixed(2)} vCPU and ${perNode.memoryGiB.toFixed(1)} GiB after kubelet and the DaemonSets) cannot hold the platform's pods, which request ${demand.vcpu.toFixed(2)} vCPU and ${demand.memoryGiB.toFixed(1)} GiB: ${pods} find no node. It needs ${fix}.`);
        }
    },
};

export const scaleUpWithinObjective: StackValidationPolicy = {
    name: "scale-up-within-objective",
    description: "Checks whether the stack's scale-up timeline (from minimum scale to the target RPS with headroom: metrics delay, HPA scale-up policies, node launch, pod start-up) stays within the PerformanceProfile's objective.",
    validateStack: (args, report) => {
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
            report(`Scaling up to ${profile.performanceProfile.targetRps} RPS with ${profile.performanceProfile.headroomPercent}% headroom takes ${timeline.totalSeconds} s; the objective is ${timeline.objectiveSeconds} s. Slowest: ${slowest.service}, ${slowest.fromReplicas} to ${slowest.toReplicas} replicas in ${slowest.steps.length} steps (last decision at ${slowest.lastDecisionSeconds} s). Raise its minReplicas or its scale-up policies, or shorten what a load test shows is slow.`);
        }
    },
};

export const latencyObjectiveWithinMission: StackValidationPolicy = {
    name: "latency-objective-within-mission",
    description: "Checks whether the PerformanceProfile's P95 latency objective is no looser than the platform's (200 ms unless the pack config says otherwise).",
    configSchema: { properties: { maxP95LatencyMs: { type: "integer", minimum: 1, default: MISSION_P95_LATENCY_MS } } },
    validateStack: (args, report) => {
        const profile = stackProfile(args);
        const bound = args.getConfig<{ maxP95LatencyMs?: number }>().maxP95LatencyMs ?? MISSION_P95_LATENCY_MS;
        const objective = profile.performanceProfile.p95LatencyMs;
        if (objective > bound) {
            report(`The PerformanceProfile's P95 objective must be at most ${bound} ms; it is ${objective} ms.`);
        }
    },
};

export const servicesMonitoredAndAlerted: StackValidationPolicy = {
    name: "services-monitored-and-alerted",
    description: "Checks whether every service is delivered with its ServiceMonitor on and has a P95 latency alert in a PrometheusRule (or the rule's annotation saying why it cannot).",
    validateStack: (args, report) => {
        const values = deliveredValues(args.resources);
        const rules = args.resources.filter((r) => isKind(r.type, "PrometheusRule"));
        const alerted = new Set(rules.flatMap((r) => (r.props.spec?.groups ?? []).flatMap((g: any) => (g.rules ?? [])
            .filter((rule: any) => rule.alert && rule.labels?.kind === LATENCY_ALERT_KIND && rule.expr)
            .map((rule: any) => String(rule.labels?.service)))));
        const exempt = (service: string) => rules.some((r) => r.props.metadata?.annotations?.[noLatencyAlertAnnotation(service)]);
        for (const service of SERVICE_NAMES) {
            const delivered = values.find((v) => v.name === service);
            if (!delivered) continue;
            if (delivered.serviceMonitor?.enabled !== true) {
                report(`Service ${service} must be delivered with serviceMonitor.enabled: Prometheus would not scrape it.`);
            }
            if (!alerted.has(service) && !exempt(service)) {
                report(`Service ${service} must have a P95 latency alert (a PrometheusRule rule labelled kind=${LATENCY_ALERT_KIND}, service=${service}) or the rule's ${noLatencyAlertAnnotation(service)} annotation saying why it cannot.`);
            }
        }
    },
};

export const PERFORMANCE_POLICIES = [k8sAutoscaledDeployments, k8sProbes, k8sPdbForMultiReplica, capacityCoversTargetRps, capacityFitsNodePools, systemNodesHoldPlatform, scaleUpWithinObjective, latencyObjectiveWithinMission, servicesMonitoredAndAlerted];
