/**
 * What the AWS Load Balancer Controller cleans up when its objects go. At v3.5.0 it puts a
 * finalizer on each of these kinds (kubernetes-sigs/aws-load-balancer-controller
 * pkg/shared_constants/finalizers.go at v3.5.0: gateway.k8s.aws/gatewayclass, /alb,
 * /targetgroupconfigurations, /loadbalancerconfigurations, /listenerruleconfigurations) and
 * removes it only after deleting what it made, so without the controller their deletion hangs.
 */
import type { ManagedKind } from "../../../teardown";

export const LOAD_BALANCER_CONTROLLER_MANAGES: readonly ManagedKind[] = [
    {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "Gateway",
        cleansUp: "its ALB, listeners and the security groups the controller made for it",
    },
    {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "HTTPRoute",
        cleansUp: "its listener rules and target groups",
    },
    {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "GatewayClass",
        cleansUp: "nothing in AWS; the controller's finalizer holds it until its Gateways are gone",
    },
    {
        apiVersion: "gateway.k8s.aws/v1",
        kind: "LoadBalancerConfiguration",
        cleansUp: "nothing of its own (the ALB goes with its Gateway); the controller's finalizer holds it",
    },
    {
        apiVersion: "gateway.k8s.aws/v1",
        kind: "TargetGroupConfiguration",
        cleansUp:
            "nothing of its own (target groups go with their routes); the controller's finalizer holds it",
    },
    {
        apiVersion: "gateway.k8s.aws/v1",
        kind: "ListenerRuleConfiguration",
        cleansUp: "nothing of its own (rules go with their routes); the controller's finalizer holds it",
    },
];
