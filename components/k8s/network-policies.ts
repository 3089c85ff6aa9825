/**
 * NetworkPolicy building blocks. Every namespace starts from default deny (ingress and egress);
 * these helpers write the explicit allows, so that each one states who may talk to whom.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

type Peer = k8s.types.input.networking.v1.NetworkPolicyPeer;
type Port = k8s.types.input.networking.v1.NetworkPolicyPort;

/** The EKS Pod Identity agent's link-local endpoint, from which pods get their AWS credentials. */
export const POD_IDENTITY_AGENT_CIDR = "169.254.170.23/32";

/** The API server's ClusterIP, the first address of the cluster's Service CIDR (vocabulary/placement.ts). */
export const API_SERVER_SERVICE_IP = "172.20.0.1/32";

export const tcp = (...ports: number[]): Port[] => ports.map((port) => ({ protocol: "TCP", port }));
export const cidr = (block: string): Peer => ({ ipBlock: { cidr: block } });
export const namespacePeer = (name: string, podLabels?: Record<string, string>): Peer => ({
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": name } },
    ...(podLabels ? { podSelector: { matchLabels: podLabels } } : {}),
});

/** One allow rule set for the pods matching `podSelector` (all pods when empty). */
export interface AllowRule {
    /** Policy name suffix, e.g. `dns`, `api-server`. */
    name: string;
    /** Pods the rule applies to; empty selects every pod of the namespace. */
    podSelector?: Record<string, string>;
    ingress?: { from: Peer[]; ports?: Port[] }[];
    egress?: { to: Peer[]; ports?: Port[] }[];
}

/** Egress to cluster DNS (kube-dns in kube-system) on 53/UDP and 53/TCP. */
export const allowDns = (): AllowRule => ({
    name: "dns",
    egress: [
        {
            to: [namespacePeer("kube-system", { "k8s-app": "kube-dns" })],
            ports: [
                { protocol: "UDP", port: 53 },
                { protocol: "TCP", port: 53 },
            ],
        },
    ],
});

/** Egress to the Kubernetes API server: its ClusterIP and the control-plane ENIs in the VPC. */
export const allowApiServer = (vpcCidr: string, podSelector?: Record<string, string>): AllowRule => ({
    name: "api-server",
    podSelector,
    egress: [{ to: [cidr(API_SERVER_SERVICE_IP), cidr(vpcCidr)], ports: tcp(443) }],
});

/** Ingress from the control plane (in the VPC) to webhook or aggregated API ports. */
export const allowFromControlPlane = (
    vpcCidr: string,
    ports: number[],
    podSelector?: Record<string, string>,
): AllowRule => ({
    name: "from-control-plane",
    podSelector,
    ingress: [{ from: [cidr(vpcCidr)], ports: tcp(...ports) }],
});

/** Egress to AWS APIs over HTTPS (public endpoints and VPC endpoints) and to the Pod Identity agent. */
export const allowAwsApis = (podSelector?: Record<string, string>): AllowRule => ({
    name: "aws-apis",
    podSelector,
    egress: [
        { to: [cidr("0.0.0.0/0")], ports: tcp(443) },
        { to: [cidr(POD_IDENTITY_AGENT_CIDR)], ports: tcp(80) },
    ],
});

/** Ingress from the internet-facing load balancer (in the public subnets) to backend pods. */
export const allowFromLoadBalancer = (
    publicSubnetCidrs: string[],
    ports: number[],
    podSelector: Record<string, string>,
): AllowRule => ({
    name: "from-load-balancer",
    podSelector,
    ingress: [{ from: publicSubnetCidrs.map(cidr), ports: tcp(...ports) }],
});

/** Ingress to every pod of the namespace from every pod of another namespace, on `ports`. */
export const allowFromNamespace = (name: string, namespace: string, ports: number[]): AllowRule => ({
    name,
    ingress: [{ from: [namespacePeer(namespace)], ports: tcp(...ports) }],
});

/** Egress to the pods of other namespaces on their ports. */
export const allowToNamespaces = (
    name: string,
    targets: { namespace: string; ports: number[] }[],
    podSelector?: Record<string, string>,
): AllowRule => ({
    name,
    podSelector,
    egress: targets.map((t) => ({ to: [namespacePeer(t.namespace)], ports: tcp(...t.ports) })),
});

/** Traffic between the pods of the namespace itself. */
export const allowWithinNamespace = (): AllowRule => ({
    name: "within-namespace",
    ingress: [{ from: [{ podSelector: {} }] }],
    egress: [{ to: [{ podSelector: {} }] }],
});

/** The NetworkPolicies of a component's allow rules in `namespace`, one each, named `<prefix>-<rule>`. */
export function allowPolicies(
    prefix: string,
    namespace: pulumi.Input<string>,
    rules: AllowRule[],
    labels: Record<string, string>,
    opts: pulumi.CustomResourceOptions,
): k8s.networking.v1.NetworkPolicy[] {
    return rules.map((rule) => allowPolicy(`${prefix}-${rule.name}`, namespace, rule, labels, opts));
}

/** The NetworkPolicy of an allow rule in `namespace`. */
export function allowPolicy(
    resourceName: string,
    namespace: pulumi.Input<string>,
    rule: AllowRule,
    labels: Record<string, string>,
    opts: pulumi.CustomResourceOptions,
): k8s.networking.v1.NetworkPolicy {
    const policyTypes = [...(rule.ingress ? ["Ingress"] : []), ...(rule.egress ? ["Egress"] : [])];
    return new k8s.networking.v1.NetworkPolicy(
        resourceName,
        {
            metadata: { name: `allow-${rule.name}`, namespace, labels },
            spec: {
                podSelector: rule.podSelector ? { matchLabels: rule.podSelector } : {},
                policyTypes,
                ingress: rule.ingress,
                egress: rule.egress,
            },
        },
        opts,
    );
}
