/**
 * The stack's SecurityPolicy, CostOptimization and PerformanceProfile, as the program registers
 * them (a `tacos:index:PlatformProfile` component whose inputs are those config sections), and
 * the services' deployed scaling and sizing, read from their Argo CD Applications or Helm
 * releases. Stack policies read the stack's own settings from here instead of a second copy.
 * What the application nodes can hold is in capacity.ts.
 */
import { cores, gibibytes } from "./quantity";
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

/**
 * The stack's profile as the program registers it: the stack's name and its three config
 * sections, of the types their schemas (profile-schema.ts) infer. Its `services` also answers
 * for a delivered service the profile does not know, with undefined.
 */
export interface PlatformProfile {
    stack: string;
    /** The allowed namespaces resolved: the stack's own list, or the add-on registry's when it sets none. */
    securityPolicy: SecurityPolicy & { allowedNamespaces: string[] };
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

/** vCPU and memory one pod of a service requests. */
export const podRequest = (service: DeployedService): { vcpu: number; memoryGiB: number } => ({
    vcpu: cores(service.requests.cpu),
    memoryGiB: gibibytes(service.requests.memory),
});

/** vCPU and memory the services request at their maximum replicas (or at `scale`'s). */
export function serviceDemand(
    services: DeployedService[],
    scale: "minReplicas" | "maxReplicas" = "maxReplicas",
): { vcpu: number; memoryGiB: number } {
    return {
        vcpu: services.reduce((sum, s) => sum + s[scale] * podRequest(s).vcpu, 0),
        memoryGiB: services.reduce((sum, s) => sum + s[scale] * podRequest(s).memoryGiB, 0),
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
