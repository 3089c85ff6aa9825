/**
 * The platform's own pods, as the program records them: one `tacos:k8s:AddonFootprint` per
 * add-on (built from the same record its chart values are), plus the pods the EKS managed
 * add-ons run. The plan and the policy pack read them to check that the system node group holds
 * the controllers, and to take the DaemonSets out of what every node leaves the applications.
 */
import { managedNodeGroups } from "./eks";
import { ALLOCATABLE_SHARE, nodeGroupNode } from "./instances";
import type { StackResource } from "./stack-resource";
import { SYSTEM_TAINT } from "./placement";
import { cores, gibibytes } from "./quantity";

/** Resource type of the record of an add-on's footprint. */
export const FOOTPRINT_TYPE = "tacos:k8s:AddonFootprint";

/** One container of an add-on's workload: how many pods, what it requests, and on which nodes. */
export interface WorkloadFootprint {
    name: string;
    /** Pods of a Deployment or StatefulSet, or one on every node for a DaemonSet. */
    replicas: number | "every-node";
    resources: { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } };
    /** The system node group (platform controllers) or every node (DaemonSets). */
    nodes: "system" | "all";
    /** The pod the container shares with the other entries naming the same pod (same replicas); alone when unset. */
    pod?: string;
}

export interface AddonFootprintRecord {
    addon: string;
    namespace: string;
    workloads: WorkloadFootprint[];
}

const eksPod = (
    name: string,
    pod: string,
    replicas: WorkloadFootprint["replicas"],
    cpu: string,
    memory: string,
    memoryLimit: string,
): WorkloadFootprint => ({
    name,
    pod,
    replicas,
    nodes: replicas === "every-node" ? "all" : "system",
    resources: { requests: { cpu, memory }, limits: { cpu: "0", memory: memoryLimit } },
});

/**
 * The EKS managed add-ons' pods (the cluster component installs them; they have no footprint
 * record): CoreDNS and the EBS CSI controller on the system nodes, the node DaemonSets on every
 * node. Requests as their manifests set them (a container with none counts as nothing, as the
 * scheduler counts it), checked:
 * - vpc-cni v1.22.4: aws-node and aws-eks-nodeagent 25m CPU each, no memory (charts/aws-vpc-cni/values.yaml, config/master/aws-k8s-cni.yaml);
 * - kube-proxy: 100m CPU, no memory (EKS's kube-proxy manifest as eksctl carries it; no current manifest is published);
 * - eks-pod-identity-agent: no requests (its chart, charts/eks-pod-identity-agent at v0.1.37);
 * - CoreDNS: two replicas of 100m / 70Mi, limit 170Mi (EKS's manifest as eksctl v0.230.0 carries it; "Scale CoreDNS Pods" in the EKS guide for the two replicas);
 * - aws-ebs-csi-driver chart 2.60.0 (driver 1.60.0; unchanged in 2.64.0): the controller's two replicas of
 *   ebs-plugin, csi-provisioner, csi-attacher, csi-resizer at 10m / 40Mi and liveness-probe at 10m / 32Mi
 *   (csi-snapshotter only with the snapshot API, which the stack does not install); the node pod's
 *   ebs-plugin 10m / 40Mi, node-driver-registrar and liveness-probe 10m / 32Mi.
 * Confirm on a cluster with `kubectl -n kube-system get ds,deploy -o jsonpath='{..resources}'`.
 */
export const EKS_ADDON_FOOTPRINT: AddonFootprintRecord[] = [
    {
        addon: "eks:vpc-cni",
        namespace: "kube-system",
        workloads: [
            eksPod("aws-node", "aws-node", "every-node", "25m", "0", "0"),
            eksPod("aws-eks-nodeagent", "aws-node", "every-node", "25m", "0", "0"),
        ],
    },
    {
        addon: "eks:kube-proxy",
        namespace: "kube-system",
        workloads: [eksPod("kube-proxy", "kube-proxy", "every-node", "100m", "0", "0")],
    },
    {
        addon: "eks:coredns",
        namespace: "kube-system",
        workloads: [eksPod("coredns", "coredns", 2, "100m", "70Mi", "170Mi")],
    },
    {
        addon: "eks:aws-ebs-csi-driver",
        namespace: "kube-system",
        workloads: [
            ...["ebs-plugin", "csi-provisioner", "csi-attacher", "csi-resizer"].map((c) =>
                eksPod(c, "ebs-csi-controller", 2, "10m", "40Mi", "256Mi"),
            ),
            eksPod("liveness-probe", "ebs-csi-controller", 2, "10m", "32Mi", "32Mi"),
            eksPod("ebs-plugin", "ebs-csi-node", "every-node", "10m", "40Mi", "256Mi"),
            ...["node-driver-registrar", "liveness-probe"].map((c) =>
                eksPod(c, "ebs-csi-node", "every-node", "10m", "32Mi", "32Mi"),
            ),
        ],
    },
];

