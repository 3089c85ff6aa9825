/** Performance rules: autoscaling, probes, disruption budgets, capacity, the latency objective. */
import * as assert from "assert";
import { checkStack } from "../../tools/policy-gate";
import * as perf from "../../policy/rules/performance";
import { app, c0, DEPLOYMENT, describeResourceCases, describeStackCases, hpaFor, nodeGroup, pod, profile, resource, ResourceCase, StackCase } from "./cases";

const pdbFor = () => resource("kubernetes:policy/v1:PodDisruptionBudget", { metadata: { name: "api", namespace: "tacos" }, spec: { selector: { matchLabels: { "app.kubernetes.io/name": "api" } } } });

const RESOURCE_CASES: ResourceCase[] = [
    { policy: perf.k8sProbes, type: DEPLOYMENT, good: pod(), bad: [{ why: "no readiness probe", expect: /must have readinessProbe/, change: (p) => delete c0(p).readinessProbe }, { why: "no liveness probe", expect: /must have livenessProbe/, change: (p) => delete c0(p).livenessProbe }] },
];

const STACK_CASES: StackCase[] = [
    {
        policy: perf.latencyObjectiveWithinMission,
        good: () => [profile()],
        bad: [
            { why: "a looser P95 objective than the platform's", expect: /P95 objective must be at most 200 ms; it is 500 ms/, resources: () => [profile({ performanceProfile: { targetRps: 1000, p95LatencyMs: 500, headroomPercent: 0, services: {} } })] },
        ],
    },
    {
        policy: perf.k8sAutoscaledDeployments,
        good: () => [resource(DEPLOYMENT, pod()), hpaFor("api")],
        bad: [
            { why: "no autoscaler", expect: /must be scaled by an HPA or a ScaledObject/, resources: () => [resource(DEPLOYMENT, pod())] },
            { why: "an HPA for another Deployment", expect: /must be scaled by an HPA or a ScaledObject/, resources: () => [resource(DEPLOYMENT, pod()), hpaFor("other")] },
        ],
    },
    {
        policy: perf.k8sPdbForMultiReplica,
        good: () => [resource(DEPLOYMENT, pod()), hpaFor("api"), pdbFor()],
        bad: [
            { why: "an autoscaled Deployment without a PDB", expect: /runs up to 10 replicas and must have a PodDisruptionBudget/, resources: () => [resource(DEPLOYMENT, pod()), hpaFor("api")] },
            { why: "three fixed replicas without a PDB", expect: /runs up to 3 replicas and must have a PodDisruptionBudget/, resources: () => [resource(DEPLOYMENT, { ...pod(), spec: { ...pod().spec, replicas: 3 } })] },
        ],
    },
    {
        policy: perf.capacityCoversTargetRps,
        good: () => [profile(), app(10)],
        bad: [
            { why: "maxReplicas too low for the target", expect: /at most 9 x 100 = 900 RPS but must carry 1000 .*raise maxReplicas to 10/, resources: () => [profile(), app(9)] },
            { why: "a service without a capacity assumption", expect: /has no capacity assumption/, resources: () => [profile({ performanceProfile: { targetRps: 1000, headroomPercent: 0, services: {} } }), app(10)] },
        ],
    },
    {
        policy: perf.capacityFitsNodeGroups,
        good: () => [app(4, "500m", "1Gi"), nodeGroup({ scalingConfig: { maxSize: 1 } })],
        bad: [
            { why: "too little CPU", expect: /offer at most 4 vCPU; the services request 4\.5/, resources: () => [app(9, "500m", "1Gi"), nodeGroup({ scalingConfig: { maxSize: 1 } })] },
            { why: "too little memory", expect: /offer at most 16 GiB; the services request 20\.0 GiB/, resources: () => [app(4, "500m", "5Gi"), nodeGroup({ scalingConfig: { maxSize: 1 } })] },
            { why: "an instance type missing from the capacity table", expect: /instance types missing from the capacity table: x9z\.huge/, resources: () => [app(1), nodeGroup({ instanceTypes: ["x9z.huge"] })] },
        ],
    },
];

describeResourceCases("policy pack: performance: resource rules", RESOURCE_CASES);
describeStackCases("policy pack: performance: stack rules", STACK_CASES);

describe("policy pack: stack rules without a profile", () => {
    it("are not applicable where the stack registers no PlatformProfile", async () => {
        assert.strictEqual(await checkStack(perf.capacityCoversTargetRps, [app(1)]), "not-applicable");
        assert.strictEqual(await checkStack(perf.latencyObjectiveWithinMission, [app(1)]), "not-applicable");
    });
});
