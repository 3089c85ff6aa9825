/**
 * The exposed edge: a GatewayClass for the controller's ALB implementation, its load balancer
 * configuration, and an internet-facing Gateway with an HTTPS listener on the configured ACM
 * certificate and an HTTP listener whose only route redirects to HTTPS.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { GatewayArgs } from "./settings";

/** The GatewayClass controller name of the AWS Load Balancer Controller's ALB (layer 7) implementation. */
export const ALB_GATEWAY_CONTROLLER = "gateway.k8s.aws/alb";

/** Names of the Gateway's listeners, for routes' `sectionName`. */
export const LISTENERS = { https: "https", http: "http" } as const;

/** The Gateway and what it needs, children of `parent`, after `dependsOn` (the CRDs and the controller). */
export function createEdge(
    parent: pulumi.ComponentResource,
    name: string,
    gatewayName: string,
    args: GatewayArgs,
    dependsOn: pulumi.Resource[],
): k8s.apiextensions.CustomResource {
    const certificateArn = args.gateway.certificateArn;
    if (certificateArn === undefined) {
        throw new pulumi.ResourceError(
            "an exposed Gateway needs gateway.certificateArn for its HTTPS listener",
            parent,
        );
    }
    const afterController = { parent, dependsOn };
    const lbConfig = new k8s.apiextensions.CustomResource(
        `${name}-alb-config`,
        {
            apiVersion: "gateway.k8s.aws/v1",
            kind: "LoadBalancerConfiguration",
            metadata: { name: gatewayName, namespace: args.namespace, labels: args.labels },
            spec: {
                scheme: "internet-facing",
                ipAddressType: "ipv4",
                listenerConfigurations: [
                    {
                        protocolPort: "HTTPS:443",
                        defaultCertificate: certificateArn,
                        sslPolicy: args.gateway.sslPolicy,
                    },
                ],
                loadBalancerAttributes: [
                    { key: "routing.http.drop_invalid_header_fields.enabled", value: "true" },
                    { key: "idle_timeout.timeout_seconds", value: "60" },
                ],
                tags: args.tags,
            },
        },
        afterController,
    );
    const gatewayClass = new k8s.apiextensions.CustomResource(
        `${name}-class`,
        {
            apiVersion: "gateway.networking.k8s.io/v1",
            kind: "GatewayClass",
            metadata: { name: "tacos-alb", labels: args.labels },
            spec: {
                controllerName: ALB_GATEWAY_CONTROLLER,
                description: "Internet-facing ALB managed by the AWS Load Balancer Controller",
            },
        },
        afterController,
    );
    const gateway = new k8s.apiextensions.CustomResource(
        `${name}-gateway`,
        {
            apiVersion: "gateway.networking.k8s.io/v1",
            kind: "Gateway",
            metadata: { name: gatewayName, namespace: args.namespace, labels: args.labels },
            spec: {
                gatewayClassName: gatewayClass.metadata.name,
                infrastructure: {
                    parametersRef: {
                        group: "gateway.k8s.aws",
                        kind: "LoadBalancerConfiguration",
                        name: lbConfig.metadata.name,
                    },
                },
                listeners: [
                    {
                        name: LISTENERS.https,
                        protocol: "HTTPS",
                        port: 443,
                        // The ALB terminates TLS with the LoadBalancerConfiguration's defaultCertificate. Gateway
                        // API requires certificateRefs or options under Terminate; controller 3.5 reads
                        // neither, so the option only records which certificate that is.
                        tls: {
                            mode: "Terminate",
                            options: { "gateway.k8s.aws/certificate-arn": certificateArn },
                        },
                        allowedRoutes: {
                            kinds: [{ kind: "HTTPRoute" }],
                            namespaces: {
                                from: "Selector",
                                selector: {
                                    matchExpressions: [
                                        {
                                            key: "kubernetes.io/metadata.name",
                                            operator: "In",
                                            values: args.routeNamespaces,
                                        },
                                    ],
                                },
                            },
                        },
                    },
                    {
                        name: LISTENERS.http,
                        protocol: "HTTP",
                        port: 80,
                        allowedRoutes: { kinds: [{ kind: "HTTPRoute" }], namespaces: { from: "Same" } },
                    },
                ],
            },
        },
        { parent, dependsOn: [...dependsOn, lbConfig, gatewayClass] },
    );
    new k8s.apiextensions.CustomResource(
        `${name}-https-redirect`,
        {
            apiVersion: "gateway.networking.k8s.io/v1",
            kind: "HTTPRoute",
            metadata: { name: "https-redirect", namespace: args.namespace, labels: args.labels },
            spec: {
                parentRefs: [{ name: gatewayName, sectionName: LISTENERS.http }],
                // Port 443 explicitly: the ALB keeps the request's port (80) otherwise (controller 2.x, 3.0).
                rules: [
                    {
                        filters: [
                            {
                                type: "RequestRedirect",
                                requestRedirect: { scheme: "https", port: 443, statusCode: 301 },
                            },
                        ],
                    },
                ],
            },
        },
        { parent, dependsOn: [gateway] },
    );
    return gateway;
}
