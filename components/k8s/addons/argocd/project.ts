/** The `tacos` AppProject: what the services' Applications may deploy, from where, to where. */
import { APP_NAMESPACE } from "../../../../vocabulary/platform";

/** Kinds an application in the tacos project may create: namespaced, and only what the services need. */
export const TACOS_PROJECT_KINDS = [
    { group: "apps", kind: "Deployment" },
    { group: "", kind: "Service" },
    { group: "", kind: "ServiceAccount" },
    { group: "", kind: "ConfigMap" },
    { group: "autoscaling", kind: "HorizontalPodAutoscaler" },
    { group: "policy", kind: "PodDisruptionBudget" },
    { group: "networking.k8s.io", kind: "NetworkPolicy" },
    { group: "keda.sh", kind: "ScaledObject" },
    { group: "keda.sh", kind: "TriggerAuthentication" },
    { group: "gateway.networking.k8s.io", kind: "HTTPRoute" },
    { group: "gateway.k8s.aws", kind: "TargetGroupConfiguration" },
    { group: "monitoring.coreos.com", kind: "ServiceMonitor" },
    { group: "autoscaling.k8s.io", kind: "VerticalPodAutoscaler" },
    // Canary releases (Argo Rollouts); the controller creates the AnalysisRuns and ReplicaSets itself.
    { group: "argoproj.io", kind: "Rollout" },
    { group: "argoproj.io", kind: "AnalysisTemplate" },
    // The services' mesh authorization and gateway-api's plaintext port (Istio ambient).
    { group: "security.istio.io", kind: "AuthorizationPolicy" },
    { group: "security.istio.io", kind: "PeerAuthentication" },
];

/**
 * The objects Pulumi itself creates in the application namespace (components/k8s/namespace.ts's
 * NamespaceBaseline) whose kinds the project allows, so that Argo CD would report them as orphans
 * of every Application: the default-deny and DNS NetworkPolicies and the mesh's allow-nothing
 * AuthorizationPolicy. Its other objects (the ResourceQuota, the LimitRange, the services'
 * Secrets) are of kinds the project denies, which Argo CD never reports as orphans
 * (argoproj/argo-cd v3.5.1, docs/user-guide/orphaned-resources.md, "Exceptions").
 */
export const PULUMI_MANAGED_IN_APP_NAMESPACE = [
    { group: "networking.k8s.io", kind: "NetworkPolicy", name: "default-deny" },
    { group: "networking.k8s.io", kind: "NetworkPolicy", name: "allow-dns" },
    { group: "security.istio.io", kind: "AuthorizationPolicy", name: "allow-nothing" },
];

/**
 * The project's spec: this repository's chart, into the application namespace, only the kinds
 * above; orphans reported, except the namespace's own objects (`orphanedResources.ignore`, a list
 * of group, kind and name: the AppProject CRD of argoproj/argo-cd v3.5.1).
 */
export const tacosProjectSpec = (repoUrl: string) => ({
    description: "The Traffic Tacos services: this repository's chart, into the tacos namespace only",
    sourceRepos: [repoUrl],
    destinations: [{ server: "https://kubernetes.default.svc", namespace: APP_NAMESPACE }],
    clusterResourceWhitelist: [],
    namespaceResourceWhitelist: TACOS_PROJECT_KINDS,
    orphanedResources: { warn: true, ignore: PULUMI_MANAGED_IN_APP_NAMESPACE },
});

/**
 * The `default` project allowing nothing: no source, no destination, no source namespace, every
 * namespaced kind denied and no cluster kind allowed, so an Application that names no project (or
 * names `default`) can deploy nothing, and the tacos project's limits cannot be sidestepped. Argo
 * CD's server creates `default` at start, with `*` everywhere, only when it is missing, and never
 * rewrites it (argoproj/argo-cd v3.5.1, server/server.go, initializeDefaultProject); this is the
 * restriction docs/user-guide/projects.md ("The Default Project") gives, plus the emptied
 * clusterResourceWhitelist the server writes.
 */
export const DEFAULT_PROJECT_SPEC = {
    sourceRepos: [],
    sourceNamespaces: [],
    destinations: [],
    clusterResourceWhitelist: [],
    namespaceResourceBlacklist: [{ group: "*", kind: "*" }],
};
