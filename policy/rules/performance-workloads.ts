/**
 * Performance rules on the workloads themselves: every application Deployment (or Rollout)
 * autoscaled, every long-running container probed, and every workload that can run more than one
 * replica protected by a disruption budget.
 */
import type { PolicyResource } from "@pulumi/policy";
import { APPLICATION_NAMESPACES } from "../../vocabulary/platform";
import { isKind, kindOf, objectName, podTemplate, selects, WORKLOAD_KINDS } from "./kubernetes";
import { LayeredResourcePolicy, stackRule } from "./layers";

/** The autoscaler (HPA or KEDA ScaledObject) targeting a Deployment or Rollout, if any. */
function scalerOf(resources: PolicyResource[], deployment: PolicyResource): PolicyResource | undefined {
    const { name, namespace } = deployment.props.metadata ?? {};
    return resources.find(
        (r) =>
            (isKind(r.type, "HorizontalPodAutoscaler") || isKind(r.type, "ScaledObject")) &&
            r.props.metadata?.namespace === namespace &&
            r.props.spec?.scaleTargetRef?.name === name,
    );
}

export const k8sAutoscaledDeployments = stackRule({
    name: "k8s-autoscaled-deployments",
    description:
        "Checks whether every Deployment or Rollout in an application namespace has an HPA or a KEDA ScaledObject.",
    cluster: (args, report) => {
        for (const deployment of args.resources.filter(
            (r) =>
                isKind(r.type, "Deployment", "Rollout") &&
                (APPLICATION_NAMESPACES as readonly string[]).includes(r.props.metadata?.namespace),
        )) {
            if (!scalerOf(args.resources, deployment)) {
                report(
                    `${kindOf(deployment.type)} ${objectName(deployment.props)} must be scaled by an HPA or a ScaledObject.`,
                    deployment.urn,
                );
            }
        }
    },
});

export const k8sProbes: LayeredResourcePolicy = {
    name: "k8s-probes",
    layer: "cluster",
    description: "Checks whether every long-running container has liveness and readiness probes.",
    validateResource: (args, report) => {
        if (!isKind(args.type, ...WORKLOAD_KINDS) || isKind(args.type, "Job", "CronJob")) return;
        for (const container of podTemplate(args.type, args.props)?.spec?.containers ?? []) {
            const missing = ["livenessProbe", "readinessProbe"].filter((p) => !container[p]);
            if (missing.length > 0) {
                report(
                    `${kindOf(args.type)} ${objectName(args.props)}, container ${container.name}: must have ${missing.join(" and ")}.`,
                );
            }
        }
    },
};

export const k8sPdbForMultiReplica = stackRule({
    name: "k8s-pdb-for-multi-replica",
    description:
        "Checks whether every workload that can run more than one replica has a PodDisruptionBudget.",
    cluster: (args, report) => {
        const pdbs = args.resources.filter((r) => isKind(r.type, "PodDisruptionBudget"));
        for (const workload of args.resources.filter((r) =>
            isKind(r.type, "Deployment", "StatefulSet", "Rollout"),
        )) {
            const scaler = scalerOf(args.resources, workload);
            const most = Math.max(
                Number(workload.props.spec?.replicas ?? 1),
                Number(scaler?.props.spec?.maxReplicas ?? scaler?.props.spec?.maxReplicaCount ?? 0),
            );
            if (most <= 1) continue;
            const labels = podTemplate(workload.type, workload.props)?.metadata?.labels;
            const covered = pdbs.some(
                (p) =>
                    p.props.metadata?.namespace === workload.props.metadata?.namespace &&
                    selects(p.props.spec?.selector, labels),
            );
            if (!covered) {
                report(
                    `${kindOf(workload.type)} ${objectName(workload.props)} runs up to ${most} replicas and must have a PodDisruptionBudget.`,
                    workload.urn,
                );
            }
        }
    },
});

/** The workload rules, in the order the pack lists them. */
export const PERFORMANCE_WORKLOAD_POLICIES = [k8sAutoscaledDeployments, k8sProbes, k8sPdbForMultiReplica];
