/**
 * Traces, logs, dashboards, cost and rightsizing objects as the program creates them: the
 * collector's pipeline and who may reach it, each service's OTLP endpoint in the form its code
 * reads, Fluent Bit's log groups and parser, the Grafana dashboards (every query parsed, every
 * metric exported by something in the stack), Prometheus' API clients, OpenCost and the VPA.
 */
import * as assert from "assert";
import { CATALOGUE, SERVICE_NAMES } from "../components/apps/catalogue";
import { dashboardQueries } from "../components/apps/dashboard-model";
import { KNOWN_METRICS } from "../components/apps/metrics";
import { springTextParser } from "../components/k8s/addons/logging";
import { PROMETHEUS_PORT } from "../components/k8s/addons/monitoring/facts";
import { findResource, ofType, ProgramRun } from "../tools/harness";
import { metricsOf } from "./promql";
import { sectionOf, serviceValuesOf, STACKS, useStackRuns } from "./stacks";

const release = (run: ProgramRun, name: string) =>
    findResource(run, "kubernetes:helm.sh/v3:Release", `${name}-release`).inputs;
const policies = (run: ProgramRun) =>
    ofType(run, "kubernetes:networking.k8s.io/v1:NetworkPolicy").map((p) => p.inputs);
const peerNamespace = (peer: any) => peer.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"];

