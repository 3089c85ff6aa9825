/**
 * How long a stack takes to grow from its minimum scale to the target RPS with headroom: the
 * scale-up timeline the plan reports and the performance policy judges. Arithmetic over stated
 * assumptions (the stack's PerformanceProfile) and the delivered scaling settings, following how
 * the HPA decides (kubernetes pkg/controller/podautoscaler):
 * - it syncs every 15 s and first sees a load step after the metrics delay (metrics-server's
 *   resolution and scrape), then waits out its scale-up stabilization window;
 * - a CPU-driven HPA wants `ceil(ready x utilization / target)`: ready pods cannot use more than
 *   their CPU limit, so one decision multiplies the ready pods by at most
 *   `(limit / request) / target`; pods not yet Ready count as idle, so the next step waits until
 *   the last step's pods are Ready and their metrics are seen;
 * - the scale-up policies cap what it may add per period (selectPolicy Max: the larger of
 *   `ceil(r x (1 + percent/100))` and `r + pods`, r being the replicas at the period's start);
 * - new pods need new nodes (Karpenter has consolidated the cluster to the minimum scale): node
 *   launch time, then the mesh's node agents on the new node (a pod is scheduled there only once
 *   istiod has lifted the node's startup taint, when the CNI agent is Ready), then pod start-up
 *   time, for every step.
 * A queue-driven service (KEDA) wants `ceil(depth / target)` whatever its pods' readiness: it is
 * activated from zero at the first poll, then grows by the policies every period.
 * A load test corrects the assumptions (delays, start-up times), not the arithmetic.
 */

/** How often the HPA controller re-evaluates (kube-controller-manager --horizontal-pod-autoscaler-sync-period default). */
export const HPA_SYNC_SECONDS = 15;

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
    /**
     * From a Ready node until pods may be scheduled on it and reach each other there: the cold
     * image pulls of the mesh's node agents (the CNI agent and ztunnel, in parallel), their start
     * and readiness, and istiod lifting the node's startup taint.
     */
    nodeAgentsReadySeconds: number;
}

