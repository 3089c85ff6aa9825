/**
 * The stack's SecurityPolicy, CostOptimization and PerformanceProfile, as the program registers
 * them (a `tacos:index:PlatformProfile` component whose inputs are those config sections), and
 * the services' deployed scaling and sizing, read from their Argo CD Applications or Helm
 * releases. Stack policies read the stack's own settings from here instead of a second copy.
 */
import { INSTANCE_CAPACITY, nodeGroupNode } from "./instances";
import { SYSTEM_TAINT } from "./placement";
import { cores, gibibytes } from "./quantity";
import { podAllocatable, stackDaemonSets } from "./footprint";
import type { StackResource } from "./stack-resource";
import type { ServiceValues } from "./chart-values";
import type { CostOptimization, PerformanceProfile, SecurityPolicy, ServiceScaling } from "./profile-schema";
import {
    NeverScalesError,
    ScaleUpBehaviour,
    ScaleUpTimeline,
    serviceScaleUp,
    ServiceScaleUpInput,
    timelineOf,
} from "./scaling";

export const PROFILE_TYPE = "tacos:index:PlatformProfile";

export type { ServiceScaling };

/**
 * The stack's profile as the program registers it: the stack's name and its three config
 * sections, of the types their schemas (profile-schema.ts) infer. Its `services` also answers
 * for a delivered service the profile does not know, with undefined.
 */
export interface PlatformProfile {
    stack: string;
    securityPolicy: SecurityPolicy;
    costOptimization: CostOptimization;
    performanceProfile: PerformanceProfile & { services: Partial<Record<string, ServiceScaling>> };
}

/** The stack's profile, or undefined when the stack registers none. */
export function findProfile(resources: StackResource[]): PlatformProfile | undefined {
    return resources.find((r) => r.type === PROFILE_TYPE)?.props as PlatformProfile | undefined;
}

/** What a service runs with: its replica range, per-pod requests and how it scales up. */
export interface DeployedService {
    name: string;
    minReplicas: number;
    maxReplicas: number;
    requests: { cpu: string; memory: string };
    /** What the autoscaler reacts to: CPU against a target (with the container's CPU limit), or a queue KEDA polls. */
    trigger:
        | { kind: "metrics"; cpuUtilization?: number; cpuLimit?: string }
        | { kind: "queue"; pollingSeconds: number };
    /** The HPA's scale-up behaviour as delivered; undefined when the values set none. */
    scaleUp?: ScaleUpBehaviour;
}

/**
 * The tacos-service values of each delivered service: from its Argo CD Application or its Helm
 * release, read as the chart's values type (what the program delivers; a stack's readers still
 * check what they use).
 */
export function deliveredValues(resources: { type: string; props: Record<string, any> }[]): ServiceValues[] {
    return resources.flatMap((r) => {
        if (r.type === "kubernetes:argoproj.io/v1alpha1:Application") {
            const v = r.props.spec?.source?.helm?.valuesObject;
            return v ? [v] : [];
        }
        if (
            r.type === "kubernetes:helm.sh/v3:Release" &&
            String(r.props.chart ?? "").endsWith("tacos-service")
        ) {
            return r.props.values ? [r.props.values] : [];
        }
        return [];
    });
}

/** The services as delivered: replica ranges, per-pod requests and scale-up behaviour. */
export function deployedServices(resources: StackResource[]): DeployedService[] {
    return deliveredValues(resources)
        .filter((v) => v.name && v.autoscaling && v.resources?.requests)
        .map((v) => {
            const a = v.autoscaling;
            const up = a.hpa?.scaleUp;
            return {
                name: v.name,
                minReplicas: Number(a.minReplicas ?? 0),
                maxReplicas: Number(a.maxReplicas),
                requests: v.resources.requests,
                // KEDA on a queue scales from its depth; KEDA on requests (and CPU) or an HPA on CPU from the CPU target.
                trigger:
                    a.mode === "keda" && a.keda?.queueUrl
                        ? { kind: "queue", pollingSeconds: Number(a.keda?.pollingInterval ?? 30) }
                        : {
                              kind: "metrics",
                              cpuUtilization:
                                  a.hpa?.cpuUtilization === undefined
                                      ? undefined
                                      : Number(a.hpa.cpuUtilization),
                              cpuLimit: v.resources.limits?.cpu,
                          },
                scaleUp: up
                    ? {
                          periodSeconds: Number(up.periodSeconds),
                          percent: Number(up.percent),
                          pods: Number(up.pods),
                          stabilizationWindowSeconds: Number(up.stabilizationWindowSeconds ?? 0),
                      }
                    : undefined,
            };
        });
}

