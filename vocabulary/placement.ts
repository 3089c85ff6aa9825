/**
 * Where pods run: the node-group label every managed node carries, the `system` node group's
 * label and taint (platform controllers only), and the tolerations that let add-ons (and every
 * DaemonSet) onto it.
 */

/** Label the cluster puts on every node of a managed group (`tacos.io/node-group: <name>`). */
export const NODE_GROUP_LABEL = "tacos.io/node-group";

/** Label of a managed node's capacity type (`on_demand` or `spot`). */
export const CAPACITY_TYPE_LABEL = "tacos.io/capacity-type";

/** The managed node group every stack has, for platform controllers. */
export const SYSTEM_NODE_GROUP = "system";

/** The taint of the system node group: only pods that tolerate it run there. */
export const SYSTEM_TAINT = { key: "CriticalAddonsOnly", value: "true", effect: "NoSchedule" } as const;

/** Schedules a pod onto the system node group. */
export const SYSTEM_NODE_SELECTOR = { [NODE_GROUP_LABEL]: SYSTEM_NODE_GROUP };

/** Tolerates the system node group's taint: every add-on controller and every DaemonSet. */
export const SYSTEM_TOLERATIONS = [
    { key: SYSTEM_TAINT.key, operator: "Exists", effect: SYSTEM_TAINT.effect },
];

/** Tolerates every taint, the system node group's among them: a node agent that must run wherever pods do. */
export const EVERY_NODE_TOLERATIONS = [{ operator: "Exists" }];

/**
 * The startup taint of every node, Karpenter's and the managed groups' alike: no pod that does not
 * tolerate it lands on a node until the Istio CNI agent is Ready there, so that no ambient pod
 * starts outside the mesh. istiod's untaint controller removes it (Istio 1.30.3:
 * manifests/charts/istio-control/istio-discovery values.yaml `taint.name`, whose default this is,
 * and pilot/pkg/controllers/untaint/nodeuntainter.go, which removes every taint of this key once the
 * node's `k8s-app: istio-cni-node` pod is Ready). Only the key matters to it, so the taint has no value.
 */
export const MESH_STARTUP_TAINT = { key: "cni.istio.io/not-ready", effect: "NoSchedule" } as const;

/**
 * The same taint in the EKS API's spelling (a managed node group's `taints`: key, optional value,
 * effect `NO_SCHEDULE`), for the managed node groups.
 */
export const MESH_STARTUP_TAINT_EKS = { key: MESH_STARTUP_TAINT.key, effect: "NO_SCHEDULE" } as const;

/**
 * Tolerates the startup taint: only for what must run before the mesh's node agents are Ready and
 * joins no mesh itself (istiod, which lifts the taint; cluster DNS; the storage driver's controller).
 */
export const MESH_STARTUP_TOLERATIONS = [
    { key: MESH_STARTUP_TAINT.key, operator: "Exists", effect: MESH_STARTUP_TAINT.effect },
];

/** The cluster's Service CIDR (EKS `kubernetesNetworkConfig.serviceIpv4Cidr`). */
export const SERVICE_CIDR = "172.20.0.0/16";

/**
 * Scheduling priority, highest first: platform add-ons (the edge, autoscaling, delivery) above the
 * services, the queue worker lowest, so that under pressure the worker yields first and the
 * platform last. All stay below Kubernetes' own system-* classes.
 */
export const PRIORITY_CLASSES = {
    platform: {
        name: "tacos-platform",
        value: 100_000,
        description: "Platform add-ons: the load balancer controller, KEDA, Argo CD.",
    },
    service: {
        name: "tacos-service",
        value: 10_000,
        description: "The request-serving Traffic Tacos services.",
    },
    worker: {
        name: "tacos-worker",
        value: 1_000,
        description: "The queue worker: scales from zero and yields first.",
    },
} as const;
