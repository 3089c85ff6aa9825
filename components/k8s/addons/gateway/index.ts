import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PRIORITY_CLASSES } from "../../../../vocabulary/placement";
import type { GatewayConfig, StackConfig } from "../../../config";
import { allowApiServer, allowAwsApis, allowFromControlPlane, allowPolicies } from "../../network-policies";
import {
    RESTRICTED_CONTAINER_SECURITY_CONTEXT,
    RESTRICTED_POD_SECURITY_CONTEXT,
    spreadAcrossZones,
    SYSTEM_NODE_SELECTOR,
    SYSTEM_TOLERATIONS,
} from "../../scheduling";
import { Addon, AddonDeclaration, onSystemNodes } from "../addon";
import { chartRelease, PinnedChart } from "../chart";
import type { GatewayOutputs, GatewayParentRef } from "./facts";
import { loadBalancerControllerStatements } from "./iam";

/**
 * AWS Load Balancer Controller v3.5.0 (built for Gateway API v1.6; Gateway API support is for
 * production from 3.0, whose release notes drop 2.x's warning).
 */
export const LOAD_BALANCER_CONTROLLER_CHART: PinnedChart = {
    chart: "aws-load-balancer-controller",
    repo: "https://aws.github.io/eks-charts",
    version: "3.5.0",
    checkedAgainst:
        "aws/eks-charts stable/aws-load-balancer-controller/values.yaml and templates at chart 3.5.0 (commit 5239609), and the controller's feature gates at v3.5.0",
    valuesKeys: [
        "clusterName",
        "region",
        "vpcId",
        "replicaCount",
        "serviceAccount.create",
        "serviceAccount.name",
        "resources",
        "podSecurityContext",
        "securityContext",
        "nodeSelector",
        "tolerations",
        "topologySpreadConstraints",
        "podDisruptionBudget",
        "podLabels",
        "defaultTags",
        "defaultTargetType",
        "createIngressClassResource",
        "enableServiceMutatorWebhook",
        "keepTLSSecret",
        "priorityClassName",
        "controllerConfig.featureGates",
        "serviceMonitor.enabled",
    ],
};

/** The standard-channel Gateway API CRDs, one release bundle at a pinned version. */
export const GATEWAY_API_CRDS = {
    version: "v1.6.1",
    url: "https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.6.1/standard-install.yaml",
} as const;

/**
 * The controller's own CRDs at its version: gateway.k8s.aws (LoadBalancerConfiguration,
 * TargetGroupConfiguration, ListenerRuleConfiguration; v1 from 3.x) and elbv2.k8s.aws. Applied
 * here, not from the chart's `crds/`, because Helm never upgrades those: an upgrade from 2.x would
 * keep v1beta1-only gateway CRDs, and 3.x then turns its ALB Gateway support off at start.
 */
export const LOAD_BALANCER_CONTROLLER_CRDS = [
    "https://raw.githubusercontent.com/kubernetes-sigs/aws-load-balancer-controller/v3.5.0/config/crd/gateway/gateway-crds.yaml",
    "https://raw.githubusercontent.com/kubernetes-sigs/aws-load-balancer-controller/v3.5.0/helm/aws-load-balancer-controller/crds/crds.yaml",
] as const;

/**
 * Every Gateway feature gate set explicitly: from v3.2.0 the controller probes for CRDs at start
 * and may switch a gate off unless all three are set.
 */
const FEATURE_GATES = { ALBGatewayAPI: true, NLBGatewayAPI: false, GatewayListenerSet: false };

/** The controller manages the Gateway's load balancer through its Pod Identity. */
const CONTROLLER_SERVICE_ACCOUNT = "aws-load-balancer-controller";

export const GATEWAY: AddonDeclaration = {
    name: "gateway",
    description:
        "The edge: Gateway API CRDs, the AWS Load Balancer Controller and the internet-facing HTTPS Gateway (an ALB).",
    component: "gateway",
    namespace: { name: "gateway", podSecurity: "restricted" },
    charts: [LOAD_BALANCER_CONTROLLER_CHART],
    identity: {
        key: "aws-load-balancer-controller",
        serviceAccount: CONTROLLER_SERVICE_ACCOUNT,
        statements: loadBalancerControllerStatements,
    },
    // The controller's ServiceMonitor (and the metrics Service the chart renders only with it) needs the Prometheus Operator's CRDs.
    dependsOn: ["monitoring"],
    metricsPorts: [8080],
};

/** The GatewayClass controller name of the AWS Load Balancer Controller's ALB (layer 7) implementation. */
export const ALB_GATEWAY_CONTROLLER = "gateway.k8s.aws/alb";

/** Names of the Gateway's listeners, for routes' `sectionName`. */
export const LISTENERS = { https: "https", http: "http" } as const;

/** The edge's settings, read from the stack config. */
export interface GatewaySettings {
    region: string;
    vpcCidr: string;
    /** Certificate, TLS policy and exposure of the Gateway. */
    gateway: GatewayConfig;
}

export const gatewaySettings = (config: StackConfig): GatewaySettings => ({
    region: config.region,
    vpcCidr: config.network.cidr,
    gateway: config.gateway,
});

