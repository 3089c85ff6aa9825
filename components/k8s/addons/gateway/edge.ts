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
    const lbConfig = createLoadBalancerConfiguration(
        name,
        gatewayName,
        args,
        certificateArn,
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
                listeners: gatewayListeners(args, certificateArn),
            },
        },
        { parent, dependsOn: [...dependsOn, lbConfig, gatewayClass] },
    );
    createHttpsRedirect(name, gatewayName, args, { parent, dependsOn: [gateway] });
    return gateway;
}

/** The ALB's configuration: internet-facing, HTTPS on `certificateArn` with the configured TLS policy, hardened attributes. */
function createLoadBalancerConfiguration(
    name: string,
    gatewayName: string,
    args: GatewayArgs,
    certificateArn: string,
    opts: pulumi.CustomResourceOptions,
): k8s.apiextensions.CustomResource {
    return new k8s.apiextensions.CustomResource(
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
        opts,
    );
}

/** The Gateway's listeners: HTTPS on `certificateArn` for the route namespaces' HTTPRoutes, and HTTP for the redirect only. */
function gatewayListeners(args: GatewayArgs, certificateArn: string): object[] {
    return [
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
    ];
}

/** The HTTP listener's only route: a permanent redirect to HTTPS. */
function createHttpsRedirect(
    name: string,
    gatewayName: string,
    args: GatewayArgs,
    opts: pulumi.CustomResourceOptions,
): void {
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
        opts,
    );
}
