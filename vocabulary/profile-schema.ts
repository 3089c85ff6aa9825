/**
 * The stack's SecurityPolicy, CostOptimization and PerformanceProfile: the three sections of the
 * stack config schema (components/config) that the policy pack and the tools also read, from the
 * stack's `tacos:index:PlatformProfile` component. Their types are inferred from these schemas, so
 * the writer (the config) and the readers (vocabulary/stack.ts) cannot drift apart.
 */
import { z } from "zod";
import { MISSION_P95_LATENCY_MS, perService, ServiceName } from "./platform";
import { int, name } from "./schema-fields";

/** The seed's SecurityPolicy "CRD", as a typed config section. */
export const securityPolicySchema = z
    .strictObject({
        podSecurityLevel: z
            .enum(["baseline", "restricted"])
            .default("restricted")
            .describe("Pod Security Admission level enforced on application namespaces."),
        defaultDenyNetworkPolicies: z
            .boolean()
            .default(true)
            .describe("Whether every namespace gets a default-deny NetworkPolicy."),
        allowedNamespaces: z
            .array(name)
            .optional()
            .describe(
                "Namespaces the program may create objects in; every enabled add-on's namespace and the application namespace must be listed. Unset: exactly those, as the add-on registry declares them.",
            ),
    })
    .prefault({});

/** The seed's CostOptimization "CRD", as a typed config section. */
export const costOptimizationSchema = z
    .strictObject({
        requireGraviton: z
            .boolean()
            .default(true)
            .describe("Node groups and NodePools must be arm64 (Graviton)."),
        spotForApps: z
            .boolean()
            .default(true)
            .describe("Application capacity (a NodePool or an application node group) includes spot."),
        quotaHeadroomPercent: int(0, 200)
            .default(20)
            .describe("Headroom added to the tacos ResourceQuota over max-scale requests."),
    })
    .prefault({});

/** Scaling of one service and the capacity assumption a load test should correct. */
function serviceScaling(defaults: { min: number; max: number; rps: number; share: number; startup: number }) {
    return z
        .strictObject({
            minReplicas: int(0, 1000)
                .default(defaults.min)
                .describe("Fewest replicas (0 only for queue-driven services)."),
            maxReplicas: int(1, 1000).default(defaults.max).describe("Most replicas the autoscaler may run."),
            rpsPerPod: int(1, 100_000)
                .default(defaults.rps)
                .describe(
                    "Requests (for the worker: messages) per second one pod carries within the latency objective.",
                ),
            shareOfTarget: z
                .number()
                .min(0)
                .max(1)
                .default(defaults.share)
                .describe("Fraction of the target RPS that reaches this service."),
            podStartupSeconds: int(1, 600)
                .default(defaults.startup)
                .describe(
                    "Assumption: seconds from a pod's scheduling on a ready node until it is Ready (image pull, start, readiness).",
                ),
            requests: z
                .strictObject({
                    cpu: z
                        .string()
                        .regex(/^([1-9]\d*m|\d+(\.\d+)?)$/, "must be a CPU quantity such as 250m or 1")
                        .describe("CPU request."),
                    memory: z
                        .string()
                        .regex(/^[1-9]\d*(Mi|Gi)$/, "must be a memory quantity in Mi or Gi such as 384Mi")
                        .describe("Memory request."),
                })
                .optional()
                .describe(
                    "The container's requests, replacing the catalogue's (npm run rightsize prints them from the VPA's recommendation); must not exceed its limits.",
                ),
        })
        .refine((s) => s.maxReplicas >= s.minReplicas, {
            path: ["maxReplicas"],
            message: "must be >= minReplicas",
        })
        .prefault({});
}

/** Each service's default scaling and capacity assumption (replica ranges from the old deployment). */
/** Start-up defaults: a Go binary is Ready in seconds; the Spring Boot JVM of reservation-api takes tens of seconds. */
const SCALING_DEFAULTS: Record<
    ServiceName,
    { min: number; max: number; rps: number; share: number; startup: number; about: string }
> = {
    "gateway-api": {
        min: 5,
        max: 100,
        rps: 400,
        share: 1,
        startup: 15,
        about: "gateway-api scaling (old deployment: 5-100).",
    },
    "reservation-api": {
        min: 5,
        max: 50,
        rps: 500,
        share: 0.5,
        startup: 45,
        about: "reservation-api scaling (old deployment: 5-50).",
    },
    "inventory-api": {
        min: 5,
        max: 40,
        rps: 500,
        share: 0.5,
        startup: 15,
        about: "inventory-api scaling (old deployment: 5-30).",
    },
    "payment-sim-api": {
        min: 2,
        max: 30,
        rps: 500,
        share: 0.2,
        startup: 15,
        about: "payment-sim-api scaling (old deployment: 2-30).",
    },
    "reservation-worker": {
        min: 0,
        max: 20,
        rps: 200,
        share: 0.1,
        startup: 15,
        about: "reservation-worker scaling on queue depth (0-20); rpsPerPod is messages per second per pod.",
    },
};

