import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PRIORITY_CLASSES } from "../../../../vocabulary/placement";
import { allowApiServer, allowPolicies } from "../../network-policies";
import {
    RESTRICTED_CONTAINER_SECURITY_CONTEXT,
    RESTRICTED_POD_SECURITY_CONTEXT,
    SYSTEM_NODE_SELECTOR,
    SYSTEM_TOLERATIONS,
} from "../../scheduling";
import {
    Addon,
    AddonDeclaration,
    AddonPlacement,
    ControllerSettings,
    controllerReplicas,
    controllerSettings,
    resourcesOf,
    WorkloadFootprint,
} from "../addon";
import { chartRelease, PinnedChart } from "../chart";

/** vertical-pod-autoscaler 0.11.0 (VPA 1.7.1): its CRDs are in the chart's crds/. */
export const VPA_CHART: PinnedChart = {
    chart: "vertical-pod-autoscaler",
    repo: "https://kubernetes.github.io/autoscaler",
    version: "0.11.0",
    checkedAgainst:
        "kubernetes/autoscaler vertical-pod-autoscaler/charts/vertical-pod-autoscaler values.yaml, crds/ and templates at vertical-pod-autoscaler-chart-0.11.0 (49ef1cb4, VPA 1.7.1); rendered with npm run render:addons",
    valuesKeys: [
        "podSecurityContext",
        "containerSecurityContext",
        "admissionController.enabled",
        "updater.enabled",
        "recommender.replicas",
        "recommender.podLabels",
        "recommender.resources",
        "recommender.nodeSelector",
        "recommender.tolerations",
        "recommender.podDisruptionBudget",
        "recommender.priorityClassName",
    ],
};

export const VPA: AddonDeclaration = {
    name: "vpa",
    description:
        "The Vertical Pod Autoscaler's recommender only: each service's VerticalPodAutoscaler (updateMode Off) records requests from real usage, which npm run rightsize turns into stack-file changes.",
    component: "vpa",
    namespace: { name: "vpa", podSecurity: "restricted" },
    charts: [VPA_CHART],
    // It reads usage from metrics.k8s.io.
    dependsOn: ["metrics-server"],
};

export const vpaFootprint = (config: { addons: { highAvailability: boolean } }): WorkloadFootprint[] => [
    {
        name: "vpa-recommender",
        replicas: controllerReplicas(config.addons.highAvailability),
        nodes: "system",
        resources: { requests: { cpu: "50m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
    },
];

export interface VpaArgs extends ControllerSettings, AddonPlacement {
    footprint: WorkloadFootprint[];
}

/**
 * The recommender alone: no admission controller or updater, so nothing ever changes a pod; it
 * reads usage through the API server (metrics.k8s.io) and writes recommendations into the
 * VerticalPodAutoscaler objects' status. Two replicas with leader election in HA stacks (a
 * disruption budget only then: with one replica it would block every drain).
 */
export class Vpa extends pulumi.ComponentResource {
    public readonly release: k8s.helm.v3.Release;

    constructor(name: string, args: VpaArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tacos:k8s:Vpa", name, {}, opts);
        allowPolicies(name, args.namespace, [allowApiServer(args.vpcCidr)], args.labels, { parent: this });
        this.release = chartRelease(
            `${name}-release`,
            {
                releaseName: "vpa",
                namespace: args.namespace,
                chart: VPA_CHART,
                values: {
                    podSecurityContext: { ...RESTRICTED_POD_SECURITY_CONTEXT, runAsUser: 65534 },
                    containerSecurityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
                    admissionController: { enabled: false },
                    updater: { enabled: false },
                    recommender: {
                        replicas: args.footprint[0].replicas,
                        podLabels: args.labels,
                        resources: resourcesOf(args.footprint, "vpa-recommender"),
                        nodeSelector: SYSTEM_NODE_SELECTOR,
                        tolerations: SYSTEM_TOLERATIONS,
                        podDisruptionBudget: args.highAvailability
                            ? { enabled: true, minAvailable: 1 }
                            : { enabled: false },
                        priorityClassName: PRIORITY_CLASSES.platform.name,
                    },
                },
            },
            { parent: this },
        );
        this.registerOutputs({ release: this.release, status: this.release.status });
    }
}

export const vpaAddon: Addon<Vpa> = {
    declaration: VPA,
    footprint: vpaFootprint,
    install: (ctx, opts) =>
        new Vpa(
            "vpa",
            {
                ...controllerSettings(ctx.config),
                namespace: ctx.namespace,
                labels: ctx.labels,
                footprint: vpaFootprint(ctx.config),
            },
            opts,
        ),
};
