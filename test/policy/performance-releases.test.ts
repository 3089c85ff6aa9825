/**
 * The release rule: canaries judged by their own metrics, the controller installed, Argo CD
 * leaving the weights alone.
 */
import { releasesCanaryWithAnalysis } from "../../policy/rules/performance-releases";
import { describeStackCases, resource, StackCase } from "./cases";
import { platformRule } from "./performance-fixtures";

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
                        successCondition: "result < 0.2",
                        failureCondition: "result >= 0.2",
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
                why: "a metric that passes when its query returns no data",
                expect: /inventory-api's analysis metric p95-latency passes when its query returns no data \(isNaN\(result\) \|\| result < 0\.2\)/,
                resources: () => [
                    canary("inventory-api", (v) => {
                        v.rollout.analysis.metrics[0].successCondition = "isNaN(result) || result < 0.2";
                    }),
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
];

describeStackCases("policy pack: performance: release rules", STACK_CASES);
