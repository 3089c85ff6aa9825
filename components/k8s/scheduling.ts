/**
 * Placement and security settings shared by the platform's add-ons (Argo CD, KEDA, the load
 * balancer controller): they run on the tainted `system` node group under the restricted
 * Pod Security profile.
 */

/** Label the cluster component puts on every node of a group (`tacos.io/node-group: <name>`). */
export const NODE_GROUP_LABEL = "tacos.io/node-group";

/** Schedules a pod onto the `system` node group. */
export const SYSTEM_NODE_SELECTOR = { [NODE_GROUP_LABEL]: "system" };

/** Tolerates the `system` node group's taint. */
export const SYSTEM_TOLERATIONS = [{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }];

/** A container security context that satisfies the restricted Pod Security Standard. */
export const RESTRICTED_CONTAINER_SECURITY_CONTEXT = {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
};

/** A pod security context that satisfies the restricted Pod Security Standard. */
export const RESTRICTED_POD_SECURITY_CONTEXT = {
    runAsNonRoot: true,
    seccompProfile: { type: "RuntimeDefault" },
};

/** Spreads replicas of `labels` across zones (hard) and nodes (soft). */
export function spreadAcrossZones(labels: Record<string, string>) {
    return [
        { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: labels } },
        { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: labels } },
    ];
}
