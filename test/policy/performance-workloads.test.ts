/** Performance rules on workloads: autoscaling, probes, disruption budgets. */
import {
    k8sAutoscaledDeployments,
    k8sPdbForMultiReplica,
    k8sProbes,
} from "../../policy/rules/performance-workloads";
import {
    c0,
    DEPLOYMENT,
    describeResourceCases,
    describeStackCases,
    hpaFor,
    pod,
    resource,
    ResourceCase,
    StackCase,
} from "./cases";

const pdbFor = () =>
    resource("kubernetes:policy/v1:PodDisruptionBudget", {
        metadata: { name: "api", namespace: "tacos" },
        spec: { selector: { matchLabels: { "app.kubernetes.io/name": "api" } } },
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

const STACK_CASES: StackCase[] = [
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
];

describeResourceCases("policy pack: performance: workload resource rules", RESOURCE_CASES);
describeStackCases("policy pack: performance: workload stack rules", STACK_CASES);
