/**
 * Monitoring: the alert rules (parsed with the Prometheus project's PromQL parser, every metric
 * one the stack exports, thresholds from each stack's config), Alertmanager to the SNS topic,
 * the encrypted StorageClass, the scrape NetworkPolicies and gateway-api's request-rate trigger.
 * The AWS side (topic, alarms, log groups, budget, anomaly monitor) is in monitoring-aws.test.ts.
 */
import * as assert from "assert";
import { CATALOGUE, SERVICE_NAMES } from "../components/apps/catalogue";
import { requestRateTarget } from "../components/apps/values";
import { loadConfig } from "../components/config";
import {
    ALERT_KINDS,
    alertRuleGroups,
    alertSettings,
    requestRateExpression,
} from "../components/apps/alerts";
import { KNOWN_METRICS } from "../components/apps/metrics";
import { PROMETHEUS_URL } from "../components/k8s/addons/monitoring/facts";
import { findResource, ofType, ProgramRun, resolve } from "../tools/harness";
import { validateObject } from "../tools/k8s-schema";
import { declaredScrapePorts, PROMETHEUS_NAMESPACE } from "./addon-expectations";
import { peerNamespace } from "./observability-objects";
import { metricsOf } from "./promql";
import { installedAddons, sectionOf, serviceValuesOf, STACKS, useStackRuns } from "./stacks";

const rulesOf = (run: ProgramRun) =>
    findResource(run, "kubernetes:monitoring.coreos.com/v1:PrometheusRule", "monitoring-platform-rules");
const releaseOf = (run: ProgramRun) =>
    findResource(run, "kubernetes:helm.sh/v3:Release", "monitoring-release");

