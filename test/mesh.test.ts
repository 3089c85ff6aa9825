/**
 * Mutual TLS between the services: Istio ambient installed pinned, its node agents
 * privileged only in their own namespace and on every node; the tacos namespace in the mesh and
 * still restricted; STRICT mesh-wide with one plaintext port, the load balancer's; authorization
 * from the catalogue's call graph, both ways; Prometheus scraping as a mesh workload.
 */
import * as assert from "assert";
import { callGraph, CATALOGUE, SERVICE_NAMES, ServiceName } from "../components/apps/catalogue";
import { probePorts } from "../components/apps/mesh";
import { ADDONS } from "../components/k8s/addons";
import { ISTIO_VERSION, MESH_NODE_NAMESPACE } from "../components/k8s/addons/mesh/facts";
import { PROMETHEUS_PORT } from "../components/k8s/addons/monitoring/facts";
import { HBONE_PORT, MESH_ROOT_NAMESPACE, PROBE_SNAT_CIDR } from "../vocabulary/mesh";
import { SYSTEM_TAINT } from "../vocabulary/placement";
import { ofType, ProgramRun } from "../tools/harness";
import { podSecurityViolations, podTemplateOf } from "../vocabulary/pod-security";
import { validateObject } from "../tools/k8s-schema";
import { leafPaths } from "./chart-values";
import { releaseOfChart, STACKS, useRenderedServices, useStackRuns } from "./stacks";

const ISTIO_CHARTS = ["base", "istiod", "cni", "ztunnel"];
const releases = (run: ProgramRun) =>
    ofType(run, "kubernetes:helm.sh/v3:Release").filter((r) => ISTIO_CHARTS.includes(r.inputs.chart));
const release = releaseOfChart;
const istioObjects = (run: ProgramRun, kind: string) =>
    ofType(run, `kubernetes:security.istio.io/v1:${kind}`).map((r) => r.inputs);

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

