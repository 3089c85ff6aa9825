/**
 * The way in to Argo CD: an HTTPRoute on the Gateway's HTTPS listener whose one rule carries the
 * load balancer controller's ListenerRuleConfiguration with a source-ip condition, so that the
 * ALB forwards only the configured source ranges to the server; anything else falls through to
 * the listener's default action, a 404 (kubernetes-sigs/aws-load-balancer-controller v3.5.0,
 * pkg/gateway/model/model_build_listener.go).
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { GatewayParentRef } from "../gateway/facts";

/** The ListenerRuleConfiguration's name, referenced by the route's ExtensionRef filter. */
export const SOURCE_RANGES_RULE = "argocd-source-ranges";

/** What the route is made from. */
export interface ArgoCdRouteArgs {
    namespace: pulumi.Input<string>;
    hostname: string;
    /** Source CIDR blocks the ALB forwards (at most three: one rule condition). */
    sourceRanges: string[];
    parentRef: GatewayParentRef;
    labels: Record<string, string>;
}

/**
 * The source-ip ListenerRuleConfiguration and the route that carries it. Fields as the
 * controller's CRD defines them at v3.5.0 (kubernetes-sigs/aws-load-balancer-controller,
 * config/crd/gateway/gateway-crds.yaml: `spec.conditions[].field: source-ip` with
 * `sourceIPConfig.values`); a route refers to one in its own namespace through an `ExtensionRef`
 * filter of group `gateway.k8s.aws` (docs/guide/gateway/customization.md, "Customizing L7 Routing
 * Rules", and listenerruleconfig.md at v3.5.0). The condition checks the connection's source
 * address, never X-Forwarded-For (AWS, Elastic Load Balancing, "Condition types for listener rules").
 */
export function createArgoCdRoute(
    name: string,
    args: ArgoCdRouteArgs,
    opts: { parent: pulumi.Resource; dependsOn: pulumi.Resource[] },
): k8s.apiextensions.CustomResource {
    const ruleConfig = new k8s.apiextensions.CustomResource(
        `${name}-source-ranges`,
        {
            apiVersion: "gateway.k8s.aws/v1",
            kind: "ListenerRuleConfiguration",
            metadata: { name: SOURCE_RANGES_RULE, namespace: args.namespace, labels: args.labels },
            spec: {
                conditions: [{ field: "source-ip", sourceIPConfig: { values: args.sourceRanges } }],
            },
        },
        opts,
    );
    return new k8s.apiextensions.CustomResource(
        `${name}-route`,
        {
            apiVersion: "gateway.networking.k8s.io/v1",
            kind: "HTTPRoute",
            metadata: { name: "argocd-server", namespace: args.namespace, labels: args.labels },
            spec: {
                parentRefs: [args.parentRef],
                hostnames: [args.hostname],
                rules: [
                    {
                        filters: [
                            {
                                type: "ExtensionRef",
                                extensionRef: {
                                    group: "gateway.k8s.aws",
                                    kind: "ListenerRuleConfiguration",
                                    name: SOURCE_RANGES_RULE,
                                },
                            },
                        ],
                        backendRefs: [{ name: "argocd-server", port: 80 }],
                    },
                ],
            },
        },
        { parent: opts.parent, dependsOn: [...opts.dependsOn, ruleConfig] },
    );
}
