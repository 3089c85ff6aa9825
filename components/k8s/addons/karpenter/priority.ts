/**
 * Karpenter's scheduling priority: the chart's own `system-cluster-critical` (charts/karpenter
 * values.yaml `priorityClassName` at v1.14.1), above every class of the platform's. Karpenter is
 * what adds capacity: on a full system node a lower class lets the scheduler preempt it for
 * another controller, and then nothing launches the nodes the pending pods wait for.
 *
 * Kubernetes no longer confines the critical classes to kube-system by itself (its Priority
 * admission plugin did until 1.17); a cluster confines a class only when its API server's
 * ResourceQuota admission lists it under `limitedResources` ("Limit Priority Class consumption by
 * default" in the Kubernetes docs, concepts/policy/resource-quotas): then a pod of the class is
 * refused in any namespace without a quota whose scopeSelector matches it. EKS does not document
 * such a configuration (its platform versions page lists ResourceQuota among the enabled admission
 * plugins, with no configuration), so the quota below is what keeps the controller admitted on a
 * control plane that does limit it, at no cost where none does.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** Kubernetes' built-in class the Karpenter chart defaults to. */
export const KARPENTER_PRIORITY_CLASS = "system-cluster-critical";

/** Extra controller pods while the Deployment rolls: its default 25 % surge of at most two replicas. */
const ROLLING_SURGE_PODS = 1;

/**
 * A quota in Karpenter's namespace scoped to its priority class, admitting the controller's
 * replicas and their rolling surge, and no more pods of that class.
 */
export function criticalPodsQuota(
    name: string,
    args: { namespace: pulumi.Input<string>; labels: Record<string, string>; replicas: number },
    opts: pulumi.CustomResourceOptions,
): k8s.core.v1.ResourceQuota {
    return new k8s.core.v1.ResourceQuota(
        name,
        {
            metadata: { name: KARPENTER_PRIORITY_CLASS, namespace: args.namespace, labels: args.labels },
            spec: {
                hard: { pods: String(args.replicas + ROLLING_SURGE_PODS) },
                scopeSelector: {
                    matchExpressions: [
                        { scopeName: "PriorityClass", operator: "In", values: [KARPENTER_PRIORITY_CLASS] },
                    ],
                },
            },
        },
        opts,
    );
}
