/** Performance rules: autoscaling, probes, disruption budgets, capacity, the latency objective. */
import * as assert from "assert";
import { checkStack } from "../../tools/policy-gate";
import {
    capacityCoversTargetRps,
    capacityFitsNodePools,
    scaleUpWithinObjective,
    systemNodesHoldPlatform,
} from "../../policy/rules/performance-capacity";
import {
    latencyObjectiveWithinMission,
    servicesMonitoredAndAlerted,
} from "../../policy/rules/performance-latency";
import { releasesCanaryWithAnalysis } from "../../policy/rules/performance-releases";
import {
    k8sAutoscaledDeployments,
    k8sPdbForMultiReplica,
    k8sProbes,
} from "../../policy/rules/performance-workloads";
import { FOOTPRINT_TYPE } from "../../vocabulary/footprint";
import {
    app,
    c0,
    DEPLOYMENT,
    describeResourceCases,
    describeStackCases,
    hpaFor,
    nodeGroup,
    nodePool,
    performance,
    pod,
    profile,
    resource,
    ResourceCase,
    StackCase,
} from "./cases";

const pdbFor = () =>
    resource("kubernetes:policy/v1:PodDisruptionBudget", {
        metadata: { name: "api", namespace: "tacos" },
        spec: { selector: { matchLabels: { "app.kubernetes.io/name": "api" } } },
    });

/** A delivered service named `name`, its ServiceMonitor on or off. */
const delivered = (name: string, serviceMonitor = true) =>
    resource("kubernetes:argoproj.io/v1alpha1:Application", {
        metadata: { name },
        spec: { source: { helm: { valuesObject: { name, serviceMonitor: { enabled: serviceMonitor } } } } },
    });
/** The platform's PrometheusRule with a latency alert for each of `services`, and `annotations`. */
const platformRule = (services: string[], annotations: Record<string, string> = {}) =>
    resource("kubernetes:monitoring.coreos.com/v1:PrometheusRule", {
        metadata: { name: "tacos-platform", namespace: "monitoring", annotations },
        spec: {
            groups: [
                {
                    name: "tacos-services",
                    rules: services.map((service) => ({
                        alert: `${service}LatencyHigh`,
                        expr: "histogram_quantile(0.95, x) > 0.2",
                        labels: { kind: "latency", service },
                    })),
                },
            ],
        },
    });

/** An add-on's footprint record with `replicas` pods of `cpu` / `memory` on the system nodes (or on every node). */
const footprint = (addon: string, replicas: number | "every-node", cpu: string, memory: string) =>
    resource(FOOTPRINT_TYPE, {
        addon,
        namespace: addon,
        workloads: [
            {
                name: addon,
                replicas,
                nodes: replicas === "every-node" ? "all" : "system",
                resources: { requests: { cpu, memory }, limits: { cpu, memory } },
            },
        ],
    });
/** The system node group: m7g.xlarge nodes (4 vCPU, 16 GiB) with the system taint. */
const systemGroup = (desiredSize: number) =>
    nodeGroup({
        nodeGroupName: "system",
        capacityType: "ON_DEMAND",
        taints: [{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }],
        scalingConfig: { minSize: desiredSize, maxSize: 6, desiredSize },
    });

const RESOURCE_CASES: ResourceCase[] = [
    {
        policy: k8sProbes,
        type: DEPLOYMENT,
        good: pod(),
        bad: [
            {
                why: "no readiness probe",
                expect: /must have readinessProbe/,
                change: (p) => delete c0(p).readinessProbe,
            },
            {
                why: "no liveness probe",
                expect: /must have livenessProbe/,
                change: (p) => delete c0(p).livenessProbe,
            },
        ],
    },
];

/** A service delivered as a canary with its analysis (the values the program gives), edited by `edit`. */
const canary = (
    name: string,
    edit: (v: Record<string, any>) => void = () => undefined,
    app: Record<string, any> = {},
) => {
    const values: Record<string, any> = {
        name,
        httpRoute: { enabled: name === "gateway-api" },
        rollout: {
            enabled: true,
            trafficRouting: name === "gateway-api",
            steps: [
                { weight: 10, measurements: 5 },
                { weight: 100, measurements: 10 },
            ],
            analysis: {
                interval: "60s",
                failureLimit: 1,
                metrics: [
                    {
                        name: "p95-latency",
                        successCondition: "isNaN(result) || result < 0.2",
                        provider: { prometheus: { address: "http://p:9090", query: "scalar(x)" } },
                    },
                ],
            },
        },
    };
    edit(values);
    return resource("kubernetes:argoproj.io/v1alpha1:Application", {
        metadata: { name },
        spec: {
            source: { helm: { valuesObject: values } },
            syncPolicy: { syncOptions: ["RespectIgnoreDifferences=true"] },
            ignoreDifferences: [
                {
                    group: "gateway.networking.k8s.io",
                    kind: "HTTPRoute",
                    name,
                    jqPathExpressions: [
                        'select(.metadata.labels["rollouts.argoproj.io/gatewayapi-canary"] == "in-progress") | .spec.rules',
                    ],
                },
            ],
            ...app,
        },
    });
};
const rolloutsController = () =>
    resource("kubernetes:helm.sh/v3:Release", { chart: "argo-rollouts", namespace: "argo-rollouts" });