/** The add-ons' footprint records of a stack. */
export function addonFootprints(resources: StackResource[]): AddonFootprintRecord[] {
    return resources
        .filter((r) => r.type === FOOTPRINT_TYPE)
        .map((r) => ({
            addon: r.props.addon,
            namespace: r.props.namespace,
            workloads: r.props.workloads ?? [],
        }));
}

/** The add-ons' records and the EKS add-ons': every platform pod of the stack. */
export function platformFootprints(resources: StackResource[]): AddonFootprintRecord[] {
    return [...addonFootprints(resources), ...EKS_ADDON_FOOTPRINT];
}

/** CPU (vCPU) and memory (GiB). */
export interface Amount {
    vcpu: number;
    memoryGiB: number;
}

const requestsOf = (w: WorkloadFootprint): Amount => ({
    vcpu: cores(w.resources.requests.cpu),
    memoryGiB: gibibytes(w.resources.requests.memory),
});
const add = (a: Amount, b: Amount): Amount => ({
    vcpu: a.vcpu + b.vcpu,
    memoryGiB: a.memoryGiB + b.memoryGiB,
});
const ZERO: Amount = { vcpu: 0, memoryGiB: 0 };

/** A pod of the platform: its containers' requests summed. */
export interface PlatformPod extends Amount {
    addon: string;
    /** The workload (its pod's name, or its one container's). */
    workload: string;
}

/** The pods of `records` on `nodes`, each replica a pod of its own (containers sharing a `pod` summed into it). */
function podsOf(
    records: AddonFootprintRecord[],
    nodes: WorkloadFootprint["nodes"],
): { pod: PlatformPod; replicas: number | "every-node" }[] {
    const byPod = new Map<string, { pod: PlatformPod; replicas: number | "every-node" }>();
    for (const record of records) {
        for (const w of record.workloads.filter((x) => x.nodes === nodes)) {
            const key = `${record.addon}/${w.pod ?? w.name}`;
            const entry = byPod.get(key) ?? {
                pod: { addon: record.addon, workload: w.pod ?? w.name, ...ZERO },
                replicas: w.replicas,
            };
            byPod.set(key, {
                pod: { ...entry.pod, ...add(entry.pod, requestsOf(w)) },
                replicas: entry.replicas,
            });
        }
    }
    return [...byPod.values()];
}

/** What the DaemonSets request on every node, and which they are. */
export function perNodeDaemonSets(records: AddonFootprintRecord[]): Amount & { pods: PlatformPod[] } {
    const pods = podsOf(records, "all").map((p) => p.pod);
    return { ...pods.reduce(add, ZERO), pods };
}

/** What the DaemonSets of a stack (the add-ons' and the EKS add-ons') request on every node. */
export function stackDaemonSets(resources: StackResource[]): Amount & { pods: PlatformPod[] } {
    return perNodeDaemonSets(platformFootprints(resources));
}

/** `addon/workload` of each pod, once each. */
export function podNames(pods: PlatformPod[]): string[] {
    return [...new Set(pods.map((p) => `${p.addon}/${p.workload}`))];
}

/** Every replica the system node group must hold. */
export function systemPods(records: AddonFootprintRecord[]): PlatformPod[] {
    return podsOf(records, "system").flatMap(({ pod, replicas }) =>
        Array.from({ length: typeof replicas === "number" ? replicas : 0 }, () => pod),
    );
}

/**
 * Places `pods` on `nodes` equal nodes as the scheduler's default scoring does (largest first,
 * each onto the least allocated node with room: NodeResourcesFit's LeastAllocated), never two
 * replicas of one workload on one node: the controllers spread their replicas across nodes and
 * zones. Returns the pods left without a node and what each node holds.
 */
