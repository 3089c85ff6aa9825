/**
 * What a stack carries while one availability zone is lost: each service's pods left, their RPS
 * against the service's share of the target, and how long until the lost pods run again in the
 * zones left. A service's spread is read from its rendered pod template (its zone constraint and
 * its tolerations of a lost node).
 */
import type { StackResource } from "./stack-resource";
import { DeployedService, PlatformProfile, podRequest, serviceLoad } from "./stack";
import { podTemplateOfKind } from "./workloads";

/** The taints the node lifecycle controller puts on a node it lost; a pod's NoExecute tolerations of them time its eviction. */
export const NODE_LOSS_TAINTS = ["node.kubernetes.io/unreachable", "node.kubernetes.io/not-ready"];

/**
 * Seconds a pod stays on a lost node when it tolerates nothing: the DefaultTolerationSeconds
 * admission plugin gives it 300 s (Kubernetes documentation, "Taints and Tolerations",
 * taint-based evictions).
 */
export const DEFAULT_NODE_LOSS_TOLERATION_SECONDS = 300;

/** The availability zones of the stack's subnets. */
export function stackZones(resources: StackResource[]): string[] {
    const zones = resources
        .filter((r) => r.type === "aws:ec2/subnet:Subnet" && r.props.availabilityZone)
        .map((r) => String(r.props.availabilityZone));
    return [...new Set(zones)].sort();
}

/** How a service's pods spread over zones and how long they stay on a lost node. */
export interface ZoneSpread {
    /** A DoNotSchedule zone constraint: the scheduler keeps the zones within maxSkew of each other. */
    enforced: boolean;
    maxSkew: number;
    /** The longest NoExecute toleration of a lost node's taints. */
    tolerationSeconds: number;
}

/** The spread of the service's rendered pod template (Rollout or Deployment); undefined when none is rendered. */
export function renderedSpread(resources: StackResource[], service: string): ZoneSpread | undefined {
    const pod = resources
        .filter((r) => r.props.metadata?.name === service)
        .map((r) => {
            const kind = r.type.split(":").pop();
            return kind === "Rollout" || kind === "Deployment"
                ? podTemplateOfKind(kind, r.props)?.spec
                : undefined;
        })
        .find((spec) => spec !== undefined);
    if (!pod) return undefined;
    const zone = (pod.topologySpreadConstraints ?? []).find(
        (c: Record<string, any>) => c.topologyKey === "topology.kubernetes.io/zone",
    );
    const tolerations = (pod.tolerations ?? []).filter(
        (t: Record<string, any>) =>
            NODE_LOSS_TAINTS.includes(t.key) && t.effect === "NoExecute" && t.tolerationSeconds !== undefined,
    );
    return {
        enforced: zone?.whenUnsatisfiable === "DoNotSchedule",
        maxSkew: Number(zone?.maxSkew ?? 1),
        tolerationSeconds: tolerations.length
            ? Math.max(...tolerations.map((t: Record<string, any>) => Number(t.tolerationSeconds)))
            : DEFAULT_NODE_LOSS_TOLERATION_SECONDS,
    };
}

/**
 * The most of `replicas` pods one of `zones` zones can hold. With a DoNotSchedule constraint every
 * other zone holds at least the largest's count less maxSkew, so the largest holds at most
 * (replicas + (zones - 1) x maxSkew) / zones; without one, nothing keeps them apart: all of them.
 */
export function podsInLargestZone(replicas: number, zones: number, spread: ZoneSpread): number {
    if (!spread.enforced || zones <= 1) return replicas;
    return Math.min(replicas, Math.floor((replicas + (zones - 1) * spread.maxSkew) / zones));
}

/** One service with its largest zone lost, at max replicas. */
export interface ServiceZoneLoss {
    service: string;
    spread: ZoneSpread;
    podsLeft: number;
    /** podsLeft x rpsPerPod. */
    capacityRps: number;
    /** Its share of the target RPS (no headroom: the zone's loss is what the headroom is for). */
    demandRps: number;
    /** The fewest maxReplicas whose pods left carry demandRps; undefined when no count does (spread not enforced). */
    maxReplicasNeeded?: number;
    /** From the zone's loss until replacements serve: detection, eviction, a node and its mesh agents, the pod's start. */
    recoverSeconds: number;
}

/** The service at max replicas with its largest zone lost; undefined without a capacity assumption or a rendered pod template. */
export function serviceZoneLoss(
    perf: PlatformProfile["performanceProfile"],
    service: DeployedService,
    resources: StackResource[],
    zones: number,
): ServiceZoneLoss | undefined {
    const assumption = perf.services[service.name];
    const load = serviceLoad(perf, service);
    const spread = renderedSpread(resources, service.name);
    if (!assumption || !load || !spread) return undefined;
    const left = (replicas: number) => replicas - podsInLargestZone(replicas, zones, spread);
    const podsLeft = left(service.maxReplicas);
    const enough = (replicas: number) => left(replicas) * assumption.rpsPerPod >= load.demandRps;
    let maxReplicasNeeded: number | undefined;
    if (spread.enforced && zones > 1) {
        maxReplicasNeeded = 1;
        while (!enough(maxReplicasNeeded)) maxReplicasNeeded++;
    }
    return {
        service: service.name,
        spread,
        podsLeft,
        capacityRps: podsLeft * assumption.rpsPerPod,
        demandRps: load.demandRps,
        maxReplicasNeeded,
        recoverSeconds:
            perf.timeline.nodeLostDetectionSeconds +
            spread.tolerationSeconds +
            perf.timeline.nodeLaunchSeconds +
            perf.timeline.nodeAgentsReadySeconds +
            assumption.podStartupSeconds,
    };
}

/**
 * vCPU and memory the application nodes must offer to run every service at max replicas while a
 * lost zone's pods are replaced elsewhere: the lost zone's nodes still count against their
 * NodePool's limits until they are deleted (Karpenter counts every NodeClaim it has; a zone's
 * outage deletes none), so the replacements need room on top of the requests at max scale.
 */
export function zoneLossDemand(
    services: DeployedService[],
    resources: StackResource[],
    zones: number,
): { vcpu: number; memoryGiB: number } {
    return services.reduce(
        (sum, s) => {
            const spread = renderedSpread(resources, s.name);
            const pods =
                s.maxReplicas + (spread ? podsInLargestZone(s.maxReplicas, zones, spread) : s.maxReplicas);
            const one = podRequest(s);
            return { vcpu: sum.vcpu + pods * one.vcpu, memoryGiB: sum.memoryGiB + pods * one.memoryGiB };
        },
        { vcpu: 0, memoryGiB: 0 },
    );
}