export interface GatewayArgs extends GatewaySettings {
    /** Namespace of the controller and the Gateway (from its NamespaceBaseline). */
    namespace: pulumi.Input<string>;
    clusterName: pulumi.Input<string>;
    vpcId: pulumi.Input<string>;
    /** Namespaces whose routes may attach to the HTTPS listener. */
    routeNamespaces: string[];
    /** Cost tags the controller puts on every AWS resource it creates. */
    tags: Record<string, string>;
    /** Labels of the Kubernetes objects (cost labels). */
    labels: Record<string, string>;
}

/** The load balancer controller: two replicas in every stack (the Gateway's ALB is the one way in), across zones. */
const CONTROLLER_REPLICAS = 2;
const CONTROLLER_RESOURCES = {
    requests: { cpu: "100m", memory: "256Mi" },
    limits: { cpu: "500m", memory: "512Mi" },
};

/**
 * The edge: the standard Gateway API CRDs (one owner, pinned), the AWS Load Balancer Controller
 * with Gateway API support, and, when exposed, a GatewayClass and an internet-facing Gateway
 * (an ALB) with an HTTPS listener on the configured ACM certificate and an HTTP listener whose
 * only route redirects to HTTPS. The Gateway depends on the controller, so that a destroy
 * deletes the Gateway (and the controller its load balancer) before the controller goes.
 */
export class Gateway extends pulumi.ComponentResource implements GatewayOutputs {
    /** The Gateway API CRDs and the controller's; everything that uses them depends on this. */
    public readonly crds: pulumi.Resource[];
    public readonly controller: k8s.helm.v3.Release;
    /** The Gateway, when exposed. */
    public readonly gateway?: k8s.apiextensions.CustomResource;
    /** `parentRefs` entry for an HTTPRoute on the HTTPS listener; none when nothing is exposed. */
    public readonly httpsParentRef?: GatewayParentRef;

    constructor(name: string, args: GatewayArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tacos:k8s:Gateway", name, {}, opts);
        const gatewayName = "tacos";
        const controllerLabels = { "app.kubernetes.io/name": "aws-load-balancer-controller" };

        const gatewayApiCrds = new k8s.yaml.v2.ConfigFile(
            `${name}-gateway-api-crds`,
            { file: GATEWAY_API_CRDS.url },
            { parent: this },
        );
        const controllerCrds = LOAD_BALANCER_CONTROLLER_CRDS.map(
            (file, i) =>
                new k8s.yaml.v2.ConfigFile(
                    `${name}-controller-crds-${i}`,
                    { file },
                    { parent: this, dependsOn: [gatewayApiCrds] },
                ),
        );
        this.crds = [gatewayApiCrds, ...controllerCrds];

        const controllerRules = [
            allowApiServer(args.vpcCidr, controllerLabels),
            allowAwsApis(controllerLabels),
            allowFromControlPlane(args.vpcCidr, [9443], controllerLabels),
        ];
        allowPolicies(
            name,
            args.namespace,
            controllerRules.map((rule) => ({ ...rule, name: `controller-${rule.name}` })),
            args.labels,
            { parent: this },
        );

        this.controller = chartRelease(
            `${name}-aws-load-balancer-controller`,
            {
                releaseName: "aws-load-balancer-controller",
                namespace: args.namespace,
                chart: LOAD_BALANCER_CONTROLLER_CHART,
                values: {
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
                    topologySpreadConstraints: spreadAcrossZones(controllerLabels),
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
                },
                skipCrds: true,
            },
            { parent: this, dependsOn: this.crds },
        );

        if (args.gateway.exposed) {
            this.gateway = this.createGateway(name, gatewayName, args);
            this.httpsParentRef = {
                name: gatewayName,
                namespace: args.namespace,
                sectionName: LISTENERS.https,
            };
        }
        this.registerOutputs({
            crds: this.crds,
            controller: this.controller,
            gateway: this.gateway,
            httpsParentRef: this.httpsParentRef,
        });
    }

    private createGateway(
        name: string,
        gatewayName: string,
        args: GatewayArgs,
    ): k8s.apiextensions.CustomResource {
        const certificateArn = args.gateway.certificateArn;
        if (certificateArn === undefined) {
            throw new pulumi.ResourceError(
                "an exposed Gateway needs gateway.certificateArn for its HTTPS listener",
                this,
            );
        }
        const afterController = { parent: this, dependsOn: [...this.crds, this.controller] };
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
            { parent: this, dependsOn: [...this.crds, this.controller, lbConfig, gatewayClass] },
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
            { parent: this, dependsOn: [gateway] },
        );
        return gateway;
    }
}

export const gatewayAddon: Addon<Gateway> = {
    declaration: GATEWAY,
    footprint: () => [
        onSystemNodes("aws-load-balancer-controller", CONTROLLER_REPLICAS, CONTROLLER_RESOURCES),
    ],
    install: (ctx, opts) =>
        new Gateway(
            "gateway",
            {
                ...gatewaySettings(ctx.config),
                namespace: ctx.namespace,
                clusterName: ctx.clusterName,
                vpcId: ctx.vpcId,
                routeNamespaces: ctx.routeNamespaces,
                tags: ctx.tags,
                labels: ctx.labels,
            },
            opts,
        ),
};