/** One service's part of the timeline. */
export interface ServiceScaleUpInput {
    service: string;
    /** Replicas at the minimum scale. */
    fromReplicas: number;
    /** Replicas the target RPS with headroom needs. */
    toReplicas: number;
    /**
     * How the autoscaler learns of the load: CPU against a target (at most `(limit / request) / target`
     * times the ready pods per decision), or a queue KEDA polls.
     */
    trigger: { kind: "metrics"; maxGrowthPerDecision: number } | { kind: "queue"; pollingSeconds: number };
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

/** What the policies allow at most, from the replicas at the period's start. */
function allowedByPolicies(
    periodStart: number,
    behaviour: Pick<ScaleUpBehaviour, "percent" | "pods">,
): number {
    return Math.max(Math.ceil(periodStart * (1 + behaviour.percent / 100)), periodStart + behaviour.pods);
}

/** The replicas after each decision when only the policies bound growth (one decision per period). */
export function replicaSteps(
    from: number,
    to: number,
    behaviour: Pick<ScaleUpBehaviour, "percent" | "pods">,
): number[] {
    const steps: number[] = [];
    let replicas = from;
    while (replicas < to) {
        replicas = Math.min(allowedByPolicies(replicas, behaviour), to);
        steps.push(replicas);
    }
    return steps;
}

/** Raised when a service can never reach its target: its HPA target is at or above what its CPU limit lets a pod use. */
export class NeverScalesError extends Error {}

/** One service's scale-up: its decisions and when its last pods are Ready. */
export function serviceScaleUp(input: ServiceScaleUpInput, assumptions: TimelineAssumptions): ServiceScaleUp {
    const base = { service: input.service, fromReplicas: input.fromReplicas, toReplicas: input.toReplicas };
    if (input.toReplicas <= input.fromReplicas) {
        return { ...base, steps: [], firstDecisionSeconds: 0, lastDecisionSeconds: 0, readySeconds: 0 };
    }
    const newPodsReady =
        assumptions.nodeLaunchSeconds + assumptions.nodeAgentsReadySeconds + input.podStartupSeconds;
    if (input.trigger.kind === "queue") {
        // KEDA activates 0 -> 1 at its first poll; the HPA it makes then grows by the policies every period.
        const fromZero = input.fromReplicas === 0;
        const steps = [
            ...(fromZero ? [1] : []),
            ...replicaSteps(fromZero ? 1 : input.fromReplicas, input.toReplicas, input.scaleUp),
        ];
        const firstDecisionSeconds = input.trigger.pollingSeconds + input.scaleUp.stabilizationWindowSeconds;
        const lastDecisionSeconds =
            firstDecisionSeconds +
            (steps.length - 1) * Math.max(input.scaleUp.periodSeconds, HPA_SYNC_SECONDS);
        return {
            ...base,
            steps,
            firstDecisionSeconds,
            lastDecisionSeconds,
            readySeconds: lastDecisionSeconds + newPodsReady,
        };
    }
    const growth = input.trigger.maxGrowthPerDecision;
    if (!(growth > 1)) {
        throw new NeverScalesError(
            `${input.service}: a pod at its CPU limit is at ${Math.round(growth * 100)}% of its HPA target, so the HPA never adds a pod`,
        );
    }
    // Pods and when the HPA first counts them (Ready, then seen by the metrics pipeline).
    const batches: { count: number; countedAt: number }[] = [
        { count: input.fromReplicas, countedAt: -Infinity },
    ];
    const history: { at: number; replicas: number }[] = [{ at: -Infinity, replicas: input.fromReplicas }];
    const steps: number[] = [];
    let replicas = input.fromReplicas;
    let t = assumptions.metricsDelaySeconds + input.scaleUp.stabilizationWindowSeconds;
    let firstDecisionSeconds = 0;
    let lastDecisionSeconds = 0;
    while (replicas < input.toReplicas) {
        const ready = batches.filter((b) => b.countedAt <= t).reduce((sum, b) => sum + b.count, 0);
        // (less a rounding hair: 28 x 16/7 is 64 pods, not 65)
        const wanted = Math.min(input.toReplicas, Math.ceil(ready * growth - 1e-9));
        const periodStart = [...history]
            .reverse()
            .find((h) => h.at <= t - input.scaleUp.periodSeconds)!.replicas;
        const next = Math.max(replicas, Math.min(wanted, allowedByPolicies(periodStart, input.scaleUp)));
        if (next > replicas) {
            batches.push({
                count: next - replicas,
                countedAt: t + newPodsReady + assumptions.metricsDelaySeconds,
            });
            history.push({ at: t, replicas: next });
            steps.push(next);
            firstDecisionSeconds ||= t;
            lastDecisionSeconds = t;
            replicas = next;
        }
        t += HPA_SYNC_SECONDS;
    }
    return {
        ...base,
        steps,
        firstDecisionSeconds,
        lastDecisionSeconds,
        readySeconds: lastDecisionSeconds + newPodsReady,
    };
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
export function scaleUpTimeline(
    inputs: ServiceScaleUpInput[],
    assumptions: TimelineAssumptions,
): ScaleUpTimeline {
    return timelineOf(
        inputs.map((input) => serviceScaleUp(input, assumptions)),
        assumptions,
    );
}

/** The timeline of services already timed: the slowest one's readiness is the platform's. */
export function timelineOf(services: ServiceScaleUp[], assumptions: TimelineAssumptions): ScaleUpTimeline {
    const slowest = services.reduce<ServiceScaleUp | undefined>(
        (worst, s) => (!worst || s.readySeconds > worst.readySeconds ? s : worst),
        undefined,
    );
    return {
        assumptions,
        services,
        totalSeconds: slowest?.readySeconds ?? 0,
        slowest: slowest && slowest.readySeconds > 0 ? slowest.service : undefined,
    };
}
