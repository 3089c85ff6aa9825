/**
 * The services' NetworkPolicy allows, from the call graph and the stack's subnets.
 */
import { HBONE_PORT, PROBE_SNAT_CIDR } from "../../vocabulary/mesh";
import { MONITORING_NAMESPACE } from "../../vocabulary/platform";
import type { ServiceValues } from "../../vocabulary/chart-values";
import { POD_IDENTITY_AGENT_CIDR } from "../k8s/network-policies";
import { callGraph, CATALOGUE, ServiceName } from "./catalogue";
import type { StackConfig } from "../config";
import { otlpPort, ServiceWiring, tracingProtocol } from "./env";
import { loadBalancerPort, probePorts } from "./mesh";

/** One allow: a service of the namespace, a whole namespace, or address blocks, on some ports. */
type Peer = ServiceValues["networkPolicy"]["ingress"][number];

/**
 * NetworkPolicy allows from the call graph. Calls between the services (and Prometheus' scrapes)
 * are mesh traffic: ztunnel tunnels them to the callee pod's HBONE port, whatever port they call
 * (the AuthorizationPolicy judges that port), so ingress from each caller and from Prometheus and
 * egress to each callee are on HBONE. Kubelet's probes arrive from the mesh CNI's SNAT address on
 * the probed ports. Outside the mesh, unchanged: the load balancer on the exposed port, Redis, AWS
 * APIs and the Pod Identity agent, the OTLP collector where the stack runs it.
 */
export function networkAllows(
    service: ServiceName,
    w: ServiceWiring,
    config: Pick<StackConfig, "addons">,
): ServiceValues["networkPolicy"] {
    const entry = CATALOGUE[service];
    const edges = callGraph();
    const ingress: Peer[] = [...new Set(edges.filter((e) => e.to === service).map((e) => e.from))].map(
        (caller) => ({ service: caller, ports: [HBONE_PORT] }),
    );
    const exposed = loadBalancerPort(service);
    if (exposed) {
        ingress.push({ cidrs: w.publicSubnetCidrs, ports: [exposed] });
    }
    ingress.push(
        { namespace: MONITORING_NAMESPACE, ports: [HBONE_PORT] },
        { cidrs: [PROBE_SNAT_CIDR], ports: probePorts(service) },
    );

    const egress: Peer[] = [...new Set(edges.filter((e) => e.from === service).map((e) => e.to))].map(
        (callee) => ({ service: callee, ports: [HBONE_PORT] }),
    );
    if (entry.external.includes("redis")) {
        egress.push({ cidrs: w.privateSubnetCidrs, ports: [w.redisPort] });
    }
    if (entry.external.includes("aws")) {
        egress.push(
            { cidrs: ["0.0.0.0/0"], ports: [443] },
            { cidrs: [POD_IDENTITY_AGENT_CIDR], ports: [80] },
        );
    }
    const tracing = tracingProtocol(service, config);
    if (tracing) {
        egress.push({ namespace: MONITORING_NAMESPACE, ports: [otlpPort(tracing)] });
    }
    return { ingress, egress };
}
