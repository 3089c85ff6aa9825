/**
 * Traces and logs as the program creates them: the collector's pipeline and who may reach it, each
 * service's OTLP endpoint in the form its code reads, Fluent Bit's log groups and parser.
 */
import * as assert from "assert";
import { CATALOGUE, SERVICE_NAMES } from "../components/apps/catalogue";
import { springTextParser } from "../components/k8s/addons/logging";
import { findResource, ofType } from "../tools/harness";
import { peerNamespace, policies, release } from "./observability-objects";
import { sectionOf, serviceValuesOf, stacksWith, useStackRuns } from "./stacks";

describe("observability: traces and logs", () => {
    const runs = useStackRuns();

    for (const stack of stacksWith("tracing")) {
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

            it("runs Fluent Bit as root on the host's /var/log and with nothing else: no capability, no escalation, seccomp, a read-only root", () => {
                const values = release(runs[stack], "logging").values;
                assert.deepStrictEqual(values.containerSecurityContext, {
                    allowPrivilegeEscalation: false,
                    capabilities: { drop: ["ALL"] },
                    readOnlyRootFilesystem: true,
                    seccompProfile: { type: "RuntimeDefault" },
                });
                assert.deepStrictEqual(values.podSecurityContext, {
                    seccompProfile: { type: "RuntimeDefault" },
                });
                // Its only writes: the tail input's position database (chart 0.2.0's input.db) on the host's /var/log.
                assert.deepStrictEqual(values.volumeMounts, [{ name: "varlog", mountPath: "/var/log" }]);
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
