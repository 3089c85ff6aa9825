/**
 * The services in Istio's ambient mesh: who may reach each one, from the same call
 * graph as its NetworkPolicy. Each callee admits exactly its callers' identities on the ports they
 * call, Prometheus' identity on its metrics port, and, for the service behind the load balancer,
 * the load balancer's addresses in plaintext on its exposed port: the ALB is outside the mesh and
 * sends to the pod's IP directly (IP targets), so that one port also takes plaintext, from those
 * addresses only. The namespace's allow-nothing policy refuses everything else.
 */
import type { ServiceValues } from "../../vocabulary/chart-values";
import { meshPrincipal } from "../../vocabulary/mesh";
import { MONITORING_NAMESPACE } from "../../vocabulary/platform";
import { PROMETHEUS_SERVICE_ACCOUNT } from "../k8s/addons/monitoring/facts";
import { APP_NAMESPACE, callGraph, CATALOGUE, portOf, ServiceName } from "./catalogue";

/** The mesh values of a service's chart: its AuthorizationPolicy rules and the ports that also take plaintext. */
export type MeshValues = ServiceValues["mesh"];

/** The port the internet-facing load balancer sends a service's traffic to (its `http` port), where it is exposed. */
export function loadBalancerPort(service: ServiceName): number | undefined {
    return CATALOGUE[service].exposedPaths ? portOf(service, "http") : undefined;
}

/** The ports kubelet probes a service on: the HTTP health port, and the port of a TCP liveness check. */
export function probePorts(service: ServiceName): number[] {
    const liveness = CATALOGUE[service].probes.liveness;
    return [
        ...new Set([
            portOf(service, "http"),
            ...(typeof liveness === "string" ? [] : [portOf(service, liveness.tcpPort)]),
        ]),
    ];
}

/** The mesh identity of a service's pods (its service account in the application namespace). */
const servicePrincipal = (service: ServiceName): string =>
    meshPrincipal(APP_NAMESPACE, CATALOGUE[service].serviceAccount);

/** Who may reach a service through the mesh: its callers (call graph), Prometheus, and the load balancer where exposed. */
export function meshValues(service: ServiceName, publicSubnetCidrs: string[]): MeshValues {
    const exposed = loadBalancerPort(service);
    return {
        authorization: [
            ...callGraph()
                .filter((e) => e.to === service)
                .map((e) => ({ principals: [servicePrincipal(e.from)], ports: [e.port] })),
            {
                principals: [meshPrincipal(MONITORING_NAMESPACE, PROMETHEUS_SERVICE_ACCOUNT)],
                ports: [portOf(service, "http")],
            },
            ...(exposed ? [{ ipBlocks: publicSubnetCidrs, ports: [exposed] }] : []),
        ],
        plaintextPorts: exposed ? [exposed] : [],
    };
}