export function placePods(
    pods: PlatformPod[],
    nodes: number,
    perNode: Amount,
): { unplaced: PlatformPod[]; used: Amount[] } {
    const used: Amount[] = Array.from({ length: nodes }, () => ({ ...ZERO }));
    const holds: Set<string>[] = Array.from({ length: nodes }, () => new Set());
    const unplaced: PlatformPod[] = [];
    const size = (p: Amount) => Math.max(p.vcpu / perNode.vcpu, p.memoryGiB / perNode.memoryGiB);
    for (const pod of [...pods].sort((a, b) => size(b) - size(a))) {
        const key = `${pod.addon}/${pod.workload}`;
        const candidates = used
            .map((_, n) => n)
            .filter(
                (n) =>
                    !holds[n].has(key) &&
                    used[n].vcpu + pod.vcpu <= perNode.vcpu + 1e-9 &&
                    used[n].memoryGiB + pod.memoryGiB <= perNode.memoryGiB + 1e-9,
            );
        const i = candidates.reduce(
            (best, n) => (best < 0 || size(used[n]) < size(used[best]) ? n : best),
            -1,
        );
        if (i < 0) {
            unplaced.push(pod);
            continue;
        }
        used[i] = add(used[i], pod);
        holds[i].add(key);
    }
    return { unplaced, used };
}

/** The system node group's fit: its nodes at desired size against the platform's pods. */
export interface SystemCapacity {
    group: string;
    instanceType: string;
    desiredSize: number;
    maxSize: number;
    /** What one node leaves the system pods: ALLOCATABLE_SHARE of it, less the DaemonSets. */
    perNode: Amount;
    /** What the DaemonSets take of every node. */
    daemonSets: Amount;
    /** Every replica the group must hold, and what they request in total. */
    pods: PlatformPod[];
    demand: Amount;
    /** Pods that find no node at desired size (largest first, replicas apart). */
    unplaced: PlatformPod[];
    /** The fewest nodes that hold every pod; undefined when even one node per pod is not enough (a pod larger than a node). */
    nodesNeeded?: number;
}

/** The stack's system node group (the one with the system taint), if any. */
export function systemNodeGroup<
    T extends { type: string; props: Record<string, any>; parent?: { type: string } },
>(resources: T[]): T | undefined {
    return managedNodeGroups(resources).find((r) =>
        (r.props.taints ?? []).some((t: Record<string, any>) => t.key === SYSTEM_TAINT.key),
    );
}

/** What one node of `node`'s size leaves pods after kubelet's reserve and the DaemonSets. */
export function podAllocatable(node: Amount, daemonSets: Amount): Amount {
    return {
        vcpu: node.vcpu * ALLOCATABLE_SHARE.cpu - daemonSets.vcpu,
        memoryGiB: node.memoryGiB * ALLOCATABLE_SHARE.memory - daemonSets.memoryGiB,
    };
}

/**
 * Whether the system node group, at its desired size, holds the add-ons' and EKS add-ons'
 * system pods; undefined when the stack has no system group or its type is not in the table.
 */
export function systemCapacity(resources: (StackResource & { name: string })[]): SystemCapacity | undefined {
    const group = systemNodeGroup(resources);
    const node = group && nodeGroupNode(group);
    if (!group || !node) return undefined;
    const records = platformFootprints(resources);
    const { vcpu, memoryGiB } = perNodeDaemonSets(records);
    const daemonSets = { vcpu, memoryGiB };
    const perNode = podAllocatable(node, daemonSets);
    const pods = systemPods(records);
    const desiredSize = Number(
        group.props.scalingConfig?.desiredSize ?? group.props.scalingConfig?.minSize ?? 0,
    );
    const maxSize = Number(group.props.scalingConfig?.maxSize ?? desiredSize);
    const fits = (n: number) => placePods(pods, n, perNode).unplaced.length === 0;
    // Fewer nodes than a workload's replicas never fit (replicas apart), so counting from one finds the same least.
    let nodesNeeded: number | undefined;
    for (let n = 1; n <= pods.length + 1; n++) {
        if (fits(n)) {
            nodesNeeded = n;
            break;
        }
    }
    return {
        group: group.props.nodeGroupName ?? (group as { name: string }).name,
        instanceType: group.props.instanceTypes[0],
        desiredSize,
        maxSize,
        perNode,
        daemonSets,
        pods,
        demand: pods.reduce(add, ZERO),
        unplaced: placePods(pods, desiredSize, perNode).unplaced,
        nodesNeeded,
    };
}
