/**
 * How long a stack takes to grow from its minimum scale to the target RPS with headroom: the
 * scale-up timeline the plan reports and the performance policy judges. Pure arithmetic over
 * stated assumptions (the stack's PerformanceProfile) and the delivered scaling settings.
 *
 * The model, per service, for a step from the minimum load to the target load at t = 0:
 * - the autoscaler first sees the load after the metrics delay (metrics-server's scrape and the
 *   HPA's sync; for a queue-driven service, KEDA's polling interval, which also activates it from
 *   zero to one replica), then waits out its scale-up stabilization window;
 * - each decision then grows the replicas by what the HPA's scale-up policies allow at most
 *   (selectPolicy Max: the larger of `ceil(r x (1 + percent/100))` and `r + pods`), one decision
 *   per policy period, until the replicas reach what the target needs;
 * - the pods of the last decision need new nodes (Karpenter has consolidated the cluster down to
 *   the minimum scale), which take the node launch time, and then start (pod start-up time).
 * The model assumes that the demand stays high enough for every decision to want what the
 * policies allow; in a real HPA, pods not yet ready count as idle and slow the later steps. A load
 * test corrects the assumptions (delays and start-up times), not the arithmetic.
 */

/** The HPA's scale-up behaviour: two policies (Percent and Pods) over one period, selectPolicy Max. */
export interface ScaleUpBehaviour {
    periodSeconds: number;
    percent: number;
    pods: number;
    stabilizationWindowSeconds: number;
}

/** What the timeline assumes about the cluster, each figure for a load test to correct. */
export interface TimelineAssumptions {
    /** From a load change until the HPA's metrics show it (scrape interval plus HPA sync). */
    metricsDelaySeconds: number;
    /** From a pending pod until a new node is Ready (Karpenter's batching, EC2 launch, kubelet join). */
    nodeLaunchSeconds: number;
}

/** One service's part of the timeline. */
export interface ServiceScaleUpInput {
    service: string;
    /** Replicas at the minimum scale. */
    fromReplicas: number;
    /** Replicas the target RPS with headroom needs. */
    toReplicas: number;
    /** How the autoscaler learns of the load: resource metrics, or polling a queue (KEDA). */
    trigger: { kind: "metrics" } | { kind: "queue"; pollingSeconds: number };
    scaleUp: ScaleUpBehaviour;
    /** From scheduling on a ready node until the pod is Ready (image pull, start, readiness). */
    podStartupSeconds: number;
}

export interface ServiceScaleUp {
    service: string;
    fromReplicas: number;
    toReplicas: number;
    /** Replicas after each scale-up decision. */
    steps: number[];
    /** When the autoscaler first acts. */
    firstDecisionSeconds: number;
    /** When it makes its last decision. */
    lastDecisionSeconds: number;
    /** When the last pods are Ready: 0 when the minimum already carries the target. */
    readySeconds: number;
}

/** The replicas after each decision, from `from` until `to`, under `behaviour`'s two policies. */
export function replicaSteps(from: number, to: number, behaviour: Pick<ScaleUpBehaviour, "percent" | "pods">): number[] {
    const steps: number[] = [];
    let replicas = from;
    while (replicas < to) {
        const allowed = Math.max(Math.ceil(replicas * (1 + behaviour.percent / 100)), replicas + behaviour.pods);
        if (allowed <= replicas) {
            throw new Error(`a scale-up policy of ${behaviour.percent}% and ${behaviour.pods} pods never grows ${replicas} replicas`);
        }
        replicas = Math.min(allowed, to);
        steps.push(replicas);
    }
    return steps;
}

/** One service's scale-up: its decisions and when its last pods are Ready. */
export function serviceScaleUp(input: ServiceScaleUpInput, assumptions: TimelineAssumptions): ServiceScaleUp {
    const base = { service: input.service, fromReplicas: input.fromReplicas, toReplicas: input.toReplicas };
    if (input.toReplicas <= input.fromReplicas) {
        return { ...base, steps: [], firstDecisionSeconds: 0, lastDecisionSeconds: 0, readySeconds: 0 };
    }
    // A queue-driven service at zero is activated to one replica at its first poll, then scaled as an HPA.
    const fromZero = input.trigger.kind === "queue" && input.fromReplicas === 0;
    const seen = input.trigger.kind === "queue" ? input.trigger.pollingSeconds : assumptions.metricsDelaySeconds;
    const start = fromZero ? 1 : input.fromReplicas;
    const steps = [...(fromZero ? [1] : []), ...replicaSteps(start, input.toReplicas, input.scaleUp)];
    const firstDecisionSeconds = seen + input.scaleUp.stabilizationWindowSeconds;
    const lastDecisionSeconds = firstDecisionSeconds + (steps.length - 1) * input.scaleUp.periodSeconds;
    return { ...base, steps, firstDecisionSeconds, lastDecisionSeconds, readySeconds: lastDecisionSeconds + assumptions.nodeLaunchSeconds + input.podStartupSeconds };
}

export interface ScaleUpTimeline {
    assumptions: TimelineAssumptions;
    services: ServiceScaleUp[];
    /** When the last service has its target replicas Ready. */
    totalSeconds: number;
    /** The service that takes longest. */
    slowest?: string;
}

/** The platform's timeline: every service's, and the slowest. */
export function scaleUpTimeline(inputs: ServiceScaleUpInput[], assumptions: TimelineAssumptions): ScaleUpTimeline {
    const services = inputs.map((input) => serviceScaleUp(input, assumptions));
    const slowest = services.reduce<ServiceScaleUp | undefined>((worst, s) => (!worst || s.readySeconds > worst.readySeconds ? s : worst), undefined);
    return { assumptions, services, totalSeconds: slowest?.readySeconds ?? 0, slowest: slowest && slowest.readySeconds > 0 ? slowest.service : undefined };
}
