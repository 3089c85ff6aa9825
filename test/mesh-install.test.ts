/**
 * Istio ambient as each stack installs it: base, istiod, the CNI agent and ztunnel pinned, from the
 * release's images; the node agents on every node; Prometheus joining the mesh to scrape.
 */
import * as assert from "assert";
import { ADDON_NAMES, ADDONS, AddonName } from "../components/k8s/addons";
import { ISTIO_VERSION } from "../components/k8s/addons/mesh/facts";
import { PROMETHEUS_PORT } from "../components/k8s/addons/monitoring/facts";
import { PROBE_SNAT_CIDR } from "../vocabulary/mesh";
import { MESH_STARTUP_TAINT, SYSTEM_TAINT } from "../vocabulary/placement";
import { ofType, ProgramRun } from "../tools/harness";
import { leafPaths } from "./chart-values";
import { releaseOfChart, STACKS, useStackRuns } from "./stacks";

const ISTIO_CHARTS = ["base", "istiod", "cni", "ztunnel"];
const releases = (run: ProgramRun) =>
    ofType(run, "kubernetes:helm.sh/v3:Release").filter((r) => ISTIO_CHARTS.includes(r.inputs.chart));
const release = releaseOfChart;

/** Whether a pod with these tolerations may run on a node with this taint (Kubernetes' matching rules). */
function tolerates(
    tolerations: { key?: string; operator?: string; value?: string; effect?: string }[],
    taint: { key: string; value: string; effect: string },
): boolean {
    return tolerations.some(
        (t) =>
            (t.effect === undefined || t.effect === taint.effect) &&
            (t.operator === "Exists"
                ? t.key === undefined || t.key === taint.key
                : t.key === taint.key && t.value === taint.value),
    );
}

