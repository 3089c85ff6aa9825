/**
 * Performance rules: every application Deployment (or Rollout) autoscaled, probed and protected by a
 * disruption budget, and enough capacity (pods and nodes) for the PerformanceProfile's target.
 */
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { podNames, systemCapacity } from "../../vocabulary/footprint";
import {
    APPLICATION_NAMESPACES,
    ARGO_ROLLOUTS_CHART_NAME,
    CANARY_LATENCY_METRIC,
    LATENCY_ALERT_KIND,
    MISSION_P95_LATENCY_MS,
    SERVICE_NAMES,
    noLatencyAlertAnnotation,
} from "../../vocabulary/platform";
import {
    applicationCapacity,
    deliveredValues,
    deployedServices,
    serviceDemand,
    serviceLoad,
    stackScaleUpTimeline,
} from "../../vocabulary/stack";
import { stackProfile } from "./profile";
import { isKind, kindOf, objectName, podTemplate, selects, WORKLOAD_KINDS } from "./kubernetes";

/** The autoscaler (HPA or KEDA ScaledObject) targeting a Deployment or Rollout, if any. */
function scalerOf(resources: PolicyResource[], deployment: PolicyResource): PolicyResource | undefined {
    const { name, namespace } = deployment.props.metadata ?? {};
    return resources.find(
        (r) =>
            (isKind(r.type, "HorizontalPodAutoscaler") || isKind(r.type, "ScaledObject")) &&
            r.props.metadata?.namespace === namespace &&
            r.props.spec?.scaleTargetRef?.name === name,
    );
}

export const k8sAutoscaledDeployments: StackValidationPolicy = {
    name: "k8s-autoscaled-deployments",
    description:
        "Checks whether every Deployment or Rollout in an application namespace has an HPA or a KEDA ScaledObject.",
    validateStack: (args, report) => {
        for (const deployment of args.resources.filter(
            (r) =>
                isKind(r.type, "Deployment", "Rollout") &&
                (APPLICATION_NAMESPACES as readonly string[]).includes(r.props.metadata?.namespace),
        )) {
            if (!scalerOf(args.resources, deployment)) {
                report(
                    `${kindOf(deployment.type)} ${objectName(deployment.props)} must be scaled by an HPA or a ScaledObject.`,
                    deployment.urn,
                );
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
                report(
                    `${kindOf(args.type)} ${objectName(args.props)}, container ${container.name}: must have ${missing.join(" and ")}.`,
                );
            }
        }
    },
};

export const k8sPdbForMultiReplica: StackValidationPolicy = {
    name: "k8s-pdb-for-multi-replica",
    description:
        "Checks whether every workload that can run more than one replica has a PodDisruptionBudget.",
    validateStack: (args, report) => {
        const pdbs = args.resources.filter((r) => isKind(r.type, "PodDisruptionBudget"));
        for (const workload of args.resources.filter((r) =>
            isKind(r.type, "Deployment", "StatefulSet", "Rollout"),
        )) {
            const scaler = scalerOf(args.resources, workload);
            const most = Math.max(
                Number(workload.props.spec?.replicas ?? 1),
                Number(scaler?.props.spec?.maxReplicas ?? scaler?.props.spec?.maxReplicaCount ?? 0),
            );
            if (most <= 1) continue;
            const labels = podTemplate(workload.type, workload.props)?.metadata?.labels;
            const covered = pdbs.some(
                (p) =>
                    p.props.metadata?.namespace === workload.props.metadata?.namespace &&
                    selects(p.props.spec?.selector, labels),
            );
            if (!covered) {
                report(
                    `${kindOf(workload.type)} ${objectName(workload.props)} runs up to ${most} replicas and must have a PodDisruptionBudget.`,
                    workload.urn,
                );
            }
        }
    },
};

export const capacityCoversTargetRps: StackValidationPolicy = {
    name: "capacity-covers-target-rps",
    description:
        "Checks whether each service's maxReplicas x rpsPerPod is at least its share of the PerformanceProfile's target RPS plus headroom.",
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
};

export const capacityFitsNodePools: StackValidationPolicy = {
    name: "capacity-fits-node-pools",
    description:
        "Checks whether the application capacity (Karpenter NodePools' limits, application node groups at their maximum size) leaves room, after what nodes reserve, for every service's requests at max replicas.",
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
};

