/**
 * Who may do what in Argo CD, and what Argo CD itself may do in the cluster: the RBAC policy
 * (argocd-rbac-cm) from the stack's OIDC groups, and the application controller's and the API
 * server's ClusterRoles narrowed from the chart's `*` to the kinds the tacos project deploys.
 */
import type { ArgocdConfig } from "../../../config";
import { TACOS_PROJECT_KINDS } from "./project";

/** A ClusterRole rule. */
export interface PolicyRule {
    apiGroups: string[];
    resources: string[];
    verbs: string[];
}

/**
 * argocd-rbac-cm's settings (argoproj/argo-cd v3.5.1, docs/operator-manual/rbac.md): each admin
 * group bound to the built-in `role:admin`, each read-only group to `role:readonly`, nobody else
 * anything (`policy.default` empty); group claims read from the token's `groups`. The local admin
 * (dev) keeps the built-in `g, admin, role:admin` of builtin-policy.csv.
 */
export function rbacConfig(oidc: ArgocdConfig["oidc"]): Record<string, string> {
    const lines = [
        ...(oidc?.groups.admin ?? []).map((group) => `g, ${group}, role:admin`),
        ...(oidc?.groups.readonly ?? []).map((group) => `g, ${group}, role:readonly`),
    ];
    return { "policy.csv": lines.join("\n"), "policy.default": "", scopes: "[groups]" };
}

/** A kind's resource name as the API server spells it (all the project's kinds are regular plurals). */
export const resourceOf = (kind: string): string => kind.toLowerCase().replace(/y$/, "ie") + "s";

/** What the controller reads of what the project's kinds own, for the resource tree and health. */
const CHILDREN = [
    { group: "apps", resource: "replicasets" },
    { group: "", resource: "pods" },
    { group: "discovery.k8s.io", resource: "endpointslices" },
    { group: "argoproj.io", resource: "analysisruns" },
];

const READ = ["get", "list", "watch"];
const WRITE = ["create", "update", "patch", "delete"];

/**
 * The application controller's ClusterRole in place of the chart's `*` on everything
 * (`controller.clusterRoleRules`, argoproj/argo-helm charts/argo-cd at argo-cd-10.1.1,
 * templates/argocd-application-controller/clusterrole.yaml): read and write the project's kinds,
 * read their children; no Secrets, RBAC, CRDs, cluster-scoped kinds or non-resource URLs. Argo CD
 * skips what it may not list only with `resource.respectRBAC` set (docs/operator-manual/
 * declarative-setup.md, "Auto respect RBAC for controller", v3.5.1). The chart binds this with a
 * ClusterRoleBinding, so writes are not confined to the tacos namespace by Kubernetes; that limit
 * is the tacos AppProject's destinations, and no Application can escape it through `default`,
 * which allows nothing (project.ts).
 */
export function controllerClusterRules(): PolicyRule[] {
    const groups = [...new Set(TACOS_PROJECT_KINDS.map((k) => k.group))].sort();
    const owned = groups.map((group) => ({
        apiGroups: [group],
        resources: TACOS_PROJECT_KINDS.filter((k) => k.group === group)
            .map((k) => resourceOf(k.kind))
            .sort(),
        verbs: [...READ, ...WRITE],
    }));
    const childGroups = [...new Set(CHILDREN.map((c) => c.group))].sort();
    const children = childGroups.map((group) => ({
        apiGroups: [group],
        resources: CHILDREN.filter((c) => c.group === group).map((c) => c.resource),
        verbs: READ,
    }));
    return [...owned, ...children];
}

/**
 * The API server's ClusterRole in place of the chart's `get`, `patch` and `delete` on everything
 * (`server.clusterRoleRules`, argoproj/argo-helm charts/argo-cd at argo-cd-10.1.1,
 * templates/argocd-server/clusterrole.yaml, whose default this keeps otherwise): a live object's
 * manifest, patch and deletion in the UI for the project's kinds and their children, events,
 * pod logs, and the Applications (its Role covers argocd's own Secrets and ConfigMaps). No
 * Secret of any namespace, no exec, no Jobs or Workflows started from the UI.
 */
export function serverClusterRules(): PolicyRule[] {
    const live = controllerClusterRules().map((rule) => ({
        ...rule,
        verbs: ["get", "patch", "delete"],
    }));
    return [
        ...live,
        { apiGroups: [""], resources: ["events"], verbs: ["list", "create"] },
        { apiGroups: [""], resources: ["pods/log"], verbs: ["get"] },
        {
            apiGroups: ["argoproj.io"],
            resources: ["applications", "applicationsets"],
            verbs: ["get", "list", "update", "watch"],
        },
    ];
}