/** The HPAs' scale-up behaviour (Percent and Pods policies over one period, the larger wins). */
const scaleUpSchema = z
    .strictObject({
        periodSeconds: int(15, 1800)
            .default(15)
            .describe("Period of the scale-up policies (the HPA syncs every 15 s, so no shorter)."),
        percent: int(1, 1000)
            .default(100)
            .describe("Most the replicas may grow by in one period, in percent."),
        pods: int(1, 1000).default(4).describe("Most pods that may be added in one period."),
        stabilizationWindowSeconds: int(0, 3600).default(0).describe("Scale-up stabilization window."),
    })
    .prefault({});

/** The scale-up timeline's objective and assumptions (for a load test to correct). */
const timelineSchema = z
    .strictObject({
        objectiveSeconds: int(30, 3600)
            .default(180)
            .describe(
                "Most seconds from minimum scale until the target RPS with headroom is served; the policy pack refuses a longer timeline.",
            ),
        metricsDelaySeconds: int(0, 600)
            .default(45)
            .describe(
                "Assumption: seconds until the HPAs see a load change (metrics-server's 15 s resolution, its scrape, the HPA's 15 s sync).",
            ),
        nodeLaunchSeconds: int(0, 900)
            .default(60)
            .describe(
                "Assumption: seconds from a pending pod to a Ready node (Karpenter's batch window, EC2 launch, AL2023 boot and kubelet join).",
            ),
        nodeLostDetectionSeconds: int(0, 900)
            .default(50)
            .describe(
                "Assumption: seconds until the control plane marks a node it lost (a zone's outage) not ready and taints it: kube-controller-manager's node-monitor-grace-period, 50 s by default in current Kubernetes (it was 40 s; the kube-controller-manager command-line reference). EKS does not publish the value it runs.",
            ),
        // 15 s: 10 s is one period of the CNI agent's readiness probe (Istio 1.30.3 istio-cni
        // templates/daemonset.yaml sets no initialDelaySeconds or periodSeconds, so Kubernetes' default
        // 10 s period applies, and the agent is rarely ready at the first probe, right after start);
        // 5 s is assumed, with no published figure, for the cold pulls of install-cni and ztunnel from
        // gcr.io/istio-release in parallel; istiod lifts the taint on the pod's Ready event. A load test
        // corrects it.
        nodeAgentsReadySeconds: int(0, 600)
            .default(15)
            .describe(
                "Assumption: seconds from a Ready node until pods may start there in the mesh (cold pulls of the Istio CNI agent's and ztunnel's images, the CNI agent's readiness, istiod lifting the node's startup taint).",
            ),
    })
    .prefault({});

/** The seed's PerformanceProfile "CRD", as a typed config section. */
export const performanceProfileSchema = z
    .strictObject({
        targetRps: int(1, 10_000_000)
            .default(30000)
            .describe("Aggregate requests per second the platform must carry."),
        p95LatencyMs: int(1, 60_000)
            .default(MISSION_P95_LATENCY_MS)
            .describe(
                "P95 latency objective in milliseconds (the policy pack refuses one looser than the platform's).",
            ),
        headroomPercent: int(0, 500).default(30).describe("Capacity headroom over the target RPS."),
        rateLimit: z
            .strictObject({
                rpsPerClient: int(1, 100_000)
                    .default(50)
                    .describe("Requests per second gateway-api allows one client (RATE_LIMIT_RPS)."),
                burst: int(1, 100_000)
                    .default(100)
                    .describe("Burst above the rate gateway-api allows one client (RATE_LIMIT_BURST)."),
            })
            .prefault({})
            .describe("gateway-api's per-client rate limit."),
        scaleUp: scaleUpSchema.describe(
            "How fast every autoscaler may add replicas (the HPAs', and the HPA KEDA makes for the worker).",
        ),
        timeline: timelineSchema.describe("The scale-up timeline: its objective and its assumptions."),
        services: z
            .strictObject(
                perService((service) =>
                    serviceScaling(SCALING_DEFAULTS[service]).describe(SCALING_DEFAULTS[service].about),
                ),
            )
            .prefault({})
            .describe("Per-service replicas and capacity assumptions."),
    })
    .prefault({});

/** The stack's SecurityPolicy, with its defaults applied. */
export type SecurityPolicy = z.infer<typeof securityPolicySchema>;
/** The stack's CostOptimization, with its defaults applied. */
export type CostOptimization = z.infer<typeof costOptimizationSchema>;
/** The stack's PerformanceProfile, with its defaults applied. */
export type PerformanceProfile = z.infer<typeof performanceProfileSchema>;
/** One service's scaling and capacity assumption in the PerformanceProfile. */
export type ServiceScaling = PerformanceProfile["services"][ServiceName];