describe("monitoring", () => {
    const runs = useStackRuns();

    it("the parser refuses broken PromQL, so the checks below can fail", () => {
        assert.throws(() => metricsOf("sum(rate(x[5m])"), /syntax error/);
        assert.deepStrictEqual(metricsOf(`a{b="c"} / on (d) e`), ["a", "e"]);
    });

    for (const stack of STACKS) {
        describe(stack, () => {
            it("parses every alert expression and names only metrics the stack exports", () => {
                const groups = rulesOf(runs[stack]).inputs.spec.groups;
                const expressions = groups.flatMap((g: any) => g.rules.map((r: any) => r.expr));
                // Every service with request metrics has its latency and error alerts; the others are exempt by name.
                const rules = groups.flatMap((g: any) => g.rules);
                for (const service of SERVICE_NAMES) {
                    const kinds = rules
                        .filter((r: any) => r.labels?.service === service)
                        .map((r: any) => r.labels.kind);
                    assert.strictEqual(
                        kinds.includes(ALERT_KINDS.latency) && kinds.includes(ALERT_KINDS.errors),
                        CATALOGUE[service].metrics.kind !== "none",
                        service,
                    );
                }
                for (const expr of expressions) {
                    for (const metric of metricsOf(expr))
                        assert.ok(
                            KNOWN_METRICS.has(metric),
                            `${metric} is exported by nothing in the stack: ${expr}`,
                        );
                }
            });

            it("validates the PrometheusRule against the Prometheus Operator's schema", async () => {
                await validateObject(rulesOf(runs[stack]).inputs as { apiVersion: string; kind: string });
            });

            it("sets every threshold from the stack's config: the P95 objective, the error ratio, the time at maximum, the backlog", () => {
                const perf = sectionOf(runs[stack], "performanceProfile");
                const alerts = {
                    errorRatioPercent: 1,
                    atMaxMinutes: 10,
                    backlogMessages: 1000,
                    restartsPerHour: 3,
                    ...sectionOf(runs[stack], "observability").alerts,
                };
                const rules = rulesOf(runs[stack]).inputs.spec.groups.flatMap((g: any) => g.rules);
                const latency = rules.filter((r: any) => r.labels.kind === ALERT_KINDS.latency);
                assert.deepStrictEqual(
                    latency.map((r: any) => r.labels.service).sort(),
                    ["gateway-api", "inventory-api", "reservation-api", "reservation-worker"],
                    "every service with request or event metrics (payment-sim-api registers none)",
                );
                for (const r of latency) assert.ok(r.expr.endsWith(`> ${perf.p95LatencyMs / 1000}`), r.expr);
                for (const r of rules.filter((r: any) => r.labels.kind === ALERT_KINDS.errors))
                    assert.ok(r.expr.endsWith(`> ${alerts.errorRatioPercent / 100}`), r.expr);
                assert.strictEqual(
                    rules.find((r: any) => r.alert === "AutoscalerAtMaximum").for,
                    `${alerts.atMaxMinutes}m`,
                );
                assert.ok(
                    rules
                        .find((r: any) => r.alert === "ReservationEventsBacklog")
                        .expr.endsWith(`> ${alerts.backlogMessages}`),
                );
            });

            it("sends the alerts to the alert topic through SigV4, in the stack's region, as Alertmanager's own identity", async () => {
                const values = (await resolve(releaseOf(runs[stack]).inputs.values)) as any;
                const config = values.alertmanager.config;
                const topic = findResource(runs[stack], "aws:sns/topic:Topic", "observability-alerts").state
                    .arn;
                const sns = config.receivers.find((r: any) => r.name === config.route.receiver)
                    .sns_configs[0];
                assert.deepStrictEqual(
                    [sns.topic_arn, sns.sigv4.region, sns.sigv4.access_key],
                    [topic, runs[stack].config["aws:region"], undefined],
                );
                assert.strictEqual(
                    values.alertmanager.serviceAccount.name,
                    findResource(
                        runs[stack],
                        "aws:eks/podIdentityAssociation:PodIdentityAssociation",
                        "identity-alertmanager-association",
                    ).inputs.serviceAccount,
                );
            });

            it("keeps Prometheus on an encrypted, cost-tagged gp3 volume, retained by time and below the volume's size", async () => {
                const values = (await resolve(releaseOf(runs[stack]).inputs.values)) as any;
                const spec = values.prometheus.prometheusSpec;
                const obs = sectionOf(runs[stack], "observability");
                assert.strictEqual(spec.retention, `${obs.prometheus.retentionDays}d`);
                assert.ok(parseInt(spec.retentionSize) < obs.prometheus.volumeGiB);
                const sc = ofType(runs[stack], "kubernetes:storage.k8s.io/v1:StorageClass")[0];
                assert.strictEqual(
                    spec.storageSpec.volumeClaimTemplate.spec.storageClassName,
                    sc.inputs.metadata.name,
                );
                const params = (await resolve(sc.inputs.parameters)) as Record<string, string>;
                assert.deepStrictEqual(
                    [sc.inputs.provisioner, params.type, params.encrypted, params.kmsKeyId],
                    [
                        "ebs.csi.aws.com",
                        "gp3",
                        "true",
                        findResource(runs[stack], "aws:kms/key:Key", "observability-key").state.arn,
                    ],
                );
                const tags = Object.entries(params)
                    .filter(([k]) => k.startsWith("tagSpecification_"))
                    .map(([, v]) => v.split("=")[0]);
                for (const key of ["Project", "Environment", "CostCenter", "Owner", "ManagedBy", "Component"])
                    assert.ok(tags.includes(key), `volumes tagged ${key}`);
                assert.deepStrictEqual(
                    [spec.serviceMonitorSelectorNilUsesHelmValues, spec.ruleSelectorNilUsesHelmValues],
                    [false, false],
                    "every ServiceMonitor and rule in the cluster",
                );
            });

            it("gives Prometheus and Alertmanager disruption budgets exactly where they run two replicas", async () => {
                const values = (await resolve(releaseOf(runs[stack]).inputs.values)) as any;
                const ha = sectionOf(runs[stack], "addons")?.highAvailability ?? false;
                for (const part of ["prometheus", "alertmanager"]) {
                    const spec =
                        part === "prometheus" ? values[part].prometheusSpec : values[part].alertmanagerSpec;
                    assert.strictEqual(spec.replicas, ha ? 2 : 1, part);
                    assert.deepStrictEqual(
                        values[part].podDisruptionBudget,
                        ha
                            ? { enabled: true, minAvailable: 1, unhealthyPodEvictionPolicy: "AlwaysAllow" }
                            : { enabled: false },
                        part,
                    );
                }
            });

            it("lets Prometheus reach exactly the scrape targets (each add-on's declared metrics ports, the services' through the mesh), and each scraped namespace admit it on those ports", () => {
                const policies = ofType(runs[stack], "kubernetes:networking.k8s.io/v1:NetworkPolicy").map(
                    (p) => p.inputs,
                );
                const egress = policies.find(
                    (p) =>
                        p.metadata.namespace === PROMETHEUS_NAMESPACE &&
                        p.metadata.name === "allow-to-scrape-targets",
                )!;
                const targets = Object.fromEntries(
                    egress.spec.egress.map((e: any) => [
                        e.to[0].namespaceSelector.matchLabels["kubernetes.io/metadata.name"],
                        e.ports.map((p: any) => p.port).sort((a: number, b: number) => a - b),
                    ]),
                );
                const declared = declaredScrapePorts(installedAddons(stack));
                // The services are in the ambient mesh: Prometheus (in it too) reaches their metrics ports inside HBONE.
                assert.deepStrictEqual(targets, { ...declared, tacos: [15008] });
                for (const [namespace, ports] of Object.entries(declared)) {
                    const ingress = policies.find(
                        (p) =>
                            p.metadata.namespace === namespace && p.metadata.name === "allow-from-prometheus",
                    );
                    assert.ok(ingress, `${namespace} admits Prometheus`);
                    assert.deepStrictEqual(
                        ingress!.spec.ingress[0].from.map(peerNamespace),
                        [PROMETHEUS_NAMESPACE],
                        namespace,
                    );
                    assert.deepStrictEqual(
                        ingress!.spec.ingress[0].ports
                            .map((p: any) => p.port)
                            .sort((a: number, b: number) => a - b),
                        ports,
                        namespace,
                    );
                }
            });

            it("scales gateway-api on requests per second per pod at the capacity model's number, through KEDA's Prometheus trigger", () => {
                const a = serviceValuesOf(runs[stack], "gateway-api").autoscaling;
                const perf = sectionOf(runs[stack], "performanceProfile");
                const rpsPerPod = perf.services?.["gateway-api"]?.rpsPerPod ?? 400;
                assert.strictEqual(a.mode, "keda");
                assert.ok(
                    Math.abs(a.keda.requestRate.threshold - rpsPerPod / (1 + perf.headroomPercent / 100)) <
                        0.01,
                    `${a.keda.requestRate.threshold}`,
                );
                // The rate reads four scrapes: one missed scrape leaves it defined rather than empty (read as no load).
                const scrape =
                    sectionOf(runs[stack], "observability").prometheus?.scrapeIntervalSeconds ?? 30;
                assert.deepStrictEqual(
                    [a.keda.requestRate.serverAddress, a.keda.requestRate.query],
                    [PROMETHEUS_URL, requestRateExpression("gateway-api", { window: `${4 * scrape}s` })],
                );
                assert.ok(a.keda.requestRate.query.endsWith(`[${4 * scrape}s]))`), a.keda.requestRate.query);
                for (const metric of metricsOf(a.keda.requestRate.query))
                    assert.ok(KNOWN_METRICS.has(metric));
                assert.deepStrictEqual(
                    [a.hpa.cpuUtilization, a.hpa.memoryUtilization],
                    [75, 80],
                    "CPU and memory still count",
                );
            });

            it("turns on every service's ServiceMonitor", () => {
                for (const service of SERVICE_NAMES) {
                    assert.strictEqual(
                        serviceValuesOf(runs[stack], service).serviceMonitor.enabled,
                        true,
                        service,
                    );
                }
            });
        });
    }

    it("derives the alert settings from the config it is given", () => {
        const groups = alertRuleGroups({ ...alertSettings(loadConfigFor()), p95LatencyMs: 150 });
        const latency = groups.flatMap((g) => g.rules).filter((r) => r.labels.kind === ALERT_KINDS.latency);
        assert.ok(latency.every((r) => r.expr.endsWith("> 0.15")));
        assert.ok(
            requestRateTarget("gateway-api", {
                performanceProfile: { headroomPercent: 100, services: { "gateway-api": { rpsPerPod: 400 } } },
            } as any) === 200,
        );
    });
});

/** A parsed config of the dev stack, for the pure functions. */
function loadConfigFor() {
    return {
        performanceProfile: {
            p95LatencyMs: 200,
            services: Object.fromEntries(SERVICE_NAMES.map((s) => [s, { minReplicas: 1, maxReplicas: 10 }])),
        },
        observability: {
            alerts: { errorRatioPercent: 1, atMaxMinutes: 10, backlogMessages: 1000, restartsPerHour: 3 },
        },
    } as unknown as ReturnType<typeof loadConfig>;
}
