/** The AWS Load Balancer Controller's values and size, built from the Gateway component's arguments. */
import { PRIORITY_CLASSES } from "../../../../vocabulary/placement";
import {
    RESTRICTED_CONTAINER_SECURITY_CONTEXT,
    RESTRICTED_POD_SECURITY_CONTEXT,
    spreadAcrossZones,
    SYSTEM_NODE_SELECTOR,
    SYSTEM_TOLERATIONS,
} from "../../scheduling";
import type { GatewayArgs } from "./settings";

/**
 * Every Gateway feature gate set explicitly: from v3.2.0 the controller probes for CRDs at start
 * and may switch a gate off unless all three are set.
 */
const FEATURE_GATES = { ALBGatewayAPI: true, NLBGatewayAPI: false, GatewayListenerSet: false };

/** The controller manages the Gateway's load balancer through its Pod Identity. */
export const CONTROLLER_SERVICE_ACCOUNT = "aws-load-balancer-controller";

/** The label of the controller's pods. */
export const CONTROLLER_LABELS = { "app.kubernetes.io/name": "aws-load-balancer-controller" };

/** The load balancer controller: two replicas in every stack (the Gateway's ALB is the one way in), across zones. */
export const CONTROLLER_REPLICAS = 2;
/** The controller's container. */
export const CONTROLLER_RESOURCES = {
    requests: { cpu: "100m", memory: "256Mi" },
    limits: { cpu: "500m", memory: "512Mi" },
};

/** The chart's values. */
export function loadBalancerControllerValues(args: GatewayArgs): Record<string, unknown> {
    return {
        clusterName: args.clusterName,
        region: args.region,
        vpcId: args.vpcId,
        replicaCount: CONTROLLER_REPLICAS,
        serviceAccount: { create: true, name: CONTROLLER_SERVICE_ACCOUNT },
        resources: CONTROLLER_RESOURCES,
        podSecurityContext: { ...RESTRICTED_POD_SECURITY_CONTEXT, fsGroup: 65534 },
        securityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
        nodeSelector: SYSTEM_NODE_SELECTOR,
        tolerations: SYSTEM_TOLERATIONS,
        priorityClassName: PRIORITY_CLASSES.platform.name,
        topologySpreadConstraints: spreadAcrossZones(CONTROLLER_LABELS),
        podDisruptionBudget: { maxUnavailable: 1 },
        podLabels: args.labels,
        defaultTags: args.tags,
        defaultTargetType: "ip",
        createIngressClassResource: false,
        enableServiceMutatorWebhook: false,
        // Reuse the webhook's certificate across upgrades (3.x regenerates it by default, a diff on every run).
        keepTLSSecret: true,
        controllerConfig: { featureGates: FEATURE_GATES },
        serviceMonitor: { enabled: true },
    };
}
