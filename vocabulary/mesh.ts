/**
 * Istio ambient mode, as the program configures it and the pack checks it (Istio 1.30.3). Facts
 * read in istio/istio at 1.30.3: the namespace and pod label the CNI agent's enablement selectors
 * match (manifests/charts/istio-cni values.yaml `ambient.enablementSelectors`), the HBONE tunnel
 * port ztunnel listens on inside every ambient pod, and the address the CNI agent gives kubelet's
 * probes (cni/pkg/iptables: the node's probes to an ambient pod are SNATed to 169.254.7.127, and
 * ztunnel lets that address through uncaptured).
 */

/** The mesh's root namespace: istiod's own, where a PeerAuthentication without selector applies mesh-wide. */
export const MESH_ROOT_NAMESPACE = "istio-system";

/** The label that puts a namespace's (or a pod's) workloads into the ambient mesh. */
export const DATAPLANE_MODE_LABEL = "istio.io/dataplane-mode";
export const AMBIENT = "ambient";

/** ztunnel's HBONE port: every mesh connection between two ambient pods is mTLS to the callee pod's 15008. */
export const HBONE_PORT = 15008;

/** The source address of kubelet's probes of an ambient pod, as the pod sees them. */
export const PROBE_SNAT_CIDR = "169.254.7.127/32";

/** The mesh's trust domain (meshConfig.trustDomain, Istio's default): SPIFFE identities are `<domain>/ns/<ns>/sa/<sa>`. */
export const TRUST_DOMAIN = "cluster.local";

/** The SPIFFE principal of a service account, as an AuthorizationPolicy's `source.principals` names it. */
export const meshPrincipal = (namespace: string, serviceAccount: string): string =>
    `${TRUST_DOMAIN}/ns/${namespace}/sa/${serviceAccount}`;

/** PeerAuthentication modes that accept plaintext. */
export const PLAINTEXT_MODES = ["PERMISSIVE", "DISABLE"] as const;
