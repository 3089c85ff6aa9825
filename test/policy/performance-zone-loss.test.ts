/** A lost availability zone: the pods and RPS a service keeps, the room for its replacements, the time to recover. */
import * as assert from "assert";
import { capacitySurvivesZoneLoss } from "../../policy/rules/performance-capacity";
import { checkStack } from "../../tools/policy-gate";
import { deployedServices, findProfile } from "../../vocabulary/stack";
import { podsInLargestZone, renderedSpread, serviceZoneLoss } from "../../vocabulary/zone-loss";
import { app, describeStackCases, nodePool, profile, resource } from "./cases";

/** The rendered pod template of `api`: its zone constraint, and its tolerations of a lost node (seconds per taint). */
const rollout = (whenUnsatisfiable: string, maxSkew = 1, tolerations: Record<string, number> = {}) =>
    resource("kubernetes:argoproj.io/v1alpha1:Rollout", {
        metadata: { name: "api" },
        spec: {
            template: {
                spec: {
                    topologySpreadConstraints: [
                        {
                            maxSkew: 1,
                            topologyKey: "kubernetes.io/hostname",
                            whenUnsatisfiable: "ScheduleAnyway",
                        },
                        { maxSkew, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable },
                    ],
                    tolerations: Object.entries(tolerations).map(([key, tolerationSeconds]) => ({
                        key,
                        operator: "Exists",
                        effect: "NoExecute",
                        tolerationSeconds,
                    })),
                },
            },
        },
    });
/** A private and a public subnet in each of `zones` zones. */
const subnets = (zones: number) =>
    ["a", "b", "c"]
        .slice(0, zones)
        .flatMap((z) =>
            ["public", "private"].map((tier) =>
                resource("aws:ec2/subnet:Subnet", { availabilityZone: `az-1${z}`, tags: { Tier: tier } }),
            ),
        );

describe("a lost zone: what one zone holds and how long its pods take to return", () => {
    const enforced = { enforced: true, maxSkew: 1, tolerationSeconds: 300 };

    it("takes at most a zone's even share (rounded up) under maxSkew 1, more under a looser skew, all of them unenforced", () => {
        assert.deepStrictEqual(
            [30, 40, 100, 113, 2, 1].map((n) => podsInLargestZone(n, 3, enforced)),
            [10, 14, 34, 38, 1, 1],
        );
        // 2/2/1 is the most skew 1 allows for 5 pods; skew 2 allows 3/1/1.
        assert.strictEqual(podsInLargestZone(5, 3, enforced), 2);
        assert.strictEqual(podsInLargestZone(5, 3, { ...enforced, maxSkew: 2 }), 3);
        assert.strictEqual(podsInLargestZone(40, 3, { ...enforced, enforced: false }), 40);
        assert.strictEqual(podsInLargestZone(40, 1, enforced), 40);
    });

    it("reads the zone constraint and the longest lost-node toleration from the rendered pod template, 300 s when it has none", () => {
        const tolerant = rollout("DoNotSchedule", 1, {
            "node.kubernetes.io/unreachable": 60,
            "node.kubernetes.io/not-ready": 90,
        });
        assert.deepStrictEqual(renderedSpread([tolerant], "api"), {
            enforced: true,
            maxSkew: 1,
            tolerationSeconds: 90,
        });
        assert.deepStrictEqual(renderedSpread([rollout("ScheduleAnyway")], "api"), {
            enforced: false,
            maxSkew: 1,
            tolerationSeconds: 300,
        });
        assert.strictEqual(renderedSpread([tolerant], "other"), undefined);
    });

    it("recovers after detection, eviction, a node and the pod's start-up, and names the maxReplicas that suffices", () => {
        const resources = [
            profile(),
            app(14),
            rollout("DoNotSchedule", 1, { "node.kubernetes.io/unreachable": 60 }),
        ];
        const perf = findProfile(resources)!.performanceProfile;
        const loss = serviceZoneLoss(perf, deployedServices(resources)[0], resources, 3)!;
        // 14 pods: the largest zone holds 5, 9 x 100 RPS < 1000; 15 leaves 10.
        assert.deepStrictEqual(
            [loss.podsLeft, loss.capacityRps, loss.demandRps, loss.maxReplicasNeeded],
            [9, 900, 1000, 15],
        );
        // 50 s detection + 60 s toleration + 60 s node launch + 15 s start-up.
        assert.strictEqual(loss.recoverSeconds, 185);
    });
});

describeStackCases("policy pack: performance: a lost zone", [
    {
        policy: capacitySurvivesZoneLoss,
        // 15 pods: 10 left carry the 1000 RPS; 20 pods of 0.5 vCPU (10) fit a 16-vCPU pool (14.6 allocatable).
        good: () => [profile(), app(15), rollout("DoNotSchedule"), ...subnets(3), nodePool()],
        bad: [
            {
                why: "too few pods left with a zone lost",
                expect: /Service api keeps 9 pods \(900 RPS\) with the largest of 3 zones lost, short of its 1000 RPS share of the target: raise maxReplicas to 15\./,
                resources: () => [profile(), app(14), rollout("DoNotSchedule"), ...subnets(3), nodePool()],
            },
            {
                why: "replicas free to share a zone",
                expect: /Service api's replicas may share a zone \(its zone spread is not DoNotSchedule\)/,
                resources: () => [profile(), app(15), rollout("ScheduleAnyway"), ...subnets(3), nodePool()],
            },
            {
                why: "a single zone",
                expect: /subnets are in 1 availability zone\(s\): losing it loses every pod/,
                resources: () => [profile(), app(15), rollout("DoNotSchedule"), ...subnets(1), nodePool()],
            },
            // 20 pods of 0.8 vCPU: 16 vCPU against 14.6 allocatable in the pool's four 4-vCPU nodes.
            {
                why: "no room for the replacements while the lost nodes still count",
                expect: /needs 16\.0 vCPU; the application capacity leaves 14\.6 allocatable: raise the NodePools' cpu limits to at least 18/,
                resources: () => [
                    profile(),
                    app(15, "800m"),
                    rollout("DoNotSchedule"),
                    ...subnets(3),
                    nodePool(),
                ],
            },
        ],
    },
]);

describe("policy pack: a lost zone without rendered pods", () => {
    it("is not applicable where no delivered service has a rendered pod template", async () => {
        assert.strictEqual(
            await checkStack(capacitySurvivesZoneLoss, [profile(), app(15), ...subnets(3)]),
            "not-applicable",
        );
    });
});