export const systemNodesHoldPlatform: StackValidationPolicy = {
    name: "system-nodes-hold-platform",
    description:
        "Checks whether the system node group, at its desired size, holds every platform pod (the add-ons' footprints and the EKS add-ons' controllers), each replica of a workload on a node of its own, after kubelet's reserve and the DaemonSets.",
    validateStack: (args, report) => {
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
};

export const scaleUpWithinObjective: StackValidationPolicy = {
    name: "scale-up-within-objective",
    description:
        "Checks whether the stack's scale-up timeline (from minimum scale to the target RPS with headroom: metrics delay, HPA scale-up policies, node launch, pod start-up) stays within the PerformanceProfile's objective.",
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
            report(
                `Scaling up to ${profile.performanceProfile.targetRps} RPS with ${profile.performanceProfile.headroomPercent}% headroom takes ${timeline.totalSeconds} s; the objective is ${timeline.objectiveSeconds} s. Slowest: ${slowest.service}, ${slowest.fromReplicas} to ${slowest.toReplicas} replicas in ${slowest.steps.length} steps (last decision at ${slowest.lastDecisionSeconds} s). Raise its minReplicas or its scale-up policies, or shorten what a load test shows is slow.`,
            );
        }
    },
};

export const latencyObjectiveWithinMission: StackValidationPolicy = {
    name: "latency-objective-within-mission",
    description:
        "Checks whether the PerformanceProfile's P95 latency objective is no looser than the platform's (200 ms unless the pack config says otherwise).",
    configSchema: {
        properties: { maxP95LatencyMs: { type: "integer", minimum: 1, default: MISSION_P95_LATENCY_MS } },
    },
    validateStack: (args, report) => {
        const profile = stackProfile(args);
        const bound =
            args.getConfig<{ maxP95LatencyMs?: number }>().maxP95LatencyMs ?? MISSION_P95_LATENCY_MS;
        const objective = profile.performanceProfile.p95LatencyMs;
        if (objective > bound) {
            report(
                `The PerformanceProfile's P95 objective must be at most ${bound} ms; it is ${objective} ms.`,
            );
        }
    },
};

/** The services with a P95 latency alert in a PrometheusRule, and those the rule's annotation exempts. */
function latencyAlerts(resources: PolicyResource[]): {
    alerted: Set<string>;
    exempt: (service: string) => boolean;
} {
    const rules = resources.filter((r) => isKind(r.type, "PrometheusRule"));
    const alerted = new Set(
        rules.flatMap((r) =>
            (r.props.spec?.groups ?? []).flatMap((g: any) =>
                (g.rules ?? [])
                    .filter(
                        (rule: any) => rule.alert && rule.labels?.kind === LATENCY_ALERT_KIND && rule.expr,
                    )
                    .map((rule: any) => String(rule.labels?.service)),
            ),
        ),
    );
    return {
        alerted,
        exempt: (service) =>
            rules.some((r) => r.props.metadata?.annotations?.[noLatencyAlertAnnotation(service)]),
    };
}

export const servicesMonitoredAndAlerted: StackValidationPolicy = {
    name: "services-monitored-and-alerted",
    description:
        "Checks whether every service is delivered with its ServiceMonitor on and has a P95 latency alert in a PrometheusRule (or the rule's annotation saying why it cannot).",
    validateStack: (args, report) => {
        const values = deliveredValues(args.resources);
        const { alerted, exempt } = latencyAlerts(args.resources);
        for (const service of SERVICE_NAMES) {
            const delivered = values.find((v) => v.name === service);
            if (!delivered) continue;
            if (delivered.serviceMonitor?.enabled !== true) {
                report(
                    `Service ${service} must be delivered with serviceMonitor.enabled: Prometheus would not scrape it.`,
                );
            }
            if (!alerted.has(service) && !exempt(service)) {
                report(
                    `Service ${service} must have a P95 latency alert (a PrometheusRule rule labelled kind=${LATENCY_ALERT_KIND}, service=${service}) or the rule's ${noLatencyAlertAnnotation(service)} annotation saying why it cannot.`,
                );
            }
        }
    },
};

