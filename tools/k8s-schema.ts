/**
 * Validation of Kubernetes objects against their API schemas: core kinds with
 * `kubernetes-models`, custom resources with its CRD packages (Gateway API, Argo CD, Argo
 * Rollouts, KEDA, Prometheus operator, Karpenter, the VPA, Istio). The AWS Load Balancer Controller's gateway.k8s.aws kinds have no models
 * package; they are checked against the fields of their CRDs (v1, controller v3.5.0) we use.
 */
import { z } from "zod";

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

/** Metadata of a namespaced object (a chart's objects get their namespace from the release). */
const namespaced = z
    .object({ name: z.string().min(1), namespace: z.string().min(1).optional() })
    .passthrough();

/**
 * The AWS Load Balancer Controller's gateway.k8s.aws/v1 kinds, as far as the platform writes them,
 * transcribed from the controller's CRDs at v3.5.0 (config/crd/gateway/gateway-crds.yaml);
 * unknown fields are refused, as the API server's structural schema would prune them.
 */
const AWS_GATEWAY_KINDS: Record<string, z.ZodType> = {
    LoadBalancerConfiguration: z.strictObject({
        apiVersion: z.literal("gateway.k8s.aws/v1"),
        kind: z.literal("LoadBalancerConfiguration"),
        metadata: namespaced,
        spec: z.strictObject({
            scheme: z.enum(["internal", "internet-facing"]),
            ipAddressType: z.enum(["ipv4", "dualstack", "dualstack-without-public-ipv4"]).optional(),
            listenerConfigurations: z
                .array(
                    z.strictObject({
                        protocolPort: z
                            .string()
                            .regex(
                                /^(HTTP|HTTPS|TLS|TCP|UDP|TCP_UDP):(6553[0-5]|655[0-2]\d|65[0-4]\d{2}|6[0-4]\d{3}|[1-5]\d{4}|[1-9]\d{0,3})$/,
                            ),
                        defaultCertificate: z.string().optional(),
                        certificates: z.array(z.string()).optional(),
                        sslPolicy: z.string().optional(),
                    }),
                )
                .optional(),
            loadBalancerAttributes: z
                .array(z.strictObject({ key: z.string(), value: z.string() }))
                .optional(),
            tags: z.record(z.string(), z.string()).optional(),
            wafV2: z.strictObject({ webACL: z.string() }).optional(),
        }),
    }),
    TargetGroupConfiguration: z.strictObject({
        apiVersion: z.literal("gateway.k8s.aws/v1"),
        kind: z.literal("TargetGroupConfiguration"),
        metadata: namespaced,
        spec: z.strictObject({
            targetReference: z
                .strictObject({
                    group: z.string().optional(),
                    kind: z.string().optional(),
                    name: z.string().min(1),
                })
                .optional(),
            defaultConfiguration: z
                .strictObject({
                    targetType: z.enum(["instance", "ip"]).optional(),
                    protocol: z.enum(["HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP"]).optional(),
                    protocolVersion: z.enum(["HTTP1", "HTTP2", "GRPC"]).optional(),
                    healthCheckConfig: z
                        .strictObject({
                            healthCheckPath: z.string().optional(),
                            healthCheckPort: z.string().optional(),
                            healthCheckProtocol: z.enum(["HTTP", "HTTPS", "TCP"]).optional(),
                            healthCheckInterval: z.number().int().optional(),
                            healthCheckTimeout: z.number().int().optional(),
                            healthyThresholdCount: z.number().int().optional(),
                            unhealthyThresholdCount: z.number().int().optional(),
                            matcher: z
                                .strictObject({
                                    httpCode: z.string().optional(),
                                    grpcCode: z.string().optional(),
                                })
                                .optional(),
                        })
                        .optional(),
                    tags: z.record(z.string(), z.string()).optional(),
                })
                .optional(),
        }),
    }),
};

/**
 * The fields of Argo Rollouts' kinds the tacos chart writes, transcribed from the CRDs of chart
 * argo-rollouts 2.41.0 (Argo Rollouts v1.9.0: templates/crds/rollout-crd.yaml and
 * analysis-template-crd.yaml). @kubernetes-models/argo-rollouts checks types but lets unknown
 * fields through, which the API server would prune (a misspelt `stableService` would route nothing);
 * these refuse them. The pod template is left to the model's PodTemplateSpec.
 */
const intOrString = z.union([z.number().int(), z.string()]);
const ARGO_ROLLOUTS_FIELDS: Record<string, z.ZodType> = {
    Rollout: z.looseObject({
        spec: z.looseObject({
            strategy: z.strictObject({
                canary: z.strictObject({
                    maxSurge: intOrString.optional(),
                    maxUnavailable: intOrString.optional(),
                    stableService: z.string().optional(),
                    canaryService: z.string().optional(),
                    trafficRouting: z.strictObject({ plugins: z.record(z.string(), z.unknown()) }).optional(),
                    steps: z
                        .array(
                            z.union([
                                z.strictObject({ setWeight: z.number().int() }),
                                z.strictObject({
                                    pause: z.strictObject({ duration: intOrString.optional() }),
                                }),
                                z.strictObject({
                                    analysis: z.strictObject({
                                        templates: z.array(
                                            z.strictObject({
                                                templateName: z.string(),
                                                clusterScope: z.boolean().optional(),
                                            }),
                                        ),
                                        args: z
                                            .array(
                                                z.union([
                                                    z.strictObject({ name: z.string(), value: z.string() }),
                                                    z.strictObject({
                                                        name: z.string(),
                                                        valueFrom: z.strictObject({
                                                            podTemplateHashValue: z.enum([
                                                                "Stable",
                                                                "Latest",
                                                            ]),
                                                        }),
                                                    }),
                                                ]),
                                            )
                                            .optional(),
                                    }),
                                }),
                            ]),
                        )
                        .optional(),
                }),
            }),
        }),
    }),
    AnalysisTemplate: z.looseObject({
        spec: z.strictObject({
            args: z.array(z.strictObject({ name: z.string(), value: z.string().optional() })).optional(),
            metrics: z.array(
                z.strictObject({
                    name: z.string(),
                    interval: z.string().optional(),
                    initialDelay: z.string().optional(),
                    count: intOrString.optional(),
                    failureLimit: intOrString.optional(),
                    successCondition: z.string().optional(),
                    provider: z.strictObject({
                        prometheus: z
                            .strictObject({
                                address: z.string().optional(),
                                query: z.string().optional(),
                                timeout: z.number().int().optional(),
                            })
                            .optional(),
                        cloudWatch: z
                            .strictObject({
                                interval: z.string().optional(),
                                metricDataQueries: z.array(
                                    z.strictObject({
                                        id: z.string().optional(),
                                        expression: z.string().optional(),
                                        label: z.string().optional(),
                                        period: intOrString.optional(),
                                        returnData: z.boolean().optional(),
                                        metricStat: z
                                            .strictObject({
                                                metric: z
                                                    .strictObject({
                                                        namespace: z.string().optional(),
                                                        metricName: z.string().optional(),
                                                        dimensions: z
                                                            .array(
                                                                z.strictObject({
                                                                    name: z.string(),
                                                                    value: z.string(),
                                                                }),
                                                            )
                                                            .optional(),
                                                    })
                                                    .optional(),
                                                period: intOrString.optional(),
                                                stat: z.string().optional(),
                                                unit: z.string().optional(),
                                            })
                                            .optional(),
                                    }),
                                ),
                            })
                            .optional(),
                    }),
                }),
            ),
        }),
    }),
};

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

/** Throws, naming the object and the fault, unless `object` is valid for its apiVersion and kind. */
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
