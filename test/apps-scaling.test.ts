/**
 * How each service scales in its rendered chart: HPAs on CPU and memory, and the worker on its
 * queue's depth through KEDA.
 */
import * as assert from "assert";
import { CATALOGUE, SERVICE_NAMES } from "../components/apps/catalogue";
import { parsedStackConfig } from "../tools/harness";
import { renderedLookups, stacksWith, useRenderedServices, useStackRuns } from "./stacks";

describe("tacos-service chart: scaling", () => {
    const runs = useStackRuns();
    const rendered = useRenderedServices(runs);
    const { objectsOf, workloadOf } = renderedLookups(rendered);

    for (const stack of stacksWith("rollouts")) {
        describe(stack, () => {
            it("scales the HTTP services with HPAs on CPU and memory, within the profile's replicas, at its scale-up and the chart's scale-down", () => {
                const profile = parsedStackConfig(stack).performanceProfile;
                for (const service of SERVICE_NAMES.filter((s) => {
                    const sc = CATALOGUE[s].scaling;
                    return sc.kind === "hpa" && !sc.requestRate;
                })) {
                    const [hpa] = objectsOf(stack, service, "HorizontalPodAutoscaler");
                    const scaling = CATALOGUE[service].scaling as {
                        cpuUtilization: number;
                        memoryUtilization: number;
                    };
                    const targets = Object.fromEntries(
                        hpa.spec.metrics.map((m: any) => [
                            m.resource.name,
                            m.resource.target.averageUtilization,
                        ]),
                    );
                    assert.deepStrictEqual(targets, {
                        cpu: scaling.cpuUtilization,
                        memory: scaling.memoryUtilization,
                    });
                    const { minReplicas, maxReplicas } = profile.services[service];
                    assert.deepStrictEqual(
                        [hpa.spec.minReplicas, hpa.spec.maxReplicas],
                        [minReplicas, maxReplicas],
                        service,
                    );
                    const up = profile.scaleUp;
                    assert.deepStrictEqual(hpa.spec.behavior, {
                        scaleUp: {
                            stabilizationWindowSeconds: up.stabilizationWindowSeconds,
                            selectPolicy: "Max",
                            policies: [
                                { type: "Percent", value: up.percent, periodSeconds: up.periodSeconds },
                                { type: "Pods", value: up.pods, periodSeconds: up.periodSeconds },
                            ],
                        },
                        // The chart's own (charts/tacos-service/values.yaml): at most 10% a minute, after five calm minutes.
                        scaleDown: {
                            stabilizationWindowSeconds: 300,
                            selectPolicy: "Min",
                            policies: [{ type: "Percent", value: 10, periodSeconds: 60 }],
                        },
                    });
                    assert.strictEqual(
                        workloadOf(stack, service).spec.replicas,
                        undefined,
                        "the HPA owns replicas",
                    );
                }
            });

            it("scales reservation-worker from its minimum on reservation-events depth through KEDA and EKS Pod Identity", () => {
                const [scaled] = objectsOf(stack, "reservation-worker", "ScaledObject");
                const minimum = stack === "dev" ? 0 : 1;
                assert.strictEqual(scaled.spec.minReplicaCount, minimum);
                const [trigger] = scaled.spec.triggers;
                assert.strictEqual(trigger.type, "aws-sqs-queue");
                assert.strictEqual(
                    trigger.metadata.queueURL,
                    (runs[stack].outputs as any).queueUrls["reservation-events"],
                );
                assert.strictEqual(trigger.metadata.queueLength, "10");
                assert.ok(Number(trigger.metadata.activationQueueLength) >= 1, "an activation threshold");
                assert.ok(
                    !("identityOwner" in trigger.metadata) && !("awsRoleArn" in trigger.metadata),
                    "no deprecated identity metadata",
                );
                const [auth] = objectsOf(stack, "reservation-worker", "TriggerAuthentication");
                assert.deepStrictEqual(auth.spec, { podIdentity: { provider: "aws" } });
                assert.strictEqual(trigger.authenticationRef.name, auth.metadata.name);
            });

            it("reads gateway-api's request rate over four scrapes, and never takes no data for no load", () => {
                const [scaled] = objectsOf(stack, "gateway-api", "ScaledObject");
                const prometheus = scaled.spec.triggers.find((t: any) => t.type === "prometheus");
                // An empty result is the scaler's error (the HPA holds its replicas), not a zero that scales in.
                assert.strictEqual(prometheus.metadata.ignoreNullValues, "false");
                const scrape = parsedStackConfig(stack).observability.prometheus.scrapeIntervalSeconds;
                assert.match(prometheus.metadata.query, new RegExp(`\\[${4 * scrape}s\\]`));
            });
        });
    }
});
