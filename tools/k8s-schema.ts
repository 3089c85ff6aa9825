/**
 * Validation of Kubernetes objects against their API schemas: core kinds with
 * `kubernetes-models`, custom resources with its CRD packages (Gateway API, Argo CD, Argo
 * Rollouts, KEDA, Prometheus operator, Karpenter, the VPA, Istio). The AWS Load Balancer
 * Controller's gateway.k8s.aws kinds have no models package; they are checked against the fields
 * of their CRDs (v1, controller v3.5.0) we use (aws-gateway-schema.ts). Argo Rollouts' kinds are
 * also checked for unknown fields (argo-rollouts-schema.ts).
 */
import { ARGO_ROLLOUTS_FIELDS } from "./argo-rollouts-schema";
import { AWS_GATEWAY_KINDS } from "./aws-gateway-schema";

const PACKAGES: Record<string, string> = {
    "": "kubernetes-models",
    "gateway.networking.k8s.io": "@kubernetes-models/gateway-api/gateway.networking.k8s.io",
    "argoproj.io": "@kubernetes-models/argo-cd/argoproj.io",
    // Argo Rollouts shares the group with Argo CD; its kinds have their own package.
    "argoproj.io/rollouts": "@kubernetes-models/argo-rollouts/argoproj.io",
    "keda.sh": "@kubernetes-models/keda/keda.sh",
    "monitoring.coreos.com": "@kubernetes-models/prometheus-operator/monitoring.coreos.com",
    "karpenter.sh": "@kubernetes-models/karpenter/karpenter.sh",
    "karpenter.k8s.aws": "@kubernetes-models/karpenter/karpenter.k8s.aws",
    "autoscaling.k8s.io": "@kubernetes-models/autoscaler/autoscaling.k8s.io",
    "security.istio.io": "@kubernetes-models/istio/security.istio.io",
};

/** Core groups served by `kubernetes-models` under their own folder. */
const CORE_GROUPS = [
    "apps",
    "autoscaling",
    "batch",
    "policy",
    "networking.k8s.io",
    "rbac.authorization.k8s.io",
    "storage.k8s.io",
    "scheduling.k8s.io",
    "admissionregistration.k8s.io",
    "apiextensions.k8s.io",
    "apiregistration.k8s.io",
];

/** The model packages are ES modules only: load them with a real dynamic import. */
const importModule = new Function("specifier", "return import(specifier)") as (
    specifier: string,
) => Promise<any>;

/** Argo Rollouts' kinds (the rest of argoproj.io is Argo CD's). */
const ARGO_ROLLOUTS_KINDS = [
    "Rollout",
    "AnalysisTemplate",
    "ClusterAnalysisTemplate",
    "AnalysisRun",
    "Experiment",
];

async function modelModule(group: string, version: string, kind: string): Promise<any> {
    if (group === "" || CORE_GROUPS.includes(group)) {
        return importModule(
            group === "" ? `kubernetes-models/${version}` : `kubernetes-models/${group}/${version}`,
        );
    }
    const pkg =
        PACKAGES[
            group === "argoproj.io" && ARGO_ROLLOUTS_KINDS.includes(kind) ? "argoproj.io/rollouts" : group
        ];
    if (!pkg) {
        throw new Error(`no schema known for API group ${group}`);
    }
    return importModule(`${pkg}/${version}`);
}

/**
 * @kubernetes-models/prometheus-operator 6.0.0 models `spec.storage.volumeClaimTemplate` of a
 * Prometheus or Alertmanager as a top-level object that must say `apiVersion:
 * monitoring.coreos.com/v1, kind: EmbeddedPersistentVolumeClaim`; the operator's CRD (v0.93.1)
 * requires neither and the operator ignores both. The copy validated gets them, so the rest of the
 * template is still checked; the object applied does not.
 */
function withModelQuirks<T extends { apiVersion: string; kind: string }>(object: T): T {
    const storage = (object as any).spec?.storage;
    if (
        object.apiVersion !== "monitoring.coreos.com/v1" ||
        !["Prometheus", "Alertmanager"].includes(object.kind) ||
        !storage?.volumeClaimTemplate
    )
        return object;
    const volumeClaimTemplate = {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "EmbeddedPersistentVolumeClaim",
        ...storage.volumeClaimTemplate,
    };
    return { ...object, spec: { ...(object as any).spec, storage: { ...storage, volumeClaimTemplate } } };
}

/** Throws, naming the object and the fault, unless `object` is valid for its apiVersion and kind. */
export async function validateObject(object: {
    apiVersion: string;
    kind: string;
    metadata?: { name?: string };
}): Promise<void> {
    const where = `${object.kind} ${object.metadata?.name ?? "(unnamed)"}`;
    if (object.apiVersion.startsWith("gateway.k8s.aws/")) {
        const schema = AWS_GATEWAY_KINDS[object.kind];
        if (!schema) {
            throw new Error(`${where}: no schema known for API group gateway.k8s.aws kind ${object.kind}`);
        }
        const result = schema.safeParse(object);
        if (!result.success) {
            throw new Error(`${where}: ${result.error.message}`);
        }
        return;
    }
    const [group, version] = object.apiVersion.includes("/")
        ? object.apiVersion.split("/")
        : ["", object.apiVersion];
    const Model = (await modelModule(group, version, object.kind))[object.kind];
    if (typeof Model !== "function") {
        throw new Error(`${where}: no model for ${object.apiVersion} ${object.kind}`);
    }
    try {
        new Model(withModelQuirks(object)).validate();
    } catch (e) {
        throw new Error(`${where}: ${(e as Error).message}`);
    }
    const fields = group === "argoproj.io" ? ARGO_ROLLOUTS_FIELDS[object.kind] : undefined;
    const checked = fields?.safeParse(object);
    if (checked && !checked.success) {
        throw new Error(`${where}: ${checked.error.message}`);
    }
}