/** Node groups that run applications: those without the system node group's taint. */
export function applicationNodeGroups<T extends { type: string; props: Record<string, any> }>(
    resources: T[],
): T[] {
    return resources.filter(
        (r) =>
            r.type === "aws:eks/nodeGroup:NodeGroup" &&
            !(r.props.taints ?? []).some((t: Record<string, any>) => t.key === SYSTEM_TAINT.key),
    );
}

/** Resource type of a Karpenter NodePool as the program registers it. */
export const NODE_POOL_TYPE = "kubernetes:karpenter.sh/v1:NodePool";

/** The application capacity one NodePool may grow to: its `spec.limits`; a pool without limits is unbounded. */
export function nodePoolLimits(pool: { name: string; props: Record<string, any> }): {
    name: string;
    vcpu?: number;
    memoryGiB?: number;
} {
    const limits = pool.props.spec?.limits ?? {};
    return {
        name: pool.props.metadata?.name ?? pool.name,
        vcpu: limits.cpu !== undefined ? cores(String(limits.cpu)) : undefined,
        memoryGiB: limits.memory !== undefined ? gibibytes(String(limits.memory)) : undefined,
    };
}

/** The values a NodePool's `In` requirement on `key` allows; undefined when it does not constrain `key`. */
export function nodePoolAllows(pool: { props: Record<string, any> }, key: string): string[] | undefined {
    const requirement = (pool.props.spec?.template?.spec?.requirements ?? []).find(
        (r: Record<string, any>) => r.key === key && r.operator === "In",
    );
    return requirement?.values;
}

/** Application NodePools: every NodePool the stack registers (the system nodes are a managed group). */
export function applicationNodePools<T extends { type: string }>(resources: T[]): T[] {
    return resources.filter((r) => r.type === NODE_POOL_TYPE);
}

/** One part of the application capacity: a NodePool at its limits or a node group at its maximum size. */
export interface CapacitySource {
    kind: "NodePool" | "node group";
    name: string;
    vcpu: number;
    memoryGiB: number;
    /** The most nodes it may have (a NodePool's limits over its smallest type): each runs the DaemonSets. */
    nodes: number;
}

/**
 * The capacity the applications may grow to: each NodePool's limits and each application node
 * group at its maximum size (a mixed group counts its smallest type). What pods can request of it
 * is ALLOCATABLE_SHARE of it less the DaemonSets on each of its nodes (the add-ons' footprints and
 * the EKS add-ons'). A NodePool without limits or a group with a type missing from the instance
 * table is a problem, counted as nothing.
 */
export function applicationCapacity<
    T extends { type: string; name: string; urn?: string; props: Record<string, any> },
>(
    resources: T[],
): {
    vcpu: number;
    memoryGiB: number;
    /** What pods can request of it (ALLOCATABLE_SHARE, less the DaemonSets). */
    allocatableVcpu: number;
    allocatableMemoryGiB: number;
    sources: CapacitySource[];
    problems: { message: string; urn?: string }[];
} {
    const sources: CapacitySource[] = [];
    const problems: { message: string; urn?: string }[] = [];
    for (const pool of applicationNodePools(resources)) {
        const limits = nodePoolLimits(pool);
        if (limits.vcpu === undefined || limits.memoryGiB === undefined) {
            problems.push({
                message: `NodePool ${limits.name} must set spec.limits.cpu and spec.limits.memory: without them it grows without bound and its capacity cannot be planned.`,
                urn: pool.urn,
            });
            continue;
        }
        const smallest = Math.min(
            ...(nodePoolAllows(pool, "node.kubernetes.io/instance-type") ?? []).map(
                (t) => INSTANCE_CAPACITY[t]?.vcpu ?? Infinity,
            ),
        );
        const nodes = Number.isFinite(smallest) ? Math.ceil(limits.vcpu / smallest) : 0;
        sources.push({
            kind: "NodePool",
            name: limits.name,
            vcpu: limits.vcpu,
            memoryGiB: limits.memoryGiB,
            nodes,
        });
    }
    for (const group of applicationNodeGroups(resources)) {
        const node = nodeGroupNode(group);
        if (!node) {
            const types: string[] = group.props.instanceTypes ?? [];
            problems.push({
                message: `Node group ${group.name} uses instance types missing from the capacity table: ${types.filter((t) => !INSTANCE_CAPACITY[t]).join(", ") || "(none)"}.`,
                urn: group.urn,
            });
            continue;
        }
        const max = Number(group.props.scalingConfig?.maxSize ?? 0);
        sources.push({
            kind: "node group",
            name: group.name,
            vcpu: max * node.vcpu,
            memoryGiB: max * node.memoryGiB,
            nodes: max,
        });
    }
    const vcpu = sources.reduce((sum, s) => sum + s.vcpu, 0);
    const memoryGiB = sources.reduce((sum, s) => sum + s.memoryGiB, 0);
    const nodes = sources.reduce((sum, s) => sum + s.nodes, 0);
    // Every node keeps kubelet's reserve and runs the DaemonSets: the sum of podAllocatable over the nodes.
    const daemonSets = stackDaemonSets(resources);
    const free = podAllocatable(
        { vcpu, memoryGiB },
        { vcpu: nodes * daemonSets.vcpu, memoryGiB: nodes * daemonSets.memoryGiB },
    );
    return {
        vcpu,
        memoryGiB,
        allocatableVcpu: free.vcpu,
        allocatableMemoryGiB: free.memoryGiB,
        sources,
        problems,
    };
}

