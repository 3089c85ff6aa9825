/**
 * What Prometheus scrapes beyond the add-ons' declared ports, and what tells when it stops: the
 * alerts on every service's lost scrape targets over the jobs the services' chart really makes,
 * CoreDNS in kube-system, and the EKS control plane's scheduler and controller manager through
 * the API server.
 */
import * as assert from "assert";
import { SERVICE_NAMES } from "../components/apps/catalogue";
import { SCRAPE_ABSENT_FOR, scrapeTargetSelector } from "../components/apps/scrape-alerts";
import { PROMETHEUS_SERVICE_ACCOUNT } from "../components/k8s/addons/monitoring/facts";
import { APP_NAMESPACE } from "../vocabulary/platform";
import { findResource, ofType, ProgramRun, resolve } from "../tools/harness";
import { PROMETHEUS_NAMESPACE } from "./addon-expectations";
import { peerNamespace, policies } from "./observability-objects";
import { metricsOf } from "./promql";
import {
    renderedLookups,
    sectionOf,
    serviceValuesOf,
    STACKS,
    useRenderedServices,
    useStackRuns,
} from "./stacks";

const valuesOf = async (run: ProgramRun) =>
    (await resolve(
        findResource(run, "kubernetes:helm.sh/v3:Release", "monitoring-release").inputs.values,
    )) as any;

describe("monitoring: scrape targets", () => {
    const runs = useStackRuns();
    const rendered = useRenderedServices(runs);
    const { objectsOf } = renderedLookups(rendered);

    for (const stack of STACKS) {
        describe(stack, () => {
            it("alerts when a service's scrape target fails, and when a service that never scales to zero has none", () => {
                const rules = findResource(
                    runs[stack],
                    "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
                    "monitoring-platform-rules",
                )
                    .inputs.spec.groups.flatMap((g: any) => g.rules)
                    .filter((r: any) => r.labels.kind === "scrape");
                for (const service of SERVICE_NAMES) {
                    const own = rules.filter((r: any) => r.labels.service === service);
                    for (const r of own) assert.deepStrictEqual(metricsOf(r.expr), ["up"], r.expr);
                    assert.ok(
                        own.some((r: any) => r.expr === `${scrapeTargetSelector(service)} == 0`),
                        service,
                    );
                    const absent = own.find((r: any) => r.expr.startsWith("absent("));
                    const { minReplicas } = serviceValuesOf(runs[stack], service).autoscaling;
                    assert.strictEqual(Boolean(absent), minReplicas > 0, service);
                    if (absent) assert.strictEqual(absent.for, SCRAPE_ABSENT_FOR);
                }
            });

            it("selects each service's real scrape job: its ServiceMonitor's one Service, named after it, in the applications' namespace", () => {
                for (const service of SERVICE_NAMES) {
                    const [monitor] = objectsOf(stack, service, "ServiceMonitor");
                    const scraped = objectsOf(stack, service, "Service").filter(
                        (s: any) =>
                            Object.entries(monitor.spec.selector.matchLabels).every(
                                ([k, v]) => s.metadata.labels[k] === v,
                            ) &&
                            monitor.spec.selector.matchExpressions.every(
                                (e: any) => e.operator === "DoesNotExist" && !(e.key in s.metadata.labels),
                            ),
                    );
                    // The operator's job label is the scraped Service's name.
                    assert.deepStrictEqual(
                        scraped.map((s: any) => s.metadata.name),
                        [service],
                    );
                    const app = ofType(runs[stack], "kubernetes:argoproj.io/v1alpha1:Application").find(
                        (a) => a.inputs.metadata.name === service,
                    )!;
                    assert.strictEqual(app.inputs.spec.destination.namespace, APP_NAMESPACE);
                    assert.ok(serviceValuesOf(runs[stack], service).serviceMonitor.enabled);
                    assert.ok(scrapeTargetSelector(service).includes(`job="${service}"`));
                }
            });

            it("scrapes CoreDNS on 9153, with Prometheus' egress to its pods in kube-system", async () => {
                assert.strictEqual((await valuesOf(runs[stack])).coreDns.enabled, true);
                const egress = policies(runs[stack]).filter(
                    (p) =>
                        p.metadata.namespace === PROMETHEUS_NAMESPACE &&
                        p.spec.podSelector.matchLabels?.["app.kubernetes.io/name"] === "prometheus" &&
                        (p.spec.egress ?? []).some((e: any) => peerNamespace(e.to[0]) === "kube-system"),
                );
                assert.strictEqual(egress.length, 1);
                assert.deepStrictEqual(egress[0].spec.egress, [
                    {
                        to: [
                            {
                                namespaceSelector: {
                                    matchLabels: { "kubernetes.io/metadata.name": "kube-system" },
                                },
                                podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
                            },
                        ],
                        ports: [{ protocol: "TCP", port: 9153 }],
                    },
                ]);
            });

            it("scrapes the scheduler and the controller manager through the API server, with the RBAC EKS documents, and no monitor pointing at nothing", async () => {
                const values = await valuesOf(runs[stack]);
                for (const part of ["kubeControllerManager", "kubeScheduler", "kubeEtcd", "kubeProxy"])
                    assert.strictEqual(values[part].enabled, false, part);
                const monitor = findResource(
                    runs[stack],
                    "kubernetes:monitoring.coreos.com/v1:ServiceMonitor",
                    "monitoring-control-plane",
                ).inputs;
                assert.deepStrictEqual(monitor.spec.namespaceSelector, { matchNames: ["default"] });
                assert.deepStrictEqual(
                    monitor.spec.endpoints.map((e: any) => [e.relabelings[0].replacement, e.path, e.port]),
                    [
                        [
                            "kube-scheduler",
                            "/apis/metrics.eks.amazonaws.com/v1/ksh/container/metrics",
                            "https",
                        ],
                        [
                            "kube-controller-manager",
                            "/apis/metrics.eks.amazonaws.com/v1/kcm/container/metrics",
                            "https",
                        ],
                    ],
                );
                const role = findResource(
                    runs[stack],
                    "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
                    "monitoring-control-plane-metrics",
                ).inputs;
                assert.deepStrictEqual(role.rules, [
                    {
                        apiGroups: ["metrics.eks.amazonaws.com"],
                        resources: ["kcm/metrics", "ksh/metrics"],
                        verbs: ["get"],
                    },
                ]);
                const binding = findResource(
                    runs[stack],
                    "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
                    "monitoring-control-plane-metrics",
                ).inputs;
                assert.deepStrictEqual(binding.subjects, [
                    {
                        kind: "ServiceAccount",
                        name: PROMETHEUS_SERVICE_ACCOUNT,
                        namespace: PROMETHEUS_NAMESPACE,
                    },
                ]);
                // The API server's endpoints (the control plane's ENIs in the VPC) are open to every monitoring pod on 443.
                const api = policies(runs[stack]).find(
                    (p) =>
                        p.metadata.namespace === PROMETHEUS_NAMESPACE &&
                        p.metadata.name === "allow-api-server",
                )!;
                assert.deepStrictEqual(api.spec.podSelector, {});
                assert.ok(
                    api.spec.egress[0].to.some(
                        (peer: any) => peer.ipBlock?.cidr === sectionOf(runs[stack], "network").cidr,
                    ),
                );
            });
        });
    }
});
