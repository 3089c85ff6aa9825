/**
 * The add-ons' Helm releases as each stack installs them: pinned charts, values keys each chart
 * knows, the system nodes, restricted security contexts, service accounts and high availability.
 */
import * as assert from "assert";
import { ADDONS, PINNED_CHARTS } from "../components/k8s/addons";
import { chartSource } from "../components/k8s/addons/chart";
import { findResource, ofType, ProgramRun } from "../tools/harness";
import { unknownKeys } from "./chart-values";
import { byKind } from "./platform-fixtures";
import { installedAddons, releaseOfChart, STACKS, useStackRuns } from "./stacks";

describe("cluster platform: add-on releases", () => {
    const runs = useStackRuns();
    const releases = (run: ProgramRun) => ofType(run, "kubernetes:helm.sh/v3:Release");

    for (const stack of STACKS) {
        describe(stack, () => {
            it("pins every Helm release to the chart registry's version and makes it roll back on failure", () => {
                const all = releases(runs[stack]);
                assert.deepStrictEqual(
                    all.map((r) => r.inputs.chart).sort(),
                    installedAddons(stack)
                        .flatMap((name) => ADDONS[name].declaration.charts)
                        .map((c) => chartSource(c).chart)
                        .sort(),
                );
                for (const r of all) {
                    const pinned = PINNED_CHARTS.find((c) => chartSource(c).chart === r.inputs.chart)!;
                    assert.match(r.inputs.version, /^\d+\.\d+\.\d+$/, `${r.inputs.chart} version is exact`);
                    assert.strictEqual(r.inputs.version, pinned.version);
                    assert.strictEqual(
                        r.inputs.repositoryOpts?.repo,
                        chartSource(pinned).repositoryOpts?.repo,
                    );
                    assert.deepStrictEqual([r.inputs.atomic, r.inputs.cleanupOnFail], [true, true]);
                }
            });

            it("serves pod metrics (metrics.k8s.io) from metrics-server on the system nodes before any service and its HPA exist", () => {
                const values = releaseOfChart(runs[stack], "metrics-server").inputs.values;
                assert.deepStrictEqual(values.nodeSelector, { "tacos.io/node-group": "system" });
                assert.strictEqual(values.replicas, stack === "prod" ? 2 : 1);
                assert.deepStrictEqual(values.podDisruptionBudget, {
                    enabled: stack === "prod",
                    maxUnavailable: 1,
                });
                const services = runs[stack].resources.find((r) => r.type === "tacos:apps:ServiceDelivery")!;
                assert.ok(
                    services.options.dependsOn.some((urn) => urn.endsWith("::metrics-server-release")),
                    "the services after metrics-server",
                );
                const policies = byKind(runs[stack], "NetworkPolicy").filter(
                    (p) => p.inputs.metadata.namespace === "metrics-server",
                );
                const ports = (dir: "ingress" | "egress") =>
                    policies.flatMap((p) =>
                        (p.inputs.spec[dir] ?? []).flatMap((r: any) =>
                            (r.ports ?? []).map((x: any) => x.port),
                        ),
                    );
                assert.ok(ports("ingress").includes(10250), "the API server reaches the aggregated API");
                assert.ok(
                    ports("egress").includes(10250) && ports("egress").includes(443),
                    "it scrapes the kubelets and talks to the API server",
                );
            });

            it("sets only values keys that exist in each chart", () => {
                for (const r of releases(runs[stack])) {
                    const chart = PINNED_CHARTS.find((c) => chartSource(c).chart === r.inputs.chart);
                    assert.ok(chart, `no pin for ${r.inputs.chart}`);
                    assert.strictEqual(chart.version, r.inputs.version);
                    assert.deepStrictEqual(unknownKeys(chart, r.inputs.values), [], r.inputs.chart);
                }
            });

            it("runs Argo CD, KEDA and the load balancer controller on the system nodes, restricted, with requests and limits", () => {
                // Requests and limits each name both CPU and memory.
                const resourceNames = (r: any) => [
                    Object.keys(r.requests).sort(),
                    Object.keys(r.limits).sort(),
                ];
                const cpuAndMemory = [
                    ["cpu", "memory"],
                    ["cpu", "memory"],
                ];
                const argo = releaseOfChart(runs[stack], "argo-cd").inputs.values;
                for (const component of ["controller", "server", "repoServer", "applicationSet", "redis"]) {
                    const sc = argo[component].containerSecurityContext;
                    assert.deepStrictEqual(
                        [
                            sc.runAsNonRoot,
                            sc.allowPrivilegeEscalation,
                            sc.capabilities.drop,
                            sc.seccompProfile.type,
                        ],
                        [true, false, ["ALL"], "RuntimeDefault"],
                        component,
                    );
                    assert.deepStrictEqual(resourceNames(argo[component].resources), cpuAndMemory, component);
                }
                const keda = releaseOfChart(runs[stack], "keda").inputs.values;
                for (const component of ["operator", "metricServer", "webhooks"]) {
                    assert.strictEqual(keda.securityContext[component].allowPrivilegeEscalation, false);
                    assert.strictEqual(
                        keda.securityContext[component].readOnlyRootFilesystem,
                        true,
                        `${component}: read-only root (certificates come from a mounted secret)`,
                    );
                    assert.strictEqual(keda.podSecurityContext[component].runAsNonRoot, true);
                    assert.deepStrictEqual(resourceNames(keda.resources[component]), cpuAndMemory, component);
                }
                const lbc = releaseOfChart(runs[stack], "aws-load-balancer-controller").inputs.values;
                assert.deepStrictEqual(lbc.securityContext.capabilities.drop, ["ALL"]);
                for (const values of [argo.global, keda, lbc]) {
                    assert.deepStrictEqual(values.nodeSelector, { "tacos.io/node-group": "system" });
                    assert.deepStrictEqual(
                        values.tolerations.map((t: any) => t.key),
                        ["CriticalAddonsOnly"],
                    );
                }
            });

            it("gives KEDA's operator the service account its Pod Identity association names", () => {
                const keda = releaseOfChart(runs[stack], "keda");
                const association = findResource(
                    runs[stack],
                    "aws:eks/podIdentityAssociation:PodIdentityAssociation",
                    "identity-keda-operator-association",
                );
                assert.deepStrictEqual(
                    [association.inputs.namespace, association.inputs.serviceAccount],
                    [keda.inputs.namespace, keda.inputs.values.serviceAccount.operator.name],
                );
                assert.strictEqual(
                    keda.inputs.version,
                    "2.20.2",
                    "2.20.0 fails to render with top-level tolerations",
                );
            });
        });
    }

    it("refuses a values key the chart's pin does not record (a misspelt key Helm would ignore)", () => {
        const keda = PINNED_CHARTS.find((c) => c.chart === "keda")!;
        assert.deepStrictEqual(
            unknownKeys(keda, {
                tolerations: [],
                tolerationz: [],
                operator: { replicaCount: 2, replicaCont: 2 },
            }),
            ["tolerationz", "operator.replicaCont"],
        );
    });

    it("runs Argo CD and KEDA highly available in prod and not in dev", () => {
        const argo = (stack: string) => releaseOfChart(runs[stack], "argo-cd").inputs.values;
        assert.strictEqual(argo("prod")["redis-ha"].enabled, true);
        for (const component of ["server", "repoServer", "applicationSet"]) {
            assert.ok(argo("prod")[component].replicas >= 2, component);
            assert.strictEqual(argo("dev")[component].replicas, 1, component);
        }
        assert.strictEqual(argo("dev")["redis-ha"].enabled, false);
        assert.strictEqual(releaseOfChart(runs.prod, "keda").inputs.values.operator.replicaCount, 2);
        assert.strictEqual(releaseOfChart(runs.dev, "keda").inputs.values.operator.replicaCount, 1);
        // prod's two replicas of each KEDA Deployment in different zones (then on different nodes), by its pods' selector.
        const spread = releaseOfChart(runs.prod, "keda").inputs.values.topologySpreadConstraints;
        for (const [component, app] of [
            ["operator", "keda-operator"],
            ["metricsServer", "keda-operator-metrics-apiserver"],
            ["webhooks", "keda-admission-webhooks"],
        ]) {
            assert.deepStrictEqual(
                spread[component].map((c: any) => [
                    c.topologyKey,
                    c.whenUnsatisfiable,
                    c.labelSelector.matchLabels,
                ]),
                [
                    ["topology.kubernetes.io/zone", "DoNotSchedule", { app }],
                    ["kubernetes.io/hostname", "ScheduleAnyway", { app }],
                ],
                component,
            );
        }
        assert.strictEqual(
            releaseOfChart(runs.dev, "keda").inputs.values.topologySpreadConstraints,
            undefined,
        );
        for (const component of ["controller", "server", "repoServer", "applicationSet"]) {
            assert.deepStrictEqual(
                argo("prod")[component].pdb,
                { enabled: true, maxUnavailable: 1 },
                `${component} disruption budget in prod`,
            );
        }
    });
});
