import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { GatewayConfig } from "../config";
import { CHARTS, chartRelease, GATEWAY_API_CRDS } from "./charts";
import { allowApiServer, allowAwsApis, allowFromControlPlane, allowPolicy } from "./network-policies";
import { RESTRICTED_CONTAINER_SECURITY_CONTEXT, RESTRICTED_POD_SECURITY_CONTEXT, spreadAcrossZones, SYSTEM_NODE_SELECTOR, SYSTEM_TOLERATIONS } from "./scheduling";

/** The GatewayClass controller name of the AWS Load Balancer Controller's ALB (layer 7) implementation. */
export const ALB_GATEWAY_CONTROLLER = "gateway.k8s.aws/alb";

/** Names of the Gateway's listeners, for routes' `sectionName`. */
export const LISTENERS = { https: "https", http: "http" } as const;

export interface GatewayArgs {
    /** Namespace of the controller and the Gateway (from its NamespaceBaseline). */
    namespace: pulumi.Input<string>;
    clusterName: pulumi.Input<string>;
    region: string;
    vpcId: pulumi.Input<string>;
    vpcCidr: string;
    /** Service account whose Pod Identity association carries the controller's AWS role. */
    serviceAccount: string;
    /** Certificate, TLS policy and exposure of the Gateway. */
    gateway: GatewayConfig;
    /** Namespaces whose routes may attach to the HTTPS listener. */
    routeNamespaces: string[];
    /** Cost tags the controller puts on every AWS resource it creates. */
    tags: Record<string, string>;
    /** Labels of the Kubernetes objects (cost labels). */
    labels: Record<string, string>;
}

/**
 * The edge: the standard Gateway API CRDs (one owner, pinned), the AWS Load Balancer Controller
 * with Gateway API support, and, when exposed, a GatewayClass and an internet-facing Gateway
 * (an ALB) with an HTTPS listener on the configured ACM certificate and an HTTP listener whose
 * only route redirects to HTTPS. The Gateway depends on the controller, so that a destroy
 * deletes the Gateway (and the controller its load balancer) before the controller goes.
 */
export class Gateway extends pulumi.ComponentResource {
    /** The Gateway API CRDs; everything that uses them depends on this. */
    public readonly crds: pulumi.Resource;
    public readonly controller: k8s.helm.v3.Release;
    /** The Gateway, when exposed. */
    public readonly gateway?: k8s.apiextensions.CustomResource;
    /** `parentRefs` entry for an HTTPRoute on the HTTPS listener. */
    public readonly httpsParentRef: { name: string; namespace: pulumi.Input<string>; sectionName: string };

    constructor(name: string, args: GatewayArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tacos:k8s:Gateway", name, {}, opts);
        const gatewayName = "tacos";
        const controllerLabels = { "app.kubernetes.io/name": "aws-load-balancer-controller" };

        this.crds = new k8s.yaml.v2.ConfigFile(`${name}-gateway-api-crds`, { file: GATEWAY_API_CRDS.url }, { parent: this });

        for (const rule of [allowApiServer(args.vpcCidr, controllerLabels), allowAwsApis(controllerLabels), allowFromControlPlane(args.vpcCidr, [9443], controllerLabels)]) {
            allowPolicy(`${name}-controller-${rule.name}`, args.namespace, { ...rule, name: `controller-${rule.name}` }, args.labels, { parent: this });
        }

        // Values keys checked against the aws-load-balancer-controller chart's values.yaml for v2.6.1, not
        // 1.17.1 itself, which could not be fetched offline; test/chart-values.ts holds the list.
        this.controller = chartRelease(`${name}-aws-load-balancer-controller`, {
            releaseName: "aws-load-balancer-controller",
            namespace: args.namespace,
            chart: CHARTS.awsLoadBalancerController,
            values: {
                clusterName: args.clusterName,
                region: args.region,
                vpcId: args.vpcId,
                replicaCount: 2,
                serviceAccount: { create: true, name: args.serviceAccount },
                resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
                podSecurityContext: { ...RESTRICTED_POD_SECURITY_CONTEXT, fsGroup: 65534 },
                securityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
                nodeSelector: SYSTEM_NODE_SELECTOR,
                tolerations: SYSTEM_TOLERATIONS,
                topologySpreadConstraints: spreadAcrossZones(controllerLabels),
                podDisruptionBudget: { maxUnavailable: 1 },
                podLabels: args.labels,
                defaultTags: args.tags,
                defaultTargetType: "ip",
                createIngressClassResource: false,
                enableServiceMutatorWebhook: false,
                controllerConfig: { featureGates: { ALBGatewayAPI: true, NLBGatewayAPI: false } },
            },
        }, { parent: this, dependsOn: [this.crds] });

        this.httpsParentRef = { name: gatewayName, namespace: args.namespace, sectionName: LISTENERS.https };
        if (args.gateway.exposed) {
            this.gateway = this.createGateway(name, gatewayName, args);
        }
        this.registerOutputs({ controller: this.controller.status });
    }

