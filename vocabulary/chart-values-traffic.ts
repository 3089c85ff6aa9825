/**
 * The tacos-service chart's values for the traffic a service takes and sends: its NetworkPolicy
 * allows, its ambient-mesh AuthorizationPolicy rules and its HTTPRoute from the Gateway.
 */
import { z } from "zod";
import { cidr, dnsLabel, httpPath, port, portList } from "./chart-values-fields";

const peerPorts = { ports: portList, protocol: z.enum(["TCP", "UDP"]).optional() };

/** One NetworkPolicy allow: a service of the namespace, a whole namespace, or address blocks, on some ports. */
export const networkPeerSchema = z.union([
    z.strictObject({ service: dnsLabel, ...peerPorts }),
    z.strictObject({ namespace: dnsLabel, ...peerPorts }),
    z.strictObject({ cidrs: z.array(cidr).min(1), ...peerPorts }),
]);

export const networkPolicySchema = z
    .strictObject({
        ingress: z.array(networkPeerSchema).describe("Ingress allows."),
        egress: z.array(networkPeerSchema).describe("Egress allows. DNS to kube-dns is always allowed."),
    })
    .describe("NetworkPolicy allows: [{service, ports}] | [{namespace, ports}] | [{cidrs, ports}].");

/** A mesh identity, `<trust domain>/ns/<namespace>/sa/<service account>`. */
const principal = z
    .string()
    .regex(/^[^/]+\/ns\/[a-z0-9]([-a-z0-9]*[a-z0-9])?\/sa\/[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/);

/** One source admitted on some ports: a mesh identity (mutual TLS) or addresses outside the mesh (plaintext). */
export const authorizationRuleSchema = z.union([
    z.strictObject({ principals: z.array(principal).min(1), ports: portList }),
    z.strictObject({ ipBlocks: z.array(cidr).min(1), ports: portList }),
]);

export const meshSchema = z
    .strictObject({
        authorization: z
            .array(authorizationRuleSchema)
            .describe("AuthorizationPolicy rules, one per source: everything the pods admit."),
        plaintextPorts: z
            .array(port)
            .describe(
                "Ports that also take plaintext from outside the mesh (a port-level PERMISSIVE PeerAuthentication); the rest stay STRICT.",
            ),
    })
    .describe("Istio ambient mesh: the pods' authorization and plaintext exceptions.");

export const httpRouteSchema = z
    .strictObject({
        enabled: z.boolean(),
        hostnames: z.array(z.string().regex(/^[a-z0-9.-]+$/)).optional(),
        parentRef: z
            .strictObject({
                name: z.string().optional(),
                namespace: z.string().optional(),
                sectionName: z.string().optional(),
            })
            .optional(),
        pathPrefixes: z.array(httpPath).optional().describe("Path prefixes routed to the service."),
        port: port.optional().describe("Service port the route sends traffic to."),
    })
    .describe("An HTTPRoute from the Gateway's listener to the service.");