describe("service mesh: Istio ambient", () => {
    const runs = useStackRuns();
    const rendered = useRenderedServices(runs);
    const objectsOf = (stack: string, service: ServiceName, kind: string) =>
        rendered[stack][service].filter((o) => o.kind === kind);

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
                        ["docker.io/istio", ISTIO_VERSION],
                        chart,
                    );
                assert.deepStrictEqual(
                    [release(run, "ztunnel").inputs.values.hub, release(run, "ztunnel").inputs.values.tag],
                    ["docker.io/istio", ISTIO_VERSION],
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

            it("keeps privileged to the node agents' namespace (with its reason), istiod and the services restricted, the services without sidecars", () => {
                const namespaces = Object.fromEntries(
                    ofType(runs[stack], "kubernetes:core/v1:Namespace").map((n) => [
                        n.inputs.metadata.name,
                        n.inputs.metadata.labels,
                    ]),
                );
                assert.strictEqual(
                    namespaces[MESH_NODE_NAMESPACE]["pod-security.kubernetes.io/enforce"],
                    "privileged",
                );
                assert.match(
                    (ADDONS["mesh-node"].declaration.namespace as { reason: string }).reason,
                    /NET_ADMIN.*SYS_ADMIN/,
                );
                assert.strictEqual(
                    namespaces[MESH_ROOT_NAMESPACE]["pod-security.kubernetes.io/enforce"],
                    "restricted",
                );
                assert.strictEqual(namespaces.tacos["pod-security.kubernetes.io/enforce"], "restricted");
                assert.strictEqual(namespaces.tacos["istio.io/dataplane-mode"], "ambient");
                assert.ok(!("istio-injection" in namespaces.tacos), "no sidecar injection");
                assert.strictEqual(
                    release(runs[stack], "istiod").inputs.values.seccompProfile.type,
                    "RuntimeDefault",
                    "istiod's container is restricted with it",
                );
                for (const service of SERVICE_NAMES) {
                    const workload = rendered[stack][service].find((o) => o.kind === "Rollout")!;
                    const template = podTemplateOf(workload)!;
                    assert.deepStrictEqual(
                        (template.spec.containers ?? []).map((c: any) => c.name),
                        [service],
                        `${service}: one container, no istio-proxy`,
                    );
                    assert.deepStrictEqual(
                        podSecurityViolations(template.spec, template.metadata ?? {}, "restricted"),
                        [],
                        service,
                    );
                }
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

            it("makes mutual TLS STRICT mesh-wide, with plaintext only on gateway-api's load balancer port", () => {
                const peer = istioObjects(runs[stack], "PeerAuthentication");
                const meshWide = peer.filter((p) => p.metadata.namespace === MESH_ROOT_NAMESPACE);
                assert.deepStrictEqual(
                    meshWide.map((p) => p.spec),
                    [{ mtls: { mode: "STRICT" } }],
                );
                const renderedPeer = SERVICE_NAMES.flatMap((s) =>
                    objectsOf(stack, s, "PeerAuthentication").map((p) => ({ service: s, spec: p.spec })),
                );
                assert.deepStrictEqual(renderedPeer, [
                    {
                        service: "gateway-api",
                        spec: {
                            selector: {
                                matchLabels: {
                                    "app.kubernetes.io/name": "gateway-api",
                                    "app.kubernetes.io/instance": "gateway-api",
                                },
                            },
                            portLevelMtls: { 8000: { mode: "PERMISSIVE" } },
                        },
                    },
                ]);
                // Only Prometheus' query port besides, for its clients outside the mesh.
                assert.deepStrictEqual(
                    peer
                        .filter((p) => p.metadata.namespace === "monitoring")
                        .map((p) => p.spec.portLevelMtls),
                    [{ [PROMETHEUS_PORT]: { mode: "PERMISSIVE" } }],
                );
            });

            it("admits exactly the call graph in the AuthorizationPolicies, both ways: each callee its callers' identities on the ports they call", () => {
                const edges: string[] = [];
                const principalOf = Object.fromEntries(
                    SERVICE_NAMES.map((s) => [`cluster.local/ns/tacos/sa/${CATALOGUE[s].serviceAccount}`, s]),
                );
                for (const service of SERVICE_NAMES) {
                    const [policy] = objectsOf(stack, service, "AuthorizationPolicy");
                    assert.strictEqual(policy.spec.action, "ALLOW");
                    assert.deepStrictEqual(
                        policy.spec.selector.matchLabels["app.kubernetes.io/name"],
                        service,
                    );
                    for (const rule of policy.spec.rules) {
                        const principals = rule.from
                            .flatMap((f: any) => f.source.principals ?? [])
                            .filter((p: string) => p.includes("/ns/tacos/"));
                        for (const p of principals)
                            for (const port of rule.to.flatMap((t: any) => t.operation.ports))
                                edges.push(`${principalOf[p]}->${service}:${port}`);
                    }
                }
                const expected = callGraph()
                    .map((e) => `${e.from}->${e.to}:${e.port}`)
                    .sort();
                assert.deepStrictEqual(edges.sort(), expected);
                assert.deepStrictEqual(expected, [
                    "gateway-api->payment-sim-api:8030",
                    "gateway-api->reservation-api:8011",
                    "reservation-api->inventory-api:8020",
                    "reservation-worker->inventory-api:8020",
                    "reservation-worker->reservation-api:8010",
                ]);
                // And the namespace allows nothing else.
                assert.deepStrictEqual(
                    istioObjects(runs[stack], "AuthorizationPolicy")
                        .filter((a) => a.metadata.namespace === "tacos")
                        .map((a) => [a.metadata.name, a.spec]),
                    [["allow-nothing", {}]],
                );
            });

            it("admits Prometheus' identity on each metrics port and the load balancer's subnets on gateway-api's, and nothing else", () => {
                const publicCidrs = (runs[stack].config["tacos:network"] as any).zones.map(
                    (z: any) => z.publicSubnetCidr,
                );
                for (const service of SERVICE_NAMES) {
                    const [policy] = objectsOf(stack, service, "AuthorizationPolicy");
                    const others = policy.spec.rules.filter(
                        (r: any) =>
                            !r.from.some((f: any) =>
                                (f.source.principals ?? []).some((p: string) => p.includes("/ns/tacos/")),
                            ),
                    );
                    const http = String(CATALOGUE[service].ports.find((p) => p.name === "http")!.port);
                    const expected = [
                        {
                            from: [
                                { source: { principals: ["cluster.local/ns/monitoring/sa/kps-prometheus"] } },
                            ],
                            to: [{ operation: { ports: [http] } }],
                        },
                    ];
                    if (service === "gateway-api")
                        expected.push({
                            from: [{ source: { ipBlocks: publicCidrs } }],
                            to: [{ operation: { ports: ["8000"] } }],
                        } as any);
                    assert.deepStrictEqual(others, expected, service);
                }
            });

            it("admits HBONE between the call graph's pods and the probes from the CNI's SNAT address on the probed ports only", () => {
                for (const service of SERVICE_NAMES) {
                    const [policy] = objectsOf(stack, service, "NetworkPolicy");
                    const calledPorts = callGraph()
                        .filter((e) => e.to === service)
                        .map((e) => e.port);
                    const ingressPorts = (filter: (peer: any) => boolean) =>
                        policy.spec.ingress
                            .filter((r: any) => r.from.some(filter))
                            .flatMap((r: any) => r.ports.map((p: any) => p.port));
                    assert.ok(
                        ingressPorts((p) => p.podSelector).every((p: number) => p === HBONE_PORT),
                        `${service}: callers only through HBONE`,
                    );
                    // A called port is admitted at most to kubelet's probes (reservation-api's 8010 is also its health port).
                    assert.ok(
                        !calledPorts.some((p) =>
                            ingressPorts((peer) => peer.ipBlock?.cidr !== PROBE_SNAT_CIDR).includes(p),
                        ),
                        `${service}: no caller on a called port outside HBONE`,
                    );
                    assert.deepStrictEqual(
                        ingressPorts((p) => p.ipBlock?.cidr === PROBE_SNAT_CIDR),
                        probePorts(service),
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

            it("validates every Istio object, the program's and the chart's, against its schema", async () => {
                const objects = [
                    ...ofType(runs[stack], "kubernetes:security.istio.io/v1:PeerAuthentication"),
                    ...ofType(runs[stack], "kubernetes:security.istio.io/v1:AuthorizationPolicy"),
                ].map((r) => r.inputs);
                const fromChart = SERVICE_NAMES.flatMap((s) =>
                    rendered[stack][s].filter((o) => o.apiVersion === "security.istio.io/v1"),
                );
                assert.ok(
                    objects.length >= 3 && fromChart.length === 6,
                    `${objects.length} + ${fromChart.length}`,
                );
                for (const object of [...objects, ...fromChart]) await validateObject(object);
                await assert.rejects(
                    validateObject({ ...fromChart[0], spec: { ...fromChart[0].spec, action: "PERMIT" } }),
                    /action/,
                );
            });
        });
    }
});