describe("observability", () => {
    const runs = useStackRuns();

    for (const stack of STACKS) {
        describe(stack, () => {
            it("runs one contrib collector that tail-samples errors, slow spans and the configured share into X-Ray", () => {
                const values = release(runs[stack], "tracing").values;
                assert.deepStrictEqual(
                    [values.mode, values.replicaCount, values.image.repository],
                    ["deployment", 1, "otel/opentelemetry-collector-contrib"],
                );
                const config = values.config;
                assert.deepStrictEqual(
                    [config.receivers.jaeger, config.receivers.zipkin, config.receivers.prometheus],
                    [null, null, null],
                    "the chart's other receivers removed",
                );
                assert.deepStrictEqual(config.service.pipelines.traces, {
                    receivers: ["otlp"],
                    processors: ["memory_limiter", "tail_sampling", "batch"],
                    exporters: ["awsxray"],
                });
                // Each keep-policy holds only for traces with a span of a head-sampling service (inventory-api traces every call).
                const policies = config.processors.tail_sampling.policies;
                for (const p of policies)
                    assert.deepStrictEqual(
                        [p.type, p.and.and_sub_policy[0].string_attribute],
                        ["and", { key: "service.name", values: ["gateway-api", "reservation-api"] }],
                        p.name,
                    );
                const policiesByType = Object.fromEntries(
                    policies.map((p: any) => [p.and.and_sub_policy[1].type, p.and.and_sub_policy[1]]),
                );
                assert.deepStrictEqual(policiesByType.status_code.status_code.status_codes, ["ERROR"]);
                assert.strictEqual(
                    policiesByType.latency.latency.threshold_ms,
                    sectionOf(runs[stack], "performanceProfile").p95LatencyMs ?? 200,
                );
                assert.strictEqual(
                    policiesByType.probabilistic.probabilistic.sampling_percentage,
                    sectionOf(runs[stack], "observability").tracing?.keepPercent ?? 10,
                );
                assert.strictEqual(config.exporters.awsxray.region, runs[stack].config["aws:region"]);
                const association = findResource(
                    runs[stack],
                    "aws:eks/podIdentityAssociation:PodIdentityAssociation",
                    "identity-otel-collector-association",
                );
                assert.deepStrictEqual(
                    [association.inputs.namespace, association.inputs.serviceAccount],
                    ["monitoring", values.serviceAccount.name],
                );
            });

            it("points each tracing service at the collector in the form its code reads, and lets exactly those reach it", () => {
                const host = "otel-collector.monitoring.svc.cluster.local";
                const env = (service: string) => serviceValuesOf(runs[stack], service).env;
                assert.strictEqual(env("gateway-api").OBSERVABILITY_OTLP_ENDPOINT, `http://${host}:4318`);
                assert.strictEqual(
                    env("gateway-api").OTEL_EXPORTER_OTLP_ENDPOINT,
                    undefined,
                    "gateway-api does not read it",
                );
                assert.strictEqual(env("reservation-api").OTEL_EXPORTER_OTLP_ENDPOINT, `http://${host}:4318`);
                assert.ok(
                    env("reservation-api").JAVA_OPTS.startsWith(
                        "-javaagent:/app/opentelemetry-javaagent.jar ",
                    ),
                    "the image's agent flag is kept",
                );
                assert.strictEqual(
                    env("inventory-api").OTEL_EXPORTER_OTLP_ENDPOINT,
                    `${host}:4317`,
                    "host:port without a scheme (otlptracegrpc.WithEndpoint)",
                );
                const ratio = String(
                    (sectionOf(runs[stack], "observability").tracing?.headSamplePercent ?? 10) / 100,
                );
                assert.deepStrictEqual(
                    [
                        env("gateway-api").OBSERVABILITY_SAMPLE_RATE,
                        env("reservation-api").OTEL_TRACES_SAMPLER_ARG,
                    ],
                    [ratio, ratio],
                );
                for (const service of SERVICE_NAMES) {
                    const tracing = CATALOGUE[service].tracing;
                    const egress = serviceValuesOf(runs[stack], service).networkPolicy.egress.filter(
                        (p: any) => p.namespace === "monitoring",
                    );
                    assert.deepStrictEqual(
                        egress.map((p: any) => p.ports),
                        tracing.protocol === "none" ? [] : [[tracing.protocol === "http" ? 4318 : 4317]],
                        service,
                    );
                }
                const ingress = policies(runs[stack]).find(
                    (p) =>
                        p.metadata.namespace === "monitoring" &&
                        p.metadata.name === "allow-otlp-from-applications",
                )!;
                assert.deepStrictEqual(
                    ingress.spec.ingress.map((r: any) => [
                        r.from.map(peerNamespace),
                        r.ports.map((p: any) => p.port),
                    ]),
                    [[["tacos"], [4317, 4318]]],
                );
            });

            it("ships each namespace's container logs into the log group the AWS layer made for it, creating none", () => {
                const values = release(runs[stack], "logging").values;
                const groups = ofType(runs[stack], "aws:cloudwatch/logGroup:LogGroup")
                    .map((g) => String(g.inputs.name))
                    .filter((n) => n.startsWith("/aws/containers/"));
                const template: string = values.cloudWatchLogs.logGroupTemplate;
                assert.ok(template.endsWith("/$kubernetes['namespace_name']"), template);
                const prefix = template.slice(0, -"$kubernetes['namespace_name']".length);
                for (const ns of ["tacos", "kube-system", "monitoring", "logging"])
                    assert.ok(groups.includes(`${prefix}${ns}`), `${prefix}${ns}`);
                assert.ok(groups.includes(values.cloudWatchLogs.logGroupName), "the fallback group exists");
                assert.strictEqual(values.cloudWatchLogs.autoCreateGroup, false);
                assert.deepStrictEqual(values.tolerations, [{ operator: "Exists" }], "on every node");
                const ns = ofType(runs[stack], "kubernetes:core/v1:Namespace").find(
                    (n) => n.inputs.metadata.name === "logging",
                )!;
                assert.strictEqual(
                    ns.inputs.metadata.labels["pod-security.kubernetes.io/enforce"],
                    "privileged",
                );
            });

            it("parses reservation-api's text lines into fields with the trace id, and marks its pods for that parser", () => {
                assert.strictEqual(
                    serviceValuesOf(runs[stack], "reservation-api").logParser,
                    "spring-boot-text",
                );
                for (const service of SERVICE_NAMES.filter((s) => s !== "reservation-api"))
                    assert.strictEqual(serviceValuesOf(runs[stack], service).logParser, "", service);
                assert.strictEqual(
                    serviceValuesOf(runs[stack], "payment-sim-api").env.ENVIRONMENT,
                    "production",
                    "zap's JSON encoder",
                );
            });

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

            it("lets exactly the namespaces that query Prometheus reach it, each on its API port", () => {
                const all = policies(runs[stack]);
                const ingress = all.find(
                    (p) =>
                        p.metadata.namespace === "monitoring" &&
                        p.metadata.name === "allow-prometheus-from-clients",
                )!;
                const clients = ingress.spec.ingress[0].from.map(peerNamespace).sort();
                assert.deepStrictEqual(clients, ["argo-rollouts", "grafana", "keda", "opencost"]);
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
                        [["monitoring", PROMETHEUS_PORT]],
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

            it("records every add-on's pods, node agents on every node", () => {
                const records = ofType(runs[stack], "tacos:k8s:AddonFootprint").map((r) => r.inputs);
                const byAddon = Object.fromEntries(records.map((r: any) => [r.addon, r.workloads]));
                for (const addon of ["monitoring", "tracing", "grafana", "opencost", "vpa"])
                    assert.ok(byAddon[addon]?.length > 0, addon);
                for (const agent of ["node-exporter", "logging"])
                    assert.strictEqual(byAddon[agent][0].replicas, "every-node", agent);
            });
        });
    }

    it("the Spring text parser's pattern reads reservation-api's logback line (its named groups are the same in JavaScript)", () => {
        const regex = /Regex\s+(.*)$/m.exec(springTextParser())![1];
        const line =
            "2026-11-23 10:00:01 [reactor-http-epoll-2] INFO  [4bf92f3577b34da6a3ce929d0e0e4736,00f067aa0ba902b7] c.t.r.service.ReservationService - reservation r-1 created";
        const match = new RegExp(regex).exec(line);
        assert.ok(match?.groups, "matches");
        assert.deepStrictEqual(
            [match.groups.trace_id, match.groups.span_id, match.groups.level, match.groups.msg],
            ["4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", "INFO", "reservation r-1 created"],
        );
        assert.strictEqual(new RegExp(regex).exec("not a spring line"), null);
    });
});
