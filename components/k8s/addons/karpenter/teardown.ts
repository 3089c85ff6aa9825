/**
 * What Karpenter cleans up when its objects go (checked at v1.14.1 and the karpenter core it
 * builds with, kubernetes-sigs/karpenter 6e7eab7a0f48): every NodeClaim is owned by its NodePool
 * with blockOwnerDeletion (pkg/controllers/provisioning/scheduling/nodeclaimtemplate.go), and the
 * Kubernetes provider deletes with foreground propagation and waits, so a NodePool is gone only
 * once its NodeClaims are; each NodeClaim's karpenter.sh/termination finalizer drains its node and
 * terminates the instance. The EC2NodeClass's karpenter.k8s.aws/termination finalizer waits for
 * every NodeClaim using it, then deletes its instance profiles and launch templates
 * (aws/karpenter-provider-aws pkg/controllers/nodeclass/controller.go at v1.14.1).
 */
import type { ManagedKind } from "../../../teardown";

export const KARPENTER_MANAGES: readonly ManagedKind[] = [
    {
        apiVersion: "karpenter.sh/v1",
        kind: "NodePool",
        cleansUp:
            "its NodeClaims: each node drained, its EC2 instance terminated with its root volume and network interfaces",
    },
    {
        apiVersion: "karpenter.k8s.aws/v1",
        kind: "EC2NodeClass",
        cleansUp: "its instance profiles and launch templates, once no NodeClaim uses it",
    },
];
