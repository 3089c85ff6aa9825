/**
 * The mesh on a new node: a pod that starts before the node's Istio CNI agent is Ready runs
 * outside the mesh, its calls plaintext and refused by STRICT callees. Every managed node group
 * and every Karpenter NodePool starts its nodes with the startup taint, and istiod's untaint controller lifts it once the
 * node's CNI agent is Ready (Istio 1.30.3: istio-discovery values.yaml `taint`,
 * pilot/pkg/controllers/untaint).
 */
import { managedNodeGroups } from "../../vocabulary/eks";
import { MESH_STARTUP_TAINT, MESH_STARTUP_TAINT_EKS } from "../../vocabulary/placement";
import { stackRule } from "./layers";
import { isKind, objectName } from "./kubernetes";

/** The Helm charts of istiod and of the CNI agent, as Istio publishes them. */
const ISTIOD_CHART = "istiod";
const CNI_CHART = "cni";

/** The release of `chart` among the stack's resources, if any. */
const releaseOf = (resources: { type: string; props: Record<string, any> }[], chart: string) =>
    resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.props.chart === chart);

export const meshNodesStartTainted = stackRule({
    name: "mesh-nodes-start-tainted",
    description: `Checks whether every managed node group and Karpenter NodePool starts its nodes with the Istio CNI agent's startup taint (${MESH_STARTUP_TAINT.key}) and istiod's untaint controller lifts it, so that no pod starts on a node before the mesh does.`,
    aws: (args, report) => {
        const groups = managedNodeGroups(args.resources);
        if (groups.length === 0) args.notApplicable("the stack creates no managed node group");
        for (const group of groups) {
            const taints: any[] = group.props.taints ?? [];
            if (
                !taints.some(
                    (t) =>
                        t?.key === MESH_STARTUP_TAINT_EKS.key && t?.effect === MESH_STARTUP_TAINT_EKS.effect,
                )
            )
                report(
                    `Managed node group ${group.name} must start its nodes with the taint ${MESH_STARTUP_TAINT_EKS.key}:${MESH_STARTUP_TAINT_EKS.effect} (taints): without it, pods start before the node's CNI agent and run outside the mesh.`,
                    group.urn,
                );
        }
    },
    cluster: (args, report) => {
        const pools = args.resources.filter((r) => isKind(r.type, "NodePool"));
        if (pools.length === 0) args.notApplicable("the stack creates no Karpenter NodePool");
        for (const pool of pools) {
            const taints: any[] = pool.props.spec?.template?.spec?.startupTaints ?? [];
            if (
                !taints.some(
                    (t) => t?.key === MESH_STARTUP_TAINT.key && t?.effect === MESH_STARTUP_TAINT.effect,
                )
            )
                report(
                    `NodePool ${objectName(pool.props)} must start its nodes with the startup taint ${MESH_STARTUP_TAINT.key}:${MESH_STARTUP_TAINT.effect} (spec.template.spec.startupTaints): without it, pods start before the node's CNI agent and run outside the mesh.`,
                    pool.urn,
                );
        }
        const istiod = releaseOf(args.resources, ISTIOD_CHART);
        const cni = releaseOf(args.resources, CNI_CHART);
        const taint = istiod?.props.values?.taint;
        if (!istiod || taint?.enabled !== true) {
            report(
                `istiod must run its untaint controller (the ${ISTIOD_CHART} chart's taint.enabled: true): nothing else lifts ${MESH_STARTUP_TAINT.key}, and the NodePools' nodes would take no pod.`,
            );
        } else if ((taint.name ?? MESH_STARTUP_TAINT.key) !== MESH_STARTUP_TAINT.key) {
            report(`istiod's untaint controller must lift ${MESH_STARTUP_TAINT.key}, not ${taint.name}.`);
        } else if (
            cni &&
            cni.props.namespace !== istiod.props.namespace &&
            taint.namespace !== cni.props.namespace
        ) {
            report(
                `istiod's untaint controller must watch the CNI agent's namespace ${cni.props.namespace} (taint.namespace), or it never sees the agent Ready.`,
            );
        }
    },
});

/** The rules of the mesh's node start-up, in the order the pack lists them. */
export const MESH_NODE_POLICIES = [meshNodesStartTainted];
