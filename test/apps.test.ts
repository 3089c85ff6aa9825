/**
 * The tacos-service chart's workloads for the five services, rendered by the real helm from the
 * values each stack delivers: lint, API schemas, the restricted profile, probes, sizing and labels.
 */
import * as assert from "assert";
import { CATALOGUE, SERVICE_NAMES, ServiceName } from "../components/apps/catalogue";
import { ROLLING_UPDATE_MAX_SURGE_PERCENT } from "../components/apps/sizing";
import { renderedLookups, serviceValuesOf, stacksWith, useRenderedServices, useStackRuns } from "./stacks";
import { HEALTH_PORT } from "./services";
import { lint } from "../tools/helm";
import { validateObject } from "../tools/k8s-schema";

describe("tacos-service chart: workloads", () => {
    const runs = useStackRuns();
    const rendered = useRenderedServices(runs);
    const { objectsOf, workloadOf } = renderedLookups(rendered);

    for (const stack of stacksWith("rollouts")) {
        describe(stack, () => {
            for (const service of SERVICE_NAMES) {
                it(`${service}: helm lint --strict passes`, () => {
                    const result = lint(stack, serviceValuesOf(runs[stack], service));
                    assert.ok(result.ok, result.stdout + result.stderr);
                });
            }

            it("renders a ClusterIP Service, ServiceAccount, canary Rollout with its AnalysisTemplate, PDB, NetworkPolicy, AuthorizationPolicy and recommendation-only VPA for every service; HPA or KEDA as the catalogue says", () => {
                for (const service of SERVICE_NAMES) {
                    const kinds = rendered[stack][service].map((o) => o.kind).sort();
                    const scaling = CATALOGUE[service].scaling;
                    // KEDA owns the HPA of a service that scales on requests too; only a queue trigger needs AWS credentials.
                    const scaler =
                        scaling.kind === "keda"
                            ? ["ScaledObject", "TriggerAuthentication"]
                            : scaling.requestRate
                              ? ["ScaledObject"]
                              : ["HorizontalPodAutoscaler"];
                    // gateway-api's route shifts traffic between a stable and a canary Service, each with its target group.
                    // Its pods also take the load balancer's plaintext on one port (a PeerAuthentication).
                    const route =
                        service === "gateway-api"
                            ? [
                                  "HTTPRoute",
                                  "Service",
                                  "Service",
                                  "TargetGroupConfiguration",
                                  "TargetGroupConfiguration",
                                  "PeerAuthentication",
                              ]
                            : [];
                    assert.deepStrictEqual(
                        kinds,
                        [
                            "AnalysisTemplate",
                            "AuthorizationPolicy",
                            "ConfigMap",
                            "NetworkPolicy",
                            "PodDisruptionBudget",
                            "Rollout",
                            "Service",
                            "ServiceAccount",
                            "ServiceMonitor",
                            "VerticalPodAutoscaler",
                            ...scaler,
                            ...route,
                        ].sort(),
                        service,
                    );
                    for (const svc of objectsOf(stack, service, "Service"))
                        assert.strictEqual(svc.spec.type, "ClusterIP");
                }
            });

            it("validates every rendered object against its API schema", async () => {
                const failures: string[] = [];
                for (const service of SERVICE_NAMES) {
                    for (const object of rendered[stack][service]) {
                        try {
                            await validateObject(object);
                        } catch (e) {
                            failures.push(`${service}: ${(e as Error).message}`);
                        }
                    }
                }
                assert.deepStrictEqual(failures, []);
            });

            it("runs every container under the restricted profile, with a writable /tmp only", () => {
                for (const service of SERVICE_NAMES) {
                    const deployment = workloadOf(stack, service);
                    const pod = deployment.spec.template.spec;
                    assert.strictEqual(pod.securityContext.runAsNonRoot, true);
                    assert.strictEqual(pod.securityContext.seccompProfile.type, "RuntimeDefault");
                    assert.ok(!pod.hostNetwork && !pod.hostPID && !pod.hostIPC, "no host namespaces");
                    assert.ok(
                        pod.volumes.every((v: any) => !v.hostPath),
                        "no hostPath",
                    );
                    for (const container of pod.containers) {
                        const sc = container.securityContext;
                        assert.deepStrictEqual(
                            [
                                sc.runAsNonRoot,
                                sc.allowPrivilegeEscalation,
                                sc.readOnlyRootFilesystem,
                                sc.privileged,
                                sc.capabilities.drop,
                                sc.seccompProfile.type,
                            ],
                            [true, false, true, false, ["ALL"], "RuntimeDefault"],
                            service,
                        );
                        assert.ok(
                            container.ports.every((p: any) => !p.hostPort),
                            "no host ports",
                        );
                        const tmp = container.volumeMounts.find((m: any) => m.mountPath === "/tmp");
                        assert.ok(
                            pod.volumes.find((v: any) => v.name === tmp.name).emptyDir,
                            "/tmp is an emptyDir",
                        );
                        assert.match(container.image, /:[0-9a-f]{7,40}$/, "immutable tag");
                        assert.ok(!/:latest$/.test(container.image));
                    }
                }
            });

            it("checks readiness and start-up on the real HTTP health port; liveness never fails with a dependency", () => {
                // Their code: inventory-api and payment-sim-api serve one /health that checks their dependencies;
                // their liveness is a TCP check on the gRPC port instead, so a DynamoDB outage does not restart them.
                const TCP_LIVENESS: Partial<Record<ServiceName, number>> = {
                    "inventory-api": 8020,
                    "payment-sim-api": 8030,
                };
                const HTTP_LIVENESS: Partial<Record<ServiceName, string>> = {
                    "gateway-api": "/healthz",
                    "reservation-api": "/actuator/health/liveness",
                    "reservation-worker": "/health",
                };
                for (const service of SERVICE_NAMES) {
                    const container = workloadOf(stack, service).spec.template.spec.containers[0];
                    const portByName = Object.fromEntries(
                        container.ports.map((p: any) => [p.name, p.containerPort]),
                    );
                    for (const probe of ["readinessProbe"]) {
                        assert.strictEqual(
                            portByName[container[probe].httpGet.port],
                            HEALTH_PORT[service],
                            `${service} ${probe}`,
                        );
                    }
                    assert.strictEqual(
                        container.readinessProbe.httpGet.path,
                        CATALOGUE[service].probes.readiness,
                    );
                    const liveness = container.livenessProbe;
                    assert.deepStrictEqual(
                        container.startupProbe.tcpSocket ?? container.startupProbe.httpGet,
                        liveness.tcpSocket ?? liveness.httpGet,
                        `${service}: start-up checks what liveness checks`,
                    );
                    if (TCP_LIVENESS[service]) {
                        assert.strictEqual(liveness.httpGet, undefined, `${service}: no HTTP liveness`);
                        assert.strictEqual(
                            portByName[liveness.tcpSocket.port],
                            TCP_LIVENESS[service],
                            `${service}: TCP liveness on its gRPC port`,
                        );
                    } else {
                        assert.strictEqual(portByName[liveness.httpGet.port], HEALTH_PORT[service]);
                        assert.strictEqual(liveness.httpGet.path, HTTP_LIVENESS[service]);
                        assert.notStrictEqual(
                            liveness.httpGet.path,
                            container.readinessProbe.httpGet.path,
                            `${service}: liveness differs from readiness`,
                        );
                    }
                }
            });

            it("sets requests and limits from the catalogue, spreads across zones and nodes, and rolls on config change", () => {
                for (const service of SERVICE_NAMES) {
                    const deployment = workloadOf(stack, service);
                    const pod = deployment.spec.template;
                    assert.deepStrictEqual(pod.spec.containers[0].resources, CATALOGUE[service].resources);
                    const { maxSurge, maxUnavailable } = deployment.spec.strategy.canary;
                    assert.deepStrictEqual(
                        { maxSurge, maxUnavailable },
                        { maxSurge: `${ROLLING_UPDATE_MAX_SURGE_PERCENT}%`, maxUnavailable: 0 },
                        "the surge the quota makes room for",
                    );
                    const keys = pod.spec.topologySpreadConstraints.map((t: any) => t.topologyKey).sort();
                    assert.deepStrictEqual(keys, ["kubernetes.io/hostname", "topology.kubernetes.io/zone"]);
                    const zone = pod.spec.topologySpreadConstraints.find(
                        (t: any) => t.topologyKey === "topology.kubernetes.io/zone",
                    );
                    assert.strictEqual(
                        zone.whenUnsatisfiable,
                        stack === "prod" ? "DoNotSchedule" : "ScheduleAnyway",
                    );
                    // A lost zone's tainted nodes leave the skew, so replacements spread over the zones left.
                    assert.strictEqual(zone.nodeTaintsPolicy, "Honor");
                    // Evicted from a lost node after a minute in prod, after Kubernetes' five in dev.
                    assert.deepStrictEqual(
                        pod.spec.tolerations,
                        ["node.kubernetes.io/unreachable", "node.kubernetes.io/not-ready"].map((key) => ({
                            key,
                            operator: "Exists",
                            effect: "NoExecute",
                            tolerationSeconds: stack === "prod" ? 60 : 300,
                        })),
                    );
                    assert.match(pod.metadata.annotations["checksum/env"], /^[0-9a-f]{64}$/);
                }
            });

            it("labels every object with the recommended labels and every pod with its cost labels", () => {
                for (const service of SERVICE_NAMES) {
                    for (const object of rendered[stack][service]) {
                        const labels = object.metadata.labels;
                        for (const key of [
                            "app.kubernetes.io/name",
                            "app.kubernetes.io/instance",
                            "app.kubernetes.io/version",
                            "app.kubernetes.io/component",
                            "app.kubernetes.io/part-of",
                            "app.kubernetes.io/managed-by",
                        ]) {
                            assert.ok(labels[key], `${service} ${object.kind} ${key}`);
                        }
                    }
                    const podLabels = workloadOf(stack, service).spec.template.metadata.labels;
                    assert.strictEqual(podLabels["cost.tacos.io/service"], service);
                    assert.strictEqual(podLabels["cost.tacos.io/environment"], stack);
                    assert.strictEqual(podLabels["cost.tacos.io/cost-center"], "platform-engineering");
                }
            });
        });
    }
});
