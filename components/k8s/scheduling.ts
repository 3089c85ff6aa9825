/**
 * Pod settings shared by the platform's add-ons: the restricted Pod Security contexts and zone
 * spread. Where pods run (the system node group's selector and tolerations) is in vocabulary/placement.ts.
 */
export { EVERY_NODE_TOLERATIONS, SYSTEM_NODE_SELECTOR, SYSTEM_TOLERATIONS } from "../../vocabulary/placement";

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
        {
            maxSkew: 1,
            topologyKey: "topology.kubernetes.io/zone",
            whenUnsatisfiable: "DoNotSchedule",
            labelSelector: { matchLabels: labels },
        },
        {
            maxSkew: 1,
            topologyKey: "kubernetes.io/hostname",
            whenUnsatisfiable: "ScheduleAnyway",
            labelSelector: { matchLabels: labels },
        },
    ];
}
