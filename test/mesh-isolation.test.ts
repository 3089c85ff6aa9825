/**
 * Mutual TLS between the services: privileged only in the node agents' namespace, the tacos
 * namespace in the mesh and still restricted; STRICT mesh-wide with one plaintext port, the load
 * balancer's; authorization from the catalogue's call graph, both ways.
 */
import * as assert from "assert";
import { callGraph, CATALOGUE, SERVICE_NAMES, ServiceName } from "../components/apps/catalogue";
import { ADDONS } from "../components/k8s/addons";
import { MESH_NODE_NAMESPACE } from "../components/k8s/addons/mesh/facts";
import { PROMETHEUS_PORT } from "../components/k8s/addons/monitoring/facts";
import { HBONE_PORT, MESH_ROOT_NAMESPACE, PROBE_SNAT_CIDR } from "../vocabulary/mesh";
import { ofType, ProgramRun } from "../tools/harness";
import { podSecurityViolations, podTemplateOf } from "../vocabulary/pod-security";
import { validateObject } from "../tools/k8s-schema";
import { releaseOfChart, STACKS, useRenderedServices, useStackRuns } from "./stacks";

const istioObjects = (run: ProgramRun, kind: string) =>
    ofType(run, `kubernetes:security.istio.io/v1:${kind}`).map((r) => r.inputs);

/** The object a service's pods come from: its Rollout where canaries run, else its Deployment. */
const workloadOf = (objects: any[]) =>
    objects.find((o) => o.kind === "Rollout") ?? objects.find((o) => o.kind === "Deployment");

describe("service mesh: the services' isolation", () => {
    const runs = useStackRuns();
    const rendered = useRenderedServices(runs);
    const objectsOf = (stack: string, service: ServiceName, kind: string) =>
        rendered[stack][service].filter((o) => o.kind === kind);

    for (const stack of STACKS) {
        describe(stack, () => {
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
                    releaseOfChart(runs[stack], "istiod").inputs.values.seccompProfile.type,
                    "RuntimeDefault",
                    "istiod's container is restricted with it",
                );
                for (const service of SERVICE_NAMES) {
                    const workload = workloadOf(rendered[stack][service]);
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
                    // Each of its callers in the call graph, by its pods' name, on the HBONE port only.
                    const callers = policy.spec.ingress
                        .filter((r: any) => r.from.some((peer: any) => peer.podSelector))
                        .flatMap((r: any) =>
                            r.from.flatMap((peer: any) =>
                                r.ports.map(
                                    (p: any) =>
                                        `${peer.podSelector.matchLabels["app.kubernetes.io/name"]}:${p.port}`,
                                ),
                            ),
                        );
                    assert.deepStrictEqual(
                        callers.sort(),
                        [
                            ...new Set(
                                callGraph()
                                    .filter((e) => e.to === service)
                                    .map((e) => `${e.from}:${HBONE_PORT}`),
                            ),
                        ].sort(),
                        `${service}: callers only through HBONE`,
                    );
                    // A called port is admitted at most to kubelet's probes (reservation-api's 8010 is also its health port).
                    assert.ok(
                        !calledPorts.some((p) =>
                            ingressPorts((peer) => peer.ipBlock?.cidr !== PROBE_SNAT_CIDR).includes(p),
                        ),
                        `${service}: no caller on a called port outside HBONE`,
                    );
                    // The ports the rendered container's probes name, its named ports resolved.
                    const workload = workloadOf(rendered[stack][service]);
                    const container: any = podTemplateOf(workload)!.spec.containers![0];
                    const portNumber = (port: number | string) =>
                        typeof port === "number"
                            ? port
                            : container.ports.find((p: any) => p.name === port).containerPort;
                    const probed = ["livenessProbe", "readinessProbe", "startupProbe"]
                        .map((key) => container[key])
                        .filter(Boolean)
                        .map((probe: any) => portNumber((probe.httpGet ?? probe.tcpSocket).port));
                    assert.deepStrictEqual(
                        ingressPorts((p) => p.ipBlock?.cidr === PROBE_SNAT_CIDR).sort(
                            (a: number, b: number) => a - b,
                        ),
                        [...new Set(probed)].sort((a, b) => a - b),
                        service,
                    );
                }
            });

            it("validates every Istio object, the program's and the chart's, against its schema", async () => {
                const objects = [
                    ...ofType(runs[stack], "kubernetes:security.istio.io/v1:PeerAuthentication"),
                    ...ofType(runs[stack], "kubernetes:security.istio.io/v1:AuthorizationPolicy"),
                ].map((r) => r.inputs);
                const fromChart = SERVICE_NAMES.flatMap((s) =>
                    rendered[stack][s].filter((o) => o.apiVersion === "security.istio.io/v1"),
                );
                assert.deepStrictEqual(
                    objects.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`).sort(),
                    [
                        "AuthorizationPolicy tacos/allow-nothing",
                        "PeerAuthentication istio-system/default",
                        "PeerAuthentication monitoring/prometheus-clients",
                    ],
                );
                // Each service's AuthorizationPolicy, and gateway-api's PeerAuthentication for its load balancer port.
                assert.deepStrictEqual(
                    fromChart.map((o) => `${o.kind} ${o.metadata.name}`).sort(),
                    [
                        ...SERVICE_NAMES.map((s) => `AuthorizationPolicy ${s}`),
                        "PeerAuthentication gateway-api",
                    ].sort(),
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
