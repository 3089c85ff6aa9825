/**
 * The stack's SecurityPolicy, CostOptimization and PerformanceProfile, as the program registers
 * them (a `tacos:index:PlatformProfile` component whose inputs are those config sections), and
 * the services' deployed scaling and sizing, read from their Argo CD Applications or Helm
 * releases. Stack policies read the stack's own settings from here instead of a second copy.
 */
import { INSTANCE_CAPACITY } from "./instances";
import { SYSTEM_TAINT } from "./placement";
import { cores, gibibytes } from "./quantity";

/** A resource as the pack and the offline tools both see it: its type and its inputs. */
export interface StackResource {
    type: string;
    props: Record<string, any>;
}

export const PROFILE_TYPE = "tacos:index:PlatformProfile";

export interface ServiceScaling {
    minReplicas: number;
    maxReplicas: number;
    rpsPerPod: number;
    shareOfTarget: number;
}

export interface PlatformProfile {
    stack: string;
    securityPolicy: { podSecurityLevel: string; defaultDenyNetworkPolicies: boolean; allowedNamespaces: string[] };
    costOptimization: { requireGraviton: boolean; spotForApps: boolean; quotaHeadroomPercent: number };
    performanceProfile: { targetRps: number; p95LatencyMs: number; headroomPercent: number; services: Record<string, ServiceScaling> };
}

/** The stack's profile, or undefined when the stack registers none. */
export function findProfile(resources: StackResource[]): PlatformProfile | undefined {
    return resources.find((r) => r.type === PROFILE_TYPE)?.props as PlatformProfile | undefined;
}

/** What a service runs with at most: replicas and per-pod requests. */
export interface DeployedService {
    name: string;
    maxReplicas: number;
    requests: { cpu: string; memory: string };
}

/** The tacos-service values of each delivered service: from its Argo CD Application or its Helm release. */
export function deliveredValues(resources: { type: string; props: Record<string, any> }[]): Record<string, any>[] {
    return resources.flatMap((r) => {
        if (r.type === "kubernetes:argoproj.io/v1alpha1:Application") {
            const v = r.props.spec?.source?.helm?.valuesObject;
            return v ? [v] : [];
        }
        if (r.type === "kubernetes:helm.sh/v3:Release" && String(r.props.chart ?? "").endsWith("tacos-service")) {
            return r.props.values ? [r.props.values] : [];
        }
        return [];
    });
}

/** The services as delivered: their maximum replicas and per-pod requests. */
export function deployedServices(resources: StackResource[]): DeployedService[] {
    return deliveredValues(resources)
        .filter((v) => v.name && v.autoscaling && v.resources?.requests)
        .map((v) => ({ name: v.name, maxReplicas: Number(v.autoscaling.maxReplicas), requests: v.resources.requests }));
}

/** Node groups that run applications: those without the system node group's taint. */
export function applicationNodeGroups<T extends { type: string; props: Record<string, any> }>(resources: T[]): T[] {
    return resources.filter((r) => r.type === "aws:eks/nodeGroup:NodeGroup" && !(r.props.taints ?? []).some((t: Record<string, any>) => t.key === SYSTEM_TAINT.key));
}

/** What node groups offer at their maximum size; a mixed group counts its smallest type. */
export function nodeGroupCapacity(groups: { name: string; props: Record<string, any> }[]): { vcpu: number; memoryGiB: number; unknown: { group: string; types: string[] }[] } {
    let vcpu = 0;
    let memoryGiB = 0;
    const unknown: { group: string; types: string[] }[] = [];
    for (const group of groups) {
        const types: string[] = group.props.instanceTypes ?? [];
        const known = types.map((t) => INSTANCE_CAPACITY[t]).filter(Boolean);
        if (known.length !== types.length || known.length === 0) {
            unknown.push({ group: group.name, types: types.filter((t) => !INSTANCE_CAPACITY[t]) });
            continue;
        }
        const max = Number(group.props.scalingConfig?.maxSize ?? 0);
        vcpu += max * Math.min(...known.map((k) => k.vcpu));
        memoryGiB += max * Math.min(...known.map((k) => k.memoryGiB));
    }
    return { vcpu, memoryGiB, unknown };
}

/** vCPU and memory the services request at their maximum replicas. */
export function serviceDemand(services: DeployedService[]): { vcpu: number; memoryGiB: number } {
    return {
        vcpu: services.reduce((sum, s) => sum + s.maxReplicas * cores(s.requests.cpu), 0),
        memoryGiB: services.reduce((sum, s) => sum + s.maxReplicas * gibibytes(s.requests.memory), 0),
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
export function serviceLoad(perf: PlatformProfile["performanceProfile"], service: DeployedService): ServiceLoad | undefined {
    const assumption = perf.services[service.name];
    if (!assumption) return undefined;
    const demandRps = perf.targetRps * assumption.shareOfTarget;
    return { capacityRps: service.maxReplicas * assumption.rpsPerPod, demandRps, requiredRps: demandRps * (1 + perf.headroomPercent / 100) };
}