/** vCPU and memory the services request at their maximum replicas (or at `scale`'s). */
export function serviceDemand(
    services: DeployedService[],
    scale: "minReplicas" | "maxReplicas" = "maxReplicas",
): { vcpu: number; memoryGiB: number } {
    return {
        vcpu: services.reduce((sum, s) => sum + s[scale] * cores(s.requests.cpu), 0),
        memoryGiB: services.reduce((sum, s) => sum + s[scale] * gibibytes(s.requests.memory), 0),
    };
}

/** What one service carries at max replicas against what the PerformanceProfile asks of it. */
export interface ServiceLoad {
    /** maxReplicas x rpsPerPod. */
    capacityRps: number;
    /** Its share of the target RPS. */
    demandRps: number;
    /** The demand plus the profile's headroom: what the capacity must reach. */
    requiredRps: number;
}

/** The service's load figures; undefined when the profile states no assumption for it. */
export function serviceLoad(
    perf: PlatformProfile["performanceProfile"],
    service: DeployedService,
): ServiceLoad | undefined {
    const assumption = perf.services[service.name];
    if (!assumption) return undefined;
    const demandRps = perf.targetRps * assumption.shareOfTarget;
    return {
        capacityRps: service.maxReplicas * assumption.rpsPerPod,
        demandRps,
        requiredRps: demandRps * (1 + perf.headroomPercent / 100),
    };
}

/** A stack's timeline: its objective, and the services it could not time, with why. */
export type StackScaleUpTimeline = ScaleUpTimeline & {
    objectiveSeconds: number;
    unknown: { service: string; why: string }[];
};

/**
 * The stack's scale-up timeline: each delivered service from its minimum replicas to the replicas
 * its share of the target RPS with headroom needs (at most its maximum), under its delivered
 * scale-up behaviour, CPU target and limit, and the PerformanceProfile's assumptions. A service
 * with no assumption, no delivered behaviour or no CPU target and limit, or one that never
 * scales, is named in `unknown`.
 */
export function stackScaleUpTimeline(
    perf: PlatformProfile["performanceProfile"],
    services: DeployedService[],
): StackScaleUpTimeline {
    const unknown: { service: string; why: string }[] = [];
    const inputs: ServiceScaleUpInput[] = services.flatMap((s) => {
        const assumption = perf.services[s.name];
        const load = serviceLoad(perf, s);
        const t = s.trigger;
        if (
            !assumption ||
            !load ||
            !s.scaleUp ||
            (t.kind === "metrics" && (!t.cpuUtilization || !t.cpuLimit))
        ) {
            unknown.push({
                service: s.name,
                why: "it has no scale-up behaviour, CPU target and limit, or capacity assumption",
            });
            return [];
        }
        return [
            {
                service: s.name,
                fromReplicas: s.minReplicas,
                toReplicas: Math.min(s.maxReplicas, Math.ceil(load.requiredRps / assumption.rpsPerPod)),
                trigger:
                    t.kind === "queue"
                        ? t
                        : {
                              kind: "metrics",
                              maxGrowthPerDecision:
                                  cores(t.cpuLimit!) / cores(s.requests.cpu) / (t.cpuUtilization! / 100),
                          },
                scaleUp: s.scaleUp,
                podStartupSeconds: assumption.podStartupSeconds,
            },
        ];
    });
    const { objectiveSeconds, ...assumptions } = perf.timeline;
    const timed = inputs.flatMap((input) => {
        try {
            return [serviceScaleUp(input, assumptions)];
        } catch (e) {
            if (!(e instanceof NeverScalesError)) throw e;
            unknown.push({ service: input.service, why: e.message });
            return [];
        }
    });
    return { ...timelineOf(timed, assumptions), objectiveSeconds, unknown };
}