/** What is wrong with one service's `rollout` values: it must be a canary that judges every step and aborts by itself. */
export function canaryProblems(values: Record<string, any>, latencyAlerted: boolean): string[] {
    const name = values.name;
    const r = values.rollout;
    if (r?.enabled !== true) {
        return [
            `Service ${name} must be released as a canary (rollout.enabled): a Deployment rolls a bad release out to every pod and nothing rolls it back.`,
        ];
    }
    const problems: string[] = [];
    const failureLimit = Number(r.analysis?.failureLimit ?? 0);
    const steps: any[] = r.steps ?? [];
    if (steps.length === 0) problems.push(`Service ${name}'s canary must have steps (rollout.steps).`);
    steps.forEach((step, i) => {
        if (!(Number(step.measurements) > failureLimit)) {
            problems.push(
                `Service ${name}'s rollout.steps[${i}] must take more measurements than analysis.failureLimit (${failureLimit}), or its analysis can never fail.`,
            );
        }
    });
    if (steps.length > 0 && Number(steps[steps.length - 1].weight) !== 100) {
        problems.push(
            `Service ${name}'s last canary step must have weight 100: the whole load must be judged before the old version goes.`,
        );
    }
    const metrics: any[] = r.analysis?.metrics ?? [];
    if (metrics.length === 0)
        problems.push(
            `Service ${name}'s canary must be judged by at least one analysis metric (rollout.analysis.metrics).`,
        );
    metrics
        .filter((m) => !m.successCondition || !m.provider)
        .forEach((m) =>
            problems.push(
                `Service ${name}'s analysis metric ${m.name} must have a successCondition and a provider.`,
            ),
        );
    if (latencyAlerted && !metrics.some((m) => m.name === CANARY_LATENCY_METRIC)) {
        problems.push(
            `Service ${name} is alerted on its P95 latency, so its canary must be judged on it too (an analysis metric named ${CANARY_LATENCY_METRIC}).`,
        );
    }
    if (values.httpRoute?.enabled && r.trafficRouting !== true) {
        problems.push(
            `Service ${name} is reached through the Gateway: its canary must shift traffic by the HTTPRoute's weights (rollout.trafficRouting), not by replica count.`,
        );
    }
    return problems;
}

export const releasesCanaryWithAnalysis: StackValidationPolicy = {
    name: "releases-canary-with-analysis",
    description:
        "Checks whether every delivered service is released as an Argo Rollouts canary whose every step is gated by an analysis of its own metrics and aborts by itself, whether Argo CD leaves the weights Argo Rollouts owns alone, and whether the Argo Rollouts controller is installed.",
    validateStack: (args, report) => {
        const values = deliveredValues(args.resources);
        if (values.length === 0) return;
        const { alerted } = latencyAlerts(args.resources);
        values
            .filter((v) => v.name)
            .flatMap((v) => canaryProblems(v, alerted.has(v.name)))
            .forEach((problem) => report(problem));
        if (
            values.some((v) => v.rollout?.enabled) &&
            !args.resources.some(
                (r) =>
                    r.type === "kubernetes:helm.sh/v3:Release" && r.props.chart === ARGO_ROLLOUTS_CHART_NAME,
            )
        ) {
            report(
                `The services are released as canaries, but the stack installs no Argo Rollouts controller (a ${ARGO_ROLLOUTS_CHART_NAME} Helm release): their Rollouts would never roll.`,
            );
        }
        for (const app of args.resources.filter(
            (r) => r.type === "kubernetes:argoproj.io/v1alpha1:Application",
        )) {
            const v = app.props.spec?.source?.helm?.valuesObject;
            if (!v?.rollout?.enabled || !v.rollout.trafficRouting) continue;
            const ignoresWeights = (app.props.spec?.ignoreDifferences ?? []).some(
                (d: any) =>
                    d.kind === "HTTPRoute" &&
                    (d.jqPathExpressions ?? []).some((e: string) => e.includes(".spec.rules")),
            );
            const respects = (app.props.spec?.syncPolicy?.syncOptions ?? []).includes(
                "RespectIgnoreDifferences=true",
            );
            if (!ignoresWeights || !respects) {
                report(
                    `Argo CD Application ${v.name} must leave its HTTPRoute's rules to Argo Rollouts while a canary runs (ignoreDifferences with a jqPathExpression on .spec.rules, and the sync option RespectIgnoreDifferences=true): a sync would otherwise reset a canary in flight.`,
                );
            }
        }
    },
};

export const PERFORMANCE_POLICIES = [
    k8sAutoscaledDeployments,
    k8sProbes,
    k8sPdbForMultiReplica,
    capacityCoversTargetRps,
    capacityFitsNodePools,
    systemNodesHoldPlatform,
    scaleUpWithinObjective,
    latencyObjectiveWithinMission,
    servicesMonitoredAndAlerted,
    releasesCanaryWithAnalysis,
];
