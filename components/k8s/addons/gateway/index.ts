import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { allowPolicies } from "../../network-policies";
import { Addon, AddonDeclaration, onSystemNodes } from "../addon";
import { chartRelease, PinnedChart } from "../chart";
import { createEdge, LISTENERS } from "./edge";
import type { GatewayOutputs, GatewayParentRef } from "./facts";
import { loadBalancerControllerStatements } from "./iam";
import { controllerAllowRules } from "./network";
import { LOAD_BALANCER_CONTROLLER_MANAGES } from "./teardown";
import { GatewayArgs, gatewaySettings } from "./settings";
import {
    CONTROLLER_REPLICAS,
    CONTROLLER_RESOURCES,
    CONTROLLER_SERVICE_ACCOUNT,
    loadBalancerControllerValues,
} from "./values";

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
    teardown: {
        controller: { helmChart: LOAD_BALANCER_CONTROLLER_CHART.chart },
        manages: LOAD_BALANCER_CONTROLLER_MANAGES,
    },
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

        allowPolicies(
            name,
            args.namespace,
            controllerAllowRules(args).map((rule) => ({ ...rule, name: `controller-${rule.name}` })),
            args.labels,
            { parent: this },
        );

        this.controller = chartRelease(
            `${name}-aws-load-balancer-controller`,
            {
                releaseName: "aws-load-balancer-controller",
                namespace: args.namespace,
                chart: LOAD_BALANCER_CONTROLLER_CHART,
                values: loadBalancerControllerValues(args),
                skipCrds: true,
            },
            { parent: this, dependsOn: this.crds },
        );

        if (args.gateway.exposed) {
            this.gateway = createEdge(this, name, gatewayName, args, [...this.crds, this.controller]);
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
