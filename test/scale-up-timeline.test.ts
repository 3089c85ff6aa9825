/** The scale-up timeline's arithmetic (vocabulary/scaling.ts) on hand-checked cases. */
import * as assert from "assert";
import { NeverScalesError, replicaSteps, scaleUpTimeline, serviceScaleUp } from "../vocabulary/scaling";

describe("scale-up timeline arithmetic (hand-checked)", () => {
    const behaviour = { periodSeconds: 15, percent: 100, pods: 4, stabilizationWindowSeconds: 0 };
    // The node agents' term is 0 here, so that each case below shows one rule; its own case follows.
    const assumptions = { metricsDelaySeconds: 45, nodeLaunchSeconds: 60, nodeAgentsReadySeconds: 0 };

    it("grows by the larger of the two policies each period, stopping at the target", () => {
        // 1 -> max(2, 5) = 5 -> max(10, 9) = 10.
        assert.deepStrictEqual(replicaSteps(1, 10, behaviour), [5, 10]);
        // 5 -> max(15, 9) = 15 -> 45 -> min(135, 98) = 98.
        assert.deepStrictEqual(replicaSteps(5, 98, { percent: 200, pods: 4 }), [15, 45, 98]);
        // ceil(r x 1.1) and r + 1: one pod at a time until 10 (9 steps).
        assert.deepStrictEqual(replicaSteps(1, 10, { percent: 10, pods: 1 }), [2, 3, 4, 5, 6, 7, 8, 9, 10]);
        assert.deepStrictEqual(replicaSteps(10, 10, behaviour), []);
    });

    const unbounded = { kind: "metrics" as const, maxGrowthPerDecision: 10 };

    it("times a service: first decision after the metrics delay and the stabilization window, then one per period, then a node and the pod's start", () => {
        const s = serviceScaleUp(
            {
                service: "api",
                fromReplicas: 1,
                toReplicas: 10,
                trigger: unbounded,
                scaleUp: { ...behaviour, stabilizationWindowSeconds: 30 },
                podStartupSeconds: 15,
            },
            assumptions,
        );
        // decisions at 45 + 30 = 75 (5, the policies' most) and 90 (10); Ready at 90 + 60 + 15 = 165.
        assert.deepStrictEqual(
            [s.steps, s.firstDecisionSeconds, s.lastDecisionSeconds, s.readySeconds],
            [[5, 10], 75, 90, 165],
        );
    });

    it("caps each decision at what the ready pods' CPU limit lets the HPA want, and waits for the new pods before the next", () => {
        // gateway-api in prod: 700m requested, 1200m limit, 75% target: at most x2.29 per decision.
        const s = serviceScaleUp(
            {
                service: "gateway-api",
                fromReplicas: 5,
                toReplicas: 98,
                trigger: { kind: "metrics", maxGrowthPerDecision: 1.2 / 0.7 / 0.75 },
                scaleUp: { ...behaviour, percent: 200 },
                podStartupSeconds: 15,
            },
            assumptions,
        );
        // 45 s: ceil(5 x 2.29) = 12; they are Ready at 45 + 75 = 120 and seen at 165: 28; then 285: 64; 405: 98. Ready at 405 + 75 = 480.
        assert.deepStrictEqual(
            [s.steps, s.firstDecisionSeconds, s.lastDecisionSeconds, s.readySeconds],
            [[12, 28, 64, 98], 45, 405, 480],
        );
    });

    it("waits on each new node for the mesh's node agents before the pods start, and so before the next decision counts them", () => {
        const s = serviceScaleUp(
            {
                service: "gateway-api",
                fromReplicas: 5,
                toReplicas: 98,
                trigger: { kind: "metrics", maxGrowthPerDecision: 1.2 / 0.7 / 0.75 },
                scaleUp: { ...behaviour, percent: 200 },
                podStartupSeconds: 15,
            },
            { ...assumptions, nodeAgentsReadySeconds: 15 },
        );
        // New pods Ready 60 + 15 + 15 = 90 s after a decision, seen 45 s later: 12 at 45 s (counted at 180), 28 at 180
        // (counted at 315), 64 at 315 (counted at 450), 98 at 450; Ready at 450 + 90 = 540, 60 s (4 x 15) after the case above.
        assert.deepStrictEqual(
            [s.steps, s.firstDecisionSeconds, s.lastDecisionSeconds, s.readySeconds],
            [[12, 28, 64, 98], 45, 450, 540],
        );
    });

    it("refuses a service whose HPA target a pod at its CPU limit cannot reach", () => {
        assert.throws(
            () =>
                serviceScaleUp(
                    {
                        service: "x",
                        fromReplicas: 2,
                        toReplicas: 4,
                        trigger: { kind: "metrics", maxGrowthPerDecision: 1 },
                        scaleUp: behaviour,
                        podStartupSeconds: 15,
                    },
                    assumptions,
                ),
            NeverScalesError,
        );
    });

    it("activates a queue-driven service from zero at its first poll, then scales it as an HPA", () => {
        const s = serviceScaleUp(
            {
                service: "worker",
                fromReplicas: 0,
                toReplicas: 20,
                trigger: { kind: "queue", pollingSeconds: 30 },
                scaleUp: behaviour,
                podStartupSeconds: 10,
            },
            assumptions,
        );
        // 0 -> 1 at 30 s, then 5, 10, 20 at 45, 60, 75 s; Ready at 75 + 60 + 10 = 145.
        assert.deepStrictEqual(
            [s.steps, s.firstDecisionSeconds, s.lastDecisionSeconds, s.readySeconds],
            [[1, 5, 10, 20], 30, 75, 145],
        );
    });

    it("needs no time for a service whose minimum already carries the target, and reports the slowest service", () => {
        const t = scaleUpTimeline(
            [
                {
                    service: "idle",
                    fromReplicas: 10,
                    toReplicas: 8,
                    trigger: unbounded,
                    scaleUp: behaviour,
                    podStartupSeconds: 15,
                },
                {
                    service: "jvm",
                    fromReplicas: 2,
                    toReplicas: 4,
                    trigger: unbounded,
                    scaleUp: behaviour,
                    podStartupSeconds: 45,
                },
                {
                    service: "go",
                    fromReplicas: 1,
                    toReplicas: 10,
                    trigger: unbounded,
                    scaleUp: behaviour,
                    podStartupSeconds: 10,
                },
            ],
            assumptions,
        );
        // idle: 0; jvm: one step at 45, Ready 45 + 60 + 45 = 150; go: steps at 45 and 60, Ready 60 + 60 + 10 = 130.
        assert.deepStrictEqual(
            t.services.map((s) => s.readySeconds),
            [0, 150, 130],
        );
        assert.deepStrictEqual([t.totalSeconds, t.slowest], [150, "jvm"]);
    });
});