const STACK_CASES: StackCase[] = [
    {
        policy: releasesCanaryWithAnalysis,
        good: () => [
            canary("gateway-api"),
            canary("inventory-api"),
            rolloutsController(),
            platformRule(["gateway-api", "inventory-api"]),
        ],
        bad: [
            {
                why: "a service released as a Deployment",
                expect: /inventory-api must be released as a canary/,
                resources: () => [
                    canary("gateway-api"),
                    canary("inventory-api", (v) => (v.rollout = { enabled: false })),
                    rolloutsController(),
                ],
            },
            {
                why: "no analysis metric",
                expect: /inventory-api's canary must be judged by at least one analysis metric/,
                resources: () => [
                    canary("inventory-api", (v) => (v.rollout.analysis.metrics = [])),
                    rolloutsController(),
                ],
            },
            {
                why: "a step that cannot fail",
                expect: /inventory-api's rollout\.steps\[0\] must take more measurements than analysis\.failureLimit \(1\)/,
                resources: () => [
                    canary("inventory-api", (v) => (v.rollout.steps[0].measurements = 1)),
                    rolloutsController(),
                ],
            },
            {
                why: "a last step short of 100%",
                expect: /inventory-api's last canary step must have weight 100/,
                resources: () => [
                    canary("inventory-api", (v) => v.rollout.steps.pop()),
                    rolloutsController(),
                ],
            },
            {
                why: "latency alerted on but not judged",
                expect: /inventory-api is alerted on its P95 latency, so its canary must be judged on it too/,
                resources: () => [
                    canary("inventory-api", (v) => (v.rollout.analysis.metrics[0].name = "error-ratio")),
                    rolloutsController(),
                    platformRule(["inventory-api"]),
                ],
            },
            {
                why: "the routed service's canary by replica count",
                expect: /gateway-api is reached through the Gateway: its canary must shift traffic by the HTTPRoute's weights/,
                resources: () => [
                    canary("gateway-api", (v) => (v.rollout.trafficRouting = false)),
                    rolloutsController(),
                ],
            },
            {
                why: "Argo CD resetting the route's weights",
                expect: /Application gateway-api must leave its HTTPRoute's rules to Argo Rollouts while a canary runs/,
                resources: () => [
                    canary("gateway-api", () => undefined, { ignoreDifferences: [] }),
                    rolloutsController(),
                ],
            },
            {
                why: "no Argo Rollouts controller",
                expect: /installs no Argo Rollouts controller/,
                resources: () => [canary("inventory-api")],
            },
        ],
    },
    {
        policy: servicesMonitoredAndAlerted,
        good: () => [
            delivered("gateway-api"),
            delivered("payment-sim-api"),
            platformRule(["gateway-api"], {
                "alerts.tacos.io/no-latency-alert-payment-sim-api": "exports no duration metric",
            }),
        ],
        bad: [
            {
                why: "a service delivered without its ServiceMonitor",
                expect: /gateway-api must be delivered with serviceMonitor\.enabled/,
                resources: () => [delivered("gateway-api", false), platformRule(["gateway-api"])],
            },
            {
                why: "a service without a latency alert or a reason",
                expect: /payment-sim-api must have a P95 latency alert/,
                resources: () => [
                    delivered("gateway-api"),
                    delivered("payment-sim-api"),
                    platformRule(["gateway-api"]),
                ],
            },
            {
                why: "no PrometheusRule at all",
                expect: /gateway-api must have a P95 latency alert/,
                resources: () => [delivered("gateway-api")],
            },
            {
                why: "an error alert is not a latency alert",
                expect: /gateway-api must have a P95 latency alert/,
                resources: () => [
                    delivered("gateway-api"),
                    resource("kubernetes:monitoring.coreos.com/v1:PrometheusRule", {
                        metadata: { name: "r" },
                        spec: {
                            groups: [
                                {
                                    name: "g",
                                    rules: [
                                        {
                                            alert: "E",
                                            expr: "x > 1",
                                            labels: { kind: "errors", service: "gateway-api" },
                                        },
                                    ],
                                },
                            ],
                        },
                    }),
                ],
            },
        ],
    },
    {
        policy: latencyObjectiveWithinMission,
        good: () => [profile()],
        bad: [
            {
                why: "a looser P95 objective than the platform's",
                expect: /P95 objective must be at most 200 ms; it is 500 ms/,
                resources: () => [
                    profile({
                        performanceProfile: {
                            targetRps: 1000,
                            p95LatencyMs: 500,
                            headroomPercent: 0,
                            services: {},
                        },
                    }),
                ],
            },
        ],
    },
    {
        policy: k8sAutoscaledDeployments,
        good: () => [resource(DEPLOYMENT, pod()), hpaFor("api")],
        bad: [
            {
                why: "no autoscaler",
                expect: /must be scaled by an HPA or a ScaledObject/,
                resources: () => [resource(DEPLOYMENT, pod())],
            },
            {
                why: "an HPA for another Deployment",
                expect: /must be scaled by an HPA or a ScaledObject/,
                resources: () => [resource(DEPLOYMENT, pod()), hpaFor("other")],
            },
        ],
    },
    {
        policy: k8sPdbForMultiReplica,
        good: () => [resource(DEPLOYMENT, pod()), hpaFor("api"), pdbFor()],
        bad: [
            {
                why: "an autoscaled Deployment without a PDB",
                expect: /runs up to 10 replicas and must have a PodDisruptionBudget/,
                resources: () => [resource(DEPLOYMENT, pod()), hpaFor("api")],
            },
            {
                why: "three fixed replicas without a PDB",
                expect: /runs up to 3 replicas and must have a PodDisruptionBudget/,
                resources: () => [resource(DEPLOYMENT, { ...pod(), spec: { ...pod().spec, replicas: 3 } })],
            },
        ],
    },
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

describeResourceCases("policy pack: performance: resource rules", RESOURCE_CASES);
describeStackCases("policy pack: performance: stack rules", STACK_CASES);

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