describe("service mesh: Istio ambient installation", () => {
    it("installs every add-on after the mesh's node agents, which lift the nodes' startup taint", () => {
        // Installed before them, an add-on's pods would wait on tainted nodes, its release's wait racing the agents.
        const dependsOnNodeAgents = (name: string): boolean =>
            ADDONS[name as AddonName].declaration.dependsOn.some(
                (dep) => dep === "mesh-node" || dependsOnNodeAgents(dep),
            );
        assert.deepStrictEqual(
            ADDON_NAMES.filter((n) => n !== "mesh" && n !== "mesh-node" && !dependsOnNodeAgents(n)),
            [],
        );
        assert.deepStrictEqual(ADDONS["mesh-node"].declaration.dependsOn, ["mesh"]);
    });

    const runs = useStackRuns();

    it("tolerates: the checker refuses a toleration of another key or effect, so the checks below can fail", () => {
        assert.ok(tolerates([{ operator: "Exists" }], SYSTEM_TAINT));
        assert.ok(!tolerates([{ key: "other", operator: "Exists" }], SYSTEM_TAINT));
        assert.ok(!tolerates([{ operator: "Exists", effect: "NoExecute" }], SYSTEM_TAINT));
    });

    for (const stack of STACKS) {
        describe(stack, () => {
            it(`installs base, istiod, the CNI agent and ztunnel at ${ISTIO_VERSION} from the release's images, ambient, with no platform profile (EKS)`, () => {
                const run = runs[stack];
                assert.deepStrictEqual(
                    releases(run)
                        .map((r) => `${r.inputs.chart}@${r.inputs.version} in ${r.inputs.namespace}`)
                        .sort(),
                    [
                        `base@${ISTIO_VERSION} in istio-system`,
                        `cni@${ISTIO_VERSION} in istio-node`,
                        `istiod@${ISTIO_VERSION} in istio-system`,
                        `ztunnel@${ISTIO_VERSION} in istio-node`,
                    ],
                );
                for (const chart of ["istiod", "cni"])
                    assert.strictEqual(release(run, chart).inputs.values.profile, "ambient", chart);
                for (const r of releases(run)) {
                    assert.deepStrictEqual(
                        leafPaths(r.inputs.values)
                            .map((p) => p.join("."))
                            .filter((k) => /(^|\.)platform(\.|$)/.test(k)),
                        [],
                        `${r.inputs.chart}: global.platform stays unset on EKS`,
                    );
                }
                for (const chart of ["istiod", "cni"])
                    assert.deepStrictEqual(
                        [
                            release(run, chart).inputs.values.global.hub,
                            release(run, chart).inputs.values.global.tag,
                        ],
                        ["gcr.io/istio-release", ISTIO_VERSION],
                        chart,
                    );
                assert.deepStrictEqual(
                    [release(run, "ztunnel").inputs.values.hub, release(run, "ztunnel").inputs.values.tag],
                    ["gcr.io/istio-release", ISTIO_VERSION],
                    "the release's mirror, without Docker Hub's anonymous pull limit",
                );
                // istiod issues certificates for ambient pods only to the ztunnels of the namespace it trusts.
                assert.strictEqual(
                    release(run, "istiod").inputs.values.trustedZtunnelNamespace,
                    release(run, "ztunnel").inputs.namespace,
                );
                const order = (name: string) => run.resources.findIndex((r) => r.name === name);
                assert.ok(
                    order("mesh-base") < order("mesh-istiod") &&
                        order("mesh-istiod") < order("mesh-node-cni") &&
                        order("mesh-node-cni") < order("mesh-node-ztunnel"),
                    "base, istiod, the CNI agent, ztunnel",
                );
            });

            it("runs ztunnel and the CNI agent on every node, the system node group's included", () => {
                for (const chart of ["cni", "ztunnel"]) {
                    const values = release(runs[stack], chart).inputs.values;
                    assert.ok(
                        tolerates(values.tolerations, SYSTEM_TAINT),
                        `${chart} tolerates ${SYSTEM_TAINT.key}`,
                    );
                    assert.ok(
                        tolerates(values.tolerations, {
                            key: "karpenter.sh/disrupted",
                            value: "",
                            effect: "NoSchedule",
                        }),
                        `${chart} stays on a node being drained`,
                    );
                    assert.strictEqual(
                        values.nodeSelector,
                        undefined,
                        `${chart} is not limited to some nodes`,
                    );
                }
                const records = Object.fromEntries(
                    ofType(runs[stack], "tacos:k8s:AddonFootprint").map((r) => [
                        r.inputs.addon,
                        r.inputs.workloads,
                    ]),
                );
                assert.deepStrictEqual(
                    records["mesh-node"].map((w: any) => `${w.name}:${w.replicas}:${w.nodes}`),
                    ["ztunnel:every-node:all", "istio-cni-node:every-node:all"],
                );
                assert.deepStrictEqual(
                    records.mesh.map((w: any) => `${w.name}:${w.replicas}:${w.nodes}`),
                    [`istiod:${stack === "prod" ? 2 : 1}:system`],
                );
                assert.deepStrictEqual(
                    release(runs[stack], "istiod").inputs.values.resources,
                    records.mesh[0].resources,
                    "istiod's values from its footprint",
                );
                assert.deepStrictEqual(
                    release(runs[stack], "ztunnel").inputs.values.resources,
                    records["mesh-node"][0].resources,
                    "ztunnel's values from its footprint",
                );
            });

            it("starts no pod on a node before its CNI agent is Ready: istiod lifts the startup taint, and only what needs no mesh tolerates it", () => {
                const run = runs[stack];
                // The chart's default taint.name (istio-discovery values.yaml at 1.30.3); the agent runs outside istiod's namespace.
                assert.deepStrictEqual(MESH_STARTUP_TAINT, {
                    key: "cni.istio.io/not-ready",
                    effect: "NoSchedule",
                });
                const istiod = release(run, "istiod").inputs.values;
                assert.deepStrictEqual(istiod.taint, {
                    enabled: true,
                    namespace: release(run, "cni").inputs.namespace,
                });
                assert.ok(
                    tolerates(istiod.tolerations, { ...MESH_STARTUP_TAINT, value: "" }),
                    "istiod starts on a tainted node, or a new cluster's nodes would keep the taint",
                );
                // The node agents every node needs, as the program configures them.
                const ds: Record<string, any[]> = {
                    "istio-cni": release(run, "cni").inputs.values.tolerations,
                    ztunnel: release(run, "ztunnel").inputs.values.tolerations,
                    "fluent-bit": release(run, "aws-for-fluent-bit").inputs.values.tolerations,
                    // Not set: the chart's default (charts/prometheus-node-exporter values.yaml at 4.56.1).
                    "node-exporter": release(run, "prometheus-node-exporter").inputs.values.tolerations ?? [
                        { effect: "NoSchedule", operator: "Exists" },
                    ],
                };
                for (const [agent, tolerations] of Object.entries(ds))
                    assert.ok(tolerates(tolerations, { ...MESH_STARTUP_TAINT, value: "" }), agent);
                const ebs = ofType(run, "aws:eks/addon:Addon").find(
                    (a) => a.inputs.addonName === "aws-ebs-csi-driver",
                )!;
                assert.strictEqual(
                    JSON.parse(ebs.inputs.configurationValues).node.tolerateAllTaints,
                    true,
                    "the EBS CSI node pod",
                );
                // The application pods do not tolerate it: they wait for the mesh.
                for (const app of ofType(run, "kubernetes:argoproj.io/v1alpha1:Application")) {
                    const values = app.inputs.spec.source.helm.valuesObject;
                    assert.ok(
                        !tolerates(values.tolerations ?? [], { ...MESH_STARTUP_TAINT, value: "" }),
                        values.name,
                    );
                }
            });

            it("lets Prometheus scrape as a mesh workload: ambient, HBONE to the services, its query port open to its clients outside the mesh, its probes admitted", () => {
                const monitoring = release(runs[stack], "kube-prometheus-stack");
                assert.strictEqual(
                    monitoring.inputs.values.prometheus.prometheusSpec.podMetadata.labels[
                        "istio.io/dataplane-mode"
                    ],
                    "ambient",
                );
                assert.ok(
                    !monitoring.inputs.values.alertmanager.alertmanagerSpec.podMetadata.labels[
                        "istio.io/dataplane-mode"
                    ],
                    "only Prometheus joins",
                );
                const policies = ofType(runs[stack], "kubernetes:networking.k8s.io/v1:NetworkPolicy")
                    .map((p) => p.inputs)
                    .filter((p) => p.metadata.namespace === "monitoring");
                const probes = policies.find((p) => p.metadata.name === "allow-prometheus-probes")!;
                assert.deepStrictEqual(
                    [probes.spec.podSelector.matchLabels, probes.spec.ingress],
                    [
                        { "app.kubernetes.io/name": "prometheus" },
                        [
                            {
                                from: [{ ipBlock: { cidr: PROBE_SNAT_CIDR } }],
                                ports: [{ protocol: "TCP", port: PROMETHEUS_PORT }],
                            },
                        ],
                    ],
                );
                const exemption = ofType(
                    runs[stack],
                    "kubernetes:security.istio.io/v1:PeerAuthentication",
                ).find((p) => p.inputs.metadata.namespace === "monitoring")!;
                assert.ok(
                    monitoring.options.dependsOn.includes(exemption.urn),
                    "the exemption exists before Prometheus joins the mesh",
                );
            });
        });
    }
});
