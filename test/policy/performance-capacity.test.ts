/** Capacity rules: target RPS, application nodes, system nodes, the scale-up timeline. */
import * as assert from "assert";
import { checkStack } from "../../tools/policy-gate";
import {
    capacityCoversTargetRps,
    capacityFitsNodePools,
    scaleUpWithinObjective,
    systemNodesHoldPlatform,
} from "../../policy/rules/performance-capacity";
import { latencyObjectiveWithinMission } from "../../policy/rules/performance-latency";
import { app, describeStackCases, nodeGroup, nodePool, performance, profile, StackCase } from "./cases";
import { footprint, systemGroup } from "./performance-fixtures";

const STACK_CASES: StackCase[] = [
    {
        policy: capacityCoversTargetRps,
        good: () => [profile(), app(10)],
        bad: [
            {
                why: "maxReplicas too low for the target",
                expect: /at most 9 x 100 = 900 RPS but must carry 1000 .*raise maxReplicas to 10/,
                resources: () => [profile(), app(9)],
            },
            {
                why: "a service without a capacity assumption",
                expect: /has no capacity assumption/,
                resources: () => [
                    profile({ performanceProfile: { targetRps: 1000, headroomPercent: 0, services: {} } }),
                    app(10),
                ],
            },
        ],
    },
    {
        policy: capacityFitsNodePools,
        // One 4-vCPU node: 3.84 vCPU after kubelet, less the EKS DaemonSets' 0.18 (vpc-cni 50m, kube-proxy 100m, EBS CSI node 30m): 3.66.
        good: () => [app(7, "500m", "1Gi"), nodePool({ limits: { cpu: "4", memory: "16Gi" } })],
        bad: [
            {
                why: "too little allocatable CPU",
                expect: /offers 4 vCPU, 3\.7 of it allocatable after kubelet's reserve and the DaemonSets; the services request 4\.0 at max replicas: raise the NodePools' cpu limits to at least 5/,
                resources: () => [app(8, "500m", "1Gi"), nodePool({ limits: { cpu: "4", memory: "16Gi" } })],
            },
            // 16 x 0.83 - 104 MiB (the EBS CSI node pod).
            {
                why: "too little allocatable memory",
                expect: /offers 16 GiB, 13\.2 of it allocatable after kubelet's reserve and the DaemonSets; the services request 14\.5 GiB/,
                resources: () => [
                    app(2, "500m", "7.25Gi"),
                    nodePool({ limits: { cpu: "4", memory: "16Gi" } }),
                ],
            },
            {
                why: "an add-on's DaemonSet taking what the services needed",
                expect: /offers 4 vCPU, 3\.4 of it allocatable/,
                resources: () => [
                    app(7, "500m", "1Gi"),
                    nodePool({ limits: { cpu: "4", memory: "16Gi" } }),
                    footprint("logging", "every-node", "300m", "64Mi"),
                ],
            },
            {
                why: "a NodePool without limits",
                expect: /NodePool apps must set spec\.limits\.cpu and spec\.limits\.memory/,
                resources: () => [app(1), nodePool({ limits: undefined })],
            },
            {
                why: "a node group with a type missing from the capacity table",
                expect: /instance types missing from the capacity table: x9z\.huge/,
                resources: () => [app(1), nodePool(), nodeGroup({ instanceTypes: ["x9z.huge"] })],
            },
            {
                why: "node groups alone too small",
                expect: /offers 4 vCPU, 3\.7 of it allocatable/,
                resources: () => [app(9, "500m", "1Gi"), nodeGroup({ scalingConfig: { maxSize: 1 } })],
            },
            {
                why: "an eks node group component alone too small, its AWS node group not counted again",
                expect: /offers 4 vCPU, 3\.7 of it allocatable/,
                resources: () => {
                    const group = nodeGroup({ scalingConfig: { maxSize: 1 } }, "eks:index:ManagedNodeGroup");
                    const inside = nodeGroup({ scalingConfig: { maxSize: 1 } }, undefined, { parent: group });
                    return [app(9, "500m", "1Gi"), group, inside];
                },
            },
        ],
    },
    {
        // Two m7g.xlarge nodes, 3.66 vCPU and 13.2 GiB each after kubelet and the EKS DaemonSets; CoreDNS and the EBS CSI controller take 0.3 vCPU.
        policy: systemNodesHoldPlatform,
        good: () => [
            systemGroup(2),
            footprint("monitoring", 2, "1500m", "6Gi"),
            footprint("karpenter", 2, "500m", "1Gi"),
        ],
        bad: [
            {
                why: "more replicas than nodes (each on a node of its own)",
                expect: /system node group system \(2 x m7g\.xlarge, each leaving 3\.66 vCPU and 13\.2 GiB.*: monitoring\/monitoring find no node\. It needs 3 nodes of m7g\.xlarge/,
                resources: () => [systemGroup(2), footprint("monitoring", 3, "500m", "1Gi")],
            },
            // Four 2-vCPU pods: one a node, as no node has room for two.
            {
                why: "too much in total",
                expect: /request 8\.30 vCPU.*It needs 4 nodes of m7g\.xlarge/,
                resources: () => [
                    systemGroup(2),
                    footprint("monitoring", 2, "2", "1Gi"),
                    footprint("argocd", 2, "2", "1Gi"),
                ],
            },
            {
                why: "a pod larger than a node",
                expect: /tracing\/tracing find no node\. It needs a larger instance type/,
                resources: () => [systemGroup(3), footprint("tracing", 1, "4", "2Gi")],
            },
            {
                why: "a DaemonSet leaving a node too little",
                expect: /each leaving 1\.16 vCPU.*monitoring\/monitoring find no node/,
                resources: () => [
                    systemGroup(2),
                    footprint("monitoring", 2, "1500m", "6Gi"),
                    footprint("logging", "every-node", "2500m", "64Mi"),
                ],
            },
        ],
    },
    {
        // api: 1 to 10 replicas at 1000 RPS / 100 per pod; steps 5, 10 at 45 s and 60 s; nodes 60 s, start-up 15 s: Ready at 135 s.
        policy: scaleUpWithinObjective,
        good: () => [profile(), app(10)],
        bad: [
            {
                why: "an objective shorter than the timeline",
                expect: /takes 135 s; the objective is 120 s\. Slowest: api, 1 to 10 replicas in 2 steps \(last decision at 60 s\)/,
                resources: () => [
                    profile({
                        performanceProfile: performance({
                            timeline: {
                                objectiveSeconds: 120,
                                metricsDelaySeconds: 45,
                                nodeLaunchSeconds: 60,
                                nodeAgentsReadySeconds: 0,
                            },
                        }),
                    }),
                    app(10),
                ],
            },
            {
                why: "slow node launches",
                expect: /takes 195 s; the objective is 180 s/,
                resources: () => [
                    profile({
                        performanceProfile: performance({
                            timeline: {
                                objectiveSeconds: 180,
                                metricsDelaySeconds: 45,
                                nodeLaunchSeconds: 120,
                                nodeAgentsReadySeconds: 0,
                            },
                        }),
                    }),
                    app(10),
                ],
            },
            {
                why: "slow node agents on the new nodes",
                expect: /takes 195 s; the objective is 180 s/,
                resources: () => [
                    profile({
                        performanceProfile: performance({
                            timeline: {
                                objectiveSeconds: 180,
                                metricsDelaySeconds: 45,
                                nodeLaunchSeconds: 60,
                                nodeAgentsReadySeconds: 60,
                            },
                        }),
                    }),
                    app(10),
                ],
            },
            {
                why: "a gentler scale-up policy",
                expect: /takes 240 s.*in 9 steps/,
                resources: () => [
                    profile(),
                    app(10, "500m", "1Gi", {
                        periodSeconds: 15,
                        percent: 10,
                        pods: 1,
                        stabilizationWindowSeconds: 0,
                    }),
                ],
            },
            // growth 1 / 0.5 / 0.5 = 4 per decision: 4 at 45 s; the next waits for them (Ready and seen at 165 s): 8, then 10 at 180 s; Ready at 255 s.
            {
                why: "a CPU limit that caps each decision",
                expect: /takes 255 s.*in 3 steps \(last decision at 180 s\)/,
                resources: () => [profile(), app(10, "500m", "1Gi", undefined, "1")],
            },
            {
                why: "a CPU target a pod at its limit never reaches",
                expect: /Service api cannot be timed: api: a pod at its CPU limit is at 80% of its HPA target, so the HPA never adds a pod/,
                resources: () => [profile(), app(10, "500m", "1Gi", undefined, "200m")],
            },
            {
                why: "a service delivered without scale-up behaviour",
                expect: /Service api cannot be timed: it has no scale-up behaviour/,
                resources: () => [profile(), app(10, "500m", "1Gi", null)],
            },
        ],
    },
];

describeStackCases("policy pack: performance: capacity rules", STACK_CASES);

describe("policy pack: stack rules without a profile", () => {
    it("are not applicable where the stack registers no PlatformProfile", async () => {
        assert.strictEqual(await checkStack(capacityCoversTargetRps, [app(1)]), "not-applicable");
        assert.strictEqual(await checkStack(latencyObjectiveWithinMission, [app(1)]), "not-applicable");
        assert.strictEqual(
            await checkStack(systemNodesHoldPlatform, [app(1), footprint("monitoring", 1, "1", "1Gi")]),
            "not-applicable",
            "no system node group",
        );
    });
});