    private createGateway(name: string, gatewayName: string, args: GatewayArgs): k8s.apiextensions.CustomResource {
        const afterController = { parent: this, dependsOn: [this.crds, this.controller] };
        const lbConfig = new k8s.apiextensions.CustomResource(`${name}-alb-config`, {
            apiVersion: "gateway.k8s.aws/v1beta1",
            kind: "LoadBalancerConfiguration",
            metadata: { name: gatewayName, namespace: args.namespace, labels: args.labels },
            spec: {
                scheme: "internet-facing",
                ipAddressType: "ipv4",
                listenerConfigurations: [{
                    protocolPort: "HTTPS:443",
                    defaultCertificate: args.gateway.certificateArn,
                    sslPolicy: args.gateway.sslPolicy,
                }],
                loadBalancerAttributes: [
                    { key: "routing.http.drop_invalid_header_fields.enabled", value: "true" },
                    { key: "idle_timeout.timeout_seconds", value: "60" },
                ],
                tags: args.tags,
            },
        }, afterController);
        const gatewayClass = new k8s.apiextensions.CustomResource(`${name}-class`, {
            apiVersion: "gateway.networking.k8s.io/v1",
            kind: "GatewayClass",
            metadata: { name: "tacos-alb", labels: args.labels },
            spec: { controllerName: ALB_GATEWAY_CONTROLLER, description: "Internet-facing ALB managed by the AWS Load Balancer Controller" },
        }, afterController);
        const gateway = new k8s.apiextensions.CustomResource(`${name}-gateway`, {
            apiVersion: "gateway.networking.k8s.io/v1",
            kind: "Gateway",
            metadata: { name: gatewayName, namespace: args.namespace, labels: args.labels },
            spec: {
                gatewayClassName: gatewayClass.metadata.name,
                infrastructure: {
                    parametersRef: { group: "gateway.k8s.aws", kind: "LoadBalancerConfiguration", name: lbConfig.metadata.name },
                },
                listeners: [
                    {
                        name: LISTENERS.https,
                        protocol: "HTTPS",
                        port: 443,
                        // The ALB terminates TLS with the ACM certificate of the LoadBalancerConfiguration.
                        tls: { mode: "Terminate", options: { "gateway.k8s.aws/certificate-arn": args.gateway.certificateArn! } },
                        allowedRoutes: {
                            kinds: [{ kind: "HTTPRoute" }],
                            namespaces: {
                                from: "Selector",
                                selector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: args.routeNamespaces }] },
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
        }, { parent: this, dependsOn: [this.crds, this.controller, lbConfig, gatewayClass] });
        new k8s.apiextensions.CustomResource(`${name}-https-redirect`, {
            apiVersion: "gateway.networking.k8s.io/v1",
            kind: "HTTPRoute",
            metadata: { name: "https-redirect", namespace: args.namespace, labels: args.labels },
            spec: {
                parentRefs: [{ name: gatewayName, sectionName: LISTENERS.http }],
                rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }],
            },
        }, { parent: this, dependsOn: [gateway] });
        return gateway;
    }
}
