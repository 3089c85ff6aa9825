/** Latency rules: the P95 objective, and every service scraped and alerted on its latency. */
import {
    latencyObjectiveWithinMission,
    servicesMonitoredAndAlerted,
} from "../../policy/rules/performance-latency";
import { describeStackCases, profile, resource, StackCase } from "./cases";
import { delivered, platformRule } from "./performance-fixtures";

const STACK_CASES: StackCase[] = [
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
];

describeStackCases("policy pack: performance: latency rules", STACK_CASES);
