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

/** The project's spec: this repository's chart, into the application namespace, only the kinds above. */
export const tacosProjectSpec = (repoUrl: string) => ({
    description: "The Traffic Tacos services: this repository's chart, into the tacos namespace only",
    sourceRepos: [repoUrl],
    destinations: [{ server: "https://kubernetes.default.svc", namespace: APP_NAMESPACE }],
    clusterResourceWhitelist: [],
    namespaceResourceWhitelist: TACOS_PROJECT_KINDS,
    orphanedResources: { warn: true },
});
