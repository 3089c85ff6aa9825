/**
 * Dashboards, metrics and cost objects as the program creates them: the Grafana dashboards (every
 * query parsed, every metric exported by something in the stack), Grafana itself, Prometheus' API
 * clients, OpenCost, the VPA and the add-ons' pods.
 */
import * as assert from "assert";
import { SERVICE_NAMES } from "../components/apps/catalogue";
import { dashboardQueries } from "../components/apps/dashboard-model";
import { KNOWN_METRICS } from "../components/apps/metrics";
import { PROMETHEUS_PORT } from "../components/k8s/addons/monitoring/facts";
import { ADDONS } from "../components/k8s/addons";
import { FOOTPRINT_TYPE } from "../components/k8s/addons/addon";
import { findResource, ofType, parsedStackConfig } from "../tools/harness";
import { declaredPrometheusClients, PROMETHEUS_NAMESPACE } from "./addon-expectations";
import { metricsOf } from "./promql";
import { peerNamespace, policies, release } from "./observability-objects";
import { sectionOf, serviceValuesOf, stacksWith, useStackRuns } from "./stacks";

describe("observability: dashboards, metrics and cost", () => {
    const runs = useStackRuns();

    for (const stack of stacksWith("opencost", "vpa")) {
        describe(stack, () => {
            it("loads every dashboard through Grafana's sidecar, each query valid PromQL over exported metrics", () => {
                const maps = ofType(runs[stack], "kubernetes:core/v1:ConfigMap").filter(
                    (c) => c.inputs.metadata.labels?.grafana_dashboard === "1",
                );
                const names = maps.map((m) => m.inputs.metadata.name).sort();
                assert.deepStrictEqual(
                    names,
                    [
                        "dashboard-cost",
                        "dashboard-platform",
                        ...SERVICE_NAMES.map((s) => `dashboard-service-${s}`),
                    ].sort(),
                );
                const sidecar = release(runs[stack], "grafana").values.sidecar.dashboards;
                assert.deepStrictEqual(
                    [sidecar.enabled, sidecar.label, sidecar.labelValue],
                    [true, "grafana_dashboard", "1"],
                );
                for (const map of maps) {
                    assert.strictEqual(
                        map.inputs.metadata.namespace,
                        release(runs[stack], "grafana").namespace,
                    );
                    const model = JSON.parse(Object.values(map.inputs.data as Record<string, string>)[0]);
                    for (const q of dashboardQueries(model)) {
                        for (const metric of metricsOf(q.expr))
                            assert.ok(
                                KNOWN_METRICS.has(metric),
                                `${map.inputs.metadata.name} / ${q.panel}: ${metric} is exported by nothing`,
                            );
                    }
                }
                const gateway = JSON.parse(
                    maps.find((m) => m.inputs.metadata.name === "dashboard-service-gateway-api")!.inputs.data[
                        "service-gateway-api.json"
                    ],
                );
                const titles = gateway.panels.map((p: any) => p.title);
                for (const t of [
                    "Requests per second",
                    "Latency P50 / P95 / P99",
                    "Saturation (usage / request)",
                    "Replicas against maximum",
                ])
                    assert.ok(titles.includes(t), t);
                const latency = gateway.panels.find((p: any) => p.title === "Latency P50 / P95 / P99");
                assert.deepStrictEqual(
                    latency.targets.map((t: any) => t.legendFormat),
                    ["P50", "P95", "P99"],
                );
                const cost = JSON.parse(
                    maps.find((m) => m.inputs.metadata.name === "dashboard-cost")!.inputs.data["cost.json"],
                );
                assert.ok(
                    cost.panels[0].targets[0].expr.includes("label_cost_tacos_io_service"),
                    "grouped by the service cost label",
                );
            });

            it("serves Grafana on its own host name with the admin password from secret config, downloading nothing", async () => {
                const values = release(runs[stack], "grafana").values;
                const secret = findResource(runs[stack], "kubernetes:core/v1:Secret", "grafana-admin");
                assert.strictEqual(values.admin.existingSecret, secret.inputs.metadata.name);
                assert.deepStrictEqual(
                    Object.keys(secret.inputs.stringData).sort(),
                    [values.admin.passwordKey, values.admin.userKey].sort(),
                );
                assert.strictEqual(values.testFramework.enabled, false);
                assert.strictEqual(values["grafana.ini"].plugins.preinstall_disabled, true);
                const route = ofType(runs[stack], "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute").find(
                    (r) => r.inputs.metadata.name === "grafana",
                )!;
                assert.deepStrictEqual(route.inputs.spec.hostnames, [
                    sectionOf(runs[stack], "observability").grafana.hostname,
                ]);
                const targetGroup = ofType(
                    runs[stack],
                    "kubernetes:gateway.k8s.aws/v1:TargetGroupConfiguration",
                ).find((r) => r.inputs.metadata.name === "grafana")!;
                assert.strictEqual(
                    targetGroup.inputs.spec.defaultConfiguration.healthCheckConfig.healthCheckPath,
                    "/api/health",
                );
            });

            it("keeps Grafana's service account to its own namespace's ConfigMaps, and names node-exporter's job as kube-prometheus-stack's rules do", () => {
                const grafana = release(runs[stack], "grafana").values;
                assert.deepStrictEqual(
                    [grafana.rbac.namespaced, grafana.sidecar.dashboards.resource],
                    [true, "configmap"],
                );
                const nodeExporter = release(runs[stack], "node-exporter").values;
                assert.deepStrictEqual(
                    [nodeExporter.service.labels.jobLabel, nodeExporter.prometheus.monitor.jobLabel],
                    ["node-exporter", "jobLabel"],
                );
                assert.strictEqual(
                    release(runs[stack], "opencost").values.opencost.metrics.kubeStateMetrics
                        .emitKsmV1Metrics,
                    false,
                    "no second copy of kube-state-metrics' series",
                );
            });

            it("lets exactly the namespaces of the add-ons declaring Prometheus queries reach it, each on its API port", () => {
                const all = policies(runs[stack]);
                const ingress = all.find(
                    (p) =>
                        p.metadata.namespace === PROMETHEUS_NAMESPACE &&
                        p.metadata.name === "allow-prometheus-from-clients",
                )!;
                const clients = ingress.spec.ingress[0].from.map(peerNamespace).sort();
                assert.deepStrictEqual(clients, declaredPrometheusClients());
                assert.deepStrictEqual(
                    ingress.spec.ingress[0].ports.map((p: any) => p.port),
                    [PROMETHEUS_PORT],
                );
                for (const ns of clients) {
                    const egress = all.find(
                        (p) => p.metadata.namespace === ns && p.metadata.name === "allow-to-prometheus",
                    );
                    assert.ok(egress, ns);
                    assert.deepStrictEqual(
                        egress!.spec.egress.map((r: any) => [peerNamespace(r.to[0]), r.ports[0].port]),
                        [[PROMETHEUS_NAMESPACE, PROMETHEUS_PORT]],
                    );
                }
            });

            it("points OpenCost at this stack's Prometheus with a restricted exporter and no UI", () => {
                const values = release(runs[stack], "opencost").values;
                assert.deepStrictEqual(values.opencost.prometheus.internal, {
                    serviceName: "kps-prometheus",
                    namespaceName: "monitoring",
                    port: PROMETHEUS_PORT,
                });
                assert.deepStrictEqual(
                    [values.opencost.ui.enabled, values.opencost.mcp.enabled],
                    [false, false],
                );
                assert.strictEqual(values.opencost.exporter.securityContext.allowPrivilegeEscalation, false);
            });

            it("runs the VPA recommender alone and a recommendation-only VerticalPodAutoscaler for every service", () => {
                const values = release(runs[stack], "vpa").values;
                assert.deepStrictEqual(
                    [values.admissionController.enabled, values.updater.enabled],
                    [false, false],
                );
                assert.strictEqual(
                    values.recommender.podDisruptionBudget.enabled,
                    stack === "prod",
                    "a budget only with two replicas",
                );
                for (const service of SERVICE_NAMES)
                    assert.deepStrictEqual(
                        serviceValuesOf(runs[stack], service).verticalPodAutoscaler,
                        { enabled: true },
                        service,
                    );
            });

            it("records every add-on's pods as its declared footprint, in its namespace, node agents on every node", () => {
                const config = parsedStackConfig(stack);
                const records = ofType(runs[stack], FOOTPRINT_TYPE).map((r) => r.inputs);
                assert.deepStrictEqual(
                    Object.fromEntries(records.map((r: any) => [r.addon, [r.namespace, r.workloads]])),
                    Object.fromEntries(
                        Object.values(ADDONS).map((a) => [
                            a.declaration.name,
                            [a.declaration.namespace.name, a.footprint(config)],
                        ]),
                    ),
                );
                const byAddon = Object.fromEntries(records.map((r: any) => [r.addon, r.workloads]));
                for (const agent of ["node-exporter", "logging"])
                    assert.strictEqual(byAddon[agent][0].replicas, "every-node", agent);
            });
        });
    }
});
