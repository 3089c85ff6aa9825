/**
 * Who may reach each service and whom it may reach, in its rendered chart: NetworkPolicies from the
 * call graph, the mesh's admissions, and gateway-api's route and target groups from the Gateway.
 */
import * as assert from "assert";
import { CATALOGUE, SERVICE_NAMES } from "../components/apps/catalogue";
import { renderedLookups, stacksWith, useRenderedServices, useStackRuns } from "./stacks";
import { EXPECTED_CALLS, HEALTH_PORT } from "./services";

describe("tacos-service chart: traffic", () => {
    const runs = useStackRuns();
    const rendered = useRenderedServices(runs);
    const { objectsOf, workloadOf } = renderedLookups(rendered);

    for (const stack of stacksWith("rollouts")) {
        describe(stack, () => {
            it("lets every service with a workload identity reach the Pod Identity agent (169.254.170.23:80) through default deny", () => {
                for (const service of SERVICE_NAMES.filter((s) => CATALOGUE[s].aws.length > 0)) {
                    const egress = objectsOf(stack, service, "NetworkPolicy").flatMap(
                        (p) => p.spec.egress ?? [],
                    );
                    const reaches = egress.some(
                        (rule: any) =>
                            rule.to?.some((peer: any) => peer.ipBlock?.cidr === "169.254.170.23/32") &&
                            rule.ports?.some((port: any) => port.port === 80),
                    );
                    assert.ok(reaches, `${service} cannot fetch its credentials`);
                }
            });

            it("allows exactly the call graph in the NetworkPolicies, both ways, as HBONE (the called ports are the AuthorizationPolicies')", () => {
                const ingressEdges: string[] = [];
                const egressEdges: string[] = [];
                for (const service of SERVICE_NAMES) {
                    const [policy] = objectsOf(stack, service, "NetworkPolicy");
                    assert.deepStrictEqual(policy.spec.policyTypes, ["Ingress", "Egress"]);
                    for (const rule of policy.spec.ingress ?? []) {
                        for (const peer of rule.from.filter((p: any) => p.podSelector)) {
                            for (const port of rule.ports)
                                ingressEdges.push(
                                    `${peer.podSelector.matchLabels["app.kubernetes.io/name"]}->${service}:${port.port}`,
                                );
                        }
                    }
                    for (const rule of policy.spec.egress ?? []) {
                        for (const peer of rule.to.filter(
                            (p: any) => p.podSelector && !p.namespaceSelector,
                        )) {
                            for (const port of rule.ports)
                                egressEdges.push(
                                    `${service}->${peer.podSelector.matchLabels["app.kubernetes.io/name"]}:${port.port}`,
                                );
                        }
                    }
                }
                // Mesh traffic reaches the callee pod's HBONE port whatever port it calls: one edge per caller and callee.
                const hbone = [
                    ...new Set(EXPECTED_CALLS.map((call) => call.replace(/:\d+$/, ":15008"))),
                ].sort();
                assert.deepStrictEqual(ingressEdges.sort(), hbone);
                assert.deepStrictEqual(egressEdges.sort(), hbone);
            });

            it("admits the load balancer only to gateway-api, Prometheus (through the mesh) to every pod, and kubelet's probes on the probed ports only", () => {
                const publicCidrs = (runs[stack].config["tacos:network"] as any).zones
                    .map((z: any) => z.publicSubnetCidr)
                    .sort();
                for (const service of SERVICE_NAMES) {
                    const [policy] = objectsOf(stack, service, "NetworkPolicy");
                    const fromCidrs = policy.spec.ingress.filter((r: any) =>
                        r.from.some((p: any) => p.ipBlock && p.ipBlock.cidr !== "169.254.7.127/32"),
                    );
                    if (service === "gateway-api") {
                        assert.deepStrictEqual(
                            fromCidrs.flatMap((r: any) => r.from.map((p: any) => p.ipBlock.cidr)).sort(),
                            publicCidrs,
                        );
                        assert.deepStrictEqual(fromCidrs[0].ports, [{ protocol: "TCP", port: 8000 }]);
                    } else {
                        assert.deepStrictEqual(
                            fromCidrs,
                            [],
                            `${service} is not reachable from outside the cluster`,
                        );
                    }
                    const monitoring = policy.spec.ingress.find((r: any) =>
                        r.from.some(
                            (p: any) =>
                                p.namespaceSelector?.matchLabels["kubernetes.io/metadata.name"] ===
                                "monitoring",
                        ),
                    );
                    assert.deepStrictEqual(monitoring.ports, [{ protocol: "TCP", port: 15008 }]);
                    // Kubelet's probes, SNATed by Istio's CNI to 169.254.7.127: the HTTP health port, and the gRPC port of a TCP liveness check.
                    const probes = policy.spec.ingress.filter((r: any) =>
                        r.from.some((p: any) => p.ipBlock?.cidr === "169.254.7.127/32"),
                    );
                    const tcpLiveness =
                        typeof CATALOGUE[service].probes.liveness === "string"
                            ? []
                            : [CATALOGUE[service].ports.find((p) => p.name === "grpc")!.port];
                    assert.deepStrictEqual(
                        probes.flatMap((r: any) => r.ports.map((p: any) => p.port)),
                        [HEALTH_PORT[service], ...tcpLiveness],
                        service,
                    );
                    assert.deepStrictEqual(
                        probes.flatMap((r: any) => r.from),
                        [{ ipBlock: { cidr: "169.254.7.127/32" } }],
                    );
                }
            });

            it("routes the API host's /api/v1, /healthz and /readyz through the Gateway's HTTPS listener to gateway-api", () => {
                const [route] = objectsOf(stack, "gateway-api", "HTTPRoute");
                assert.deepStrictEqual(route.spec.parentRefs, [
                    { name: "tacos", namespace: "gateway", sectionName: "https" },
                ]);
                assert.deepStrictEqual(route.spec.hostnames, [
                    (runs[stack].config["tacos:gateway"] as any).apiHostname,
                ]);
                assert.deepStrictEqual(
                    route.spec.rules[0].matches.map((m: any) => m.path.value),
                    ["/api/v1", "/healthz", "/readyz"],
                );
                // All to stable between releases; Argo Rollouts moves the weights during one.
                assert.deepStrictEqual(route.spec.rules[0].backendRefs, [
                    { name: "gateway-api-stable", port: 8000, weight: 100 },
                    { name: "gateway-api-canary", port: 8000, weight: 0 },
                ]);
            });

            it("gives each of gateway-api's ALB target groups pod-IP targets and a health check on its readiness path, not GET /", () => {
                const [route] = objectsOf(stack, "gateway-api", "HTTPRoute");
                const backends = route.spec.rules[0].backendRefs.map((b: any) => b.name);
                const groups = objectsOf(stack, "gateway-api", "TargetGroupConfiguration");
                assert.deepStrictEqual(
                    groups.map((tg) => tg.spec.targetReference.name).sort(),
                    [...backends].sort(),
                    "one target group per Service the route sends to",
                );
                const container = workloadOf(stack, "gateway-api").spec.template.spec.containers[0];
                for (const tg of groups) {
                    const svc = objectsOf(stack, "gateway-api", "Service").find(
                        (s) => s.metadata.name === tg.spec.targetReference.name,
                    );
                    assert.ok(svc, `${tg.metadata.name} targets a rendered Service`);
                    assert.strictEqual(tg.spec.defaultConfiguration.targetType, "ip");
                    const check = tg.spec.defaultConfiguration.healthCheckConfig;
                    assert.deepStrictEqual(
                        [check.healthCheckProtocol, check.healthCheckPath, check.healthCheckPort],
                        ["HTTP", "/readyz", "traffic-port"],
                    );
                    assert.strictEqual(
                        check.healthCheckPath,
                        container.readinessProbe.httpGet.path,
                        "the ALB checks what the kubelet checks for readiness",
                    );
                }
            });
        });
    }
});
