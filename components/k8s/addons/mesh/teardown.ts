/**
 * The mesh's own objects: istiod serves them to the node agents. They make nothing in AWS; they go
 * while istiod runs so that no workload is left under a policy no control plane serves, and before
 * the base chart's CRDs and validation webhook.
 */
import type { ManagedKind } from "../../../teardown";

const inCluster = "nothing in AWS (in-cluster policy istiod serves)";

export const ISTIOD_MANAGES: readonly ManagedKind[] = [
    { apiVersion: "security.istio.io/v1", kind: "PeerAuthentication", cleansUp: inCluster },
    { apiVersion: "security.istio.io/v1", kind: "AuthorizationPolicy", cleansUp: inCluster },
];
