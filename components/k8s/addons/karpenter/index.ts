/**
 * Karpenter 1.14.1: nodes for the applications that follow their pods. The controller runs on the
 * system managed node group (two replicas across zones in HA stacks); its CRDs come from the
 * karpenter-crd chart at the same version, so that an upgrade upgrades them (Helm never upgrades a
 * chart's crds/ folder). One EC2NodeClass (AL2023 arm64 at the pinned release, IMDSv2 with hop
 * limit 1, encrypted gp3, subnets and security group by discovery tag, every cost tag) and one
 * NodePool per configured pool: Graviton types, capacity types and weight, limits, consolidation,
 * disruption budgets that hold still during the stack's peak window, a maximum node lifetime.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MESH_STARTUP_TAINT, NODE_GROUP_LABEL } from "../../../../vocabulary/placement";
import { amiAlias, KubernetesVersion } from "../../../../vocabulary/versions";
import type { KarpenterConfig } from "../../../config";
import { allowApiServer, allowAwsApis, allowPolicies } from "../../network-policies";
import { SYSTEM_NODE_SELECTOR, SYSTEM_TOLERATIONS } from "../../scheduling";
import {
    Addon,
    AddonDeclaration,
    AddonPlacement,
    ControllerSettings,
    controllerReplicas,
    controllerSettings,
    onSystemNodes,
    requireFact,
    WorkloadFootprint,
} from "../addon";
import { chartRelease, PinnedChart } from "../chart";
import { KARPENTER_AWS, KarpenterAwsFacts } from "./facts";
import { karpenterControllerStatements } from "./iam";
import { KARPENTER_MANAGES } from "./teardown";
import { criticalPodsQuota, KARPENTER_PRIORITY_CLASS } from "./priority";

const CHECKED =
    "aws/karpenter-provider-aws charts/karpenter and charts/karpenter-crd at the v1.14.1 tag (bde00654c), which the release packs as chart 1.14.1 (hack/release/common.sh sets version, appVersion and the controller image; the tag's Chart.yaml still says 1.13.0), and its CRDs; rendered with npm run render:addons";
const REPOSITORY = "oci://public.ecr.aws/karpenter";

/** The CRDs (NodePool, NodeClaim, EC2NodeClass, NodeOverlay, CapacityBuffer), as a chart of their own so that upgrades reach them. */
export const KARPENTER_CRD_CHART: PinnedChart = {
    chart: "karpenter-crd",
    repo: REPOSITORY,
    version: "1.14.1",
    checkedAgainst: CHECKED,
    valuesKeys: [],
};

export const KARPENTER_CHART: PinnedChart = {
    chart: "karpenter",
    repo: REPOSITORY,
    version: "1.14.1",
    checkedAgainst: CHECKED,
    valuesKeys: [
        "serviceMonitor.enabled",
        "replicas",
        "serviceAccount.create",
        "serviceAccount.name",
        "priorityClassName",
        "nodeSelector",
        "tolerations",
        "podLabels",
        "controller.resources",
        "logLevel",
        "settings.clusterName",
        "settings.interruptionQueue",
        "settings.eksControlPlane",
    ],
};

/** The controller's service account, matching its Pod Identity association. */
const SERVICE_ACCOUNT = "karpenter";

export const KARPENTER: AddonDeclaration = {
    name: "karpenter",
    description:
        "Application nodes that follow the pods: NodePools on Graviton spot and on-demand, consolidated, interruption-aware.",
    component: "karpenter",
    namespace: { name: "karpenter", podSecurity: "restricted" },
    charts: [KARPENTER_CRD_CHART, KARPENTER_CHART],
    identity: {
        key: "karpenter",
        serviceAccount: SERVICE_ACCOUNT,
        statements: (aws, facts) =>
            karpenterControllerStatements(aws, requireFact(facts, KARPENTER_AWS, "karpenter")),
    },
    // Its ServiceMonitor needs the Prometheus Operator's CRDs.
    dependsOn: ["monitoring"],
    metricsPorts: [8080],
    teardown: { controller: { helmChart: KARPENTER_CHART.chart }, manages: KARPENTER_MANAGES },
};

/** The one EC2NodeClass every application NodePool launches from. */
export const NODE_CLASS_NAME = "apps";

export interface KarpenterArgs extends ControllerSettings, AddonPlacement {
    clusterName: pulumi.Input<string>;
    kubernetesVersion: KubernetesVersion;
    zones: string[];
    karpenter: KarpenterConfig;
    /** The node role and interruption queue by name, and the discovery tag. */
    aws: Pick<KarpenterAwsFacts, "nodeRoleName" | "interruptionQueueName" | "discoveryTag">;
    /** Cost tags of the nodes, their volumes and network interfaces. */
    nodeTags: Record<string, string>;
}

/** The EC2NodeClass's spec: AL2023 arm64 pinned, IMDSv2 hop 1, encrypted gp3 root, discovery by tag, cost tags. */
export function nodeClassSpec(
    args: Pick<KarpenterArgs, "kubernetesVersion" | "karpenter" | "aws" | "nodeTags">,
) {
    const byTag = [{ tags: { [args.aws.discoveryTag.key]: args.aws.discoveryTag.value } }];
    return {
        role: args.aws.nodeRoleName,
        amiSelectorTerms: [{ alias: amiAlias(args.kubernetesVersion) }],
        subnetSelectorTerms: byTag,
        securityGroupSelectorTerms: byTag,
        // Hop limit 1: pods cannot reach the node's role through IMDS; they use Pod Identity.
        metadataOptions: {
            httpEndpoint: "enabled",
            httpProtocolIPv6: "disabled",
            httpPutResponseHopLimit: 1,
            httpTokens: "required",
        },
        blockDeviceMappings: [
            {
                deviceName: "/dev/xvda",
                rootVolume: true,
                ebs: {
                    volumeSize: `${args.karpenter.rootVolumeGiB}Gi`,
                    volumeType: "gp3",
                    encrypted: true,
                    deleteOnTermination: true,
                },
            },
        ],
        tags: args.nodeTags,
    };
}

/** One NodePool's spec from its config: requirements, limits, weight, disruption. */
export function nodePoolSpec(pool: string, args: Pick<KarpenterArgs, "karpenter" | "zones">) {
    const cfg = args.karpenter.nodePools[pool];
    const k = args.karpenter;
    return {
        weight: cfg.weight,
        template: {
            metadata: { labels: { [NODE_GROUP_LABEL]: pool } },
            spec: {
                nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: NODE_CLASS_NAME },
                requirements: [
                    { key: "kubernetes.io/arch", operator: "In", values: ["arm64"] },
                    { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
                    { key: "karpenter.sh/capacity-type", operator: "In", values: cfg.capacityTypes },
                    { key: "node.kubernetes.io/instance-type", operator: "In", values: cfg.instanceTypes },
                    { key: "topology.kubernetes.io/zone", operator: "In", values: args.zones },
                ],
                // Lifted by istiod once the node's CNI agent is Ready: no pod starts there outside the mesh.
                startupTaints: [MESH_STARTUP_TAINT],
                expireAfter: k.expireAfter,
                terminationGracePeriod: k.terminationGracePeriod,
            },
        },
        limits: { cpu: String(cfg.limits.cpu), memory: `${cfg.limits.memoryGiB}Gi` },
        disruption: {
            consolidationPolicy: "WhenEmptyOrUnderutilized",
            consolidateAfter: k.consolidateAfter,
            budgets: [
                { nodes: k.disruptionBudget },
                // No voluntary disruption (drift, consolidation, emptiness) while the peak lasts.
                ...(k.peakWindow
                    ? [{ nodes: "0", schedule: k.peakWindow.schedule, duration: k.peakWindow.duration }]
                    : []),
            ],
        },
    };
}

const CONTROLLER_RESOURCES = {
    requests: { cpu: "500m", memory: "1Gi" },
    limits: { cpu: "1", memory: "1Gi" },
};

export const karpenterFootprint = (config: {
    addons: { highAvailability: boolean };
}): WorkloadFootprint[] => [
    onSystemNodes("karpenter", controllerReplicas(config.addons.highAvailability), CONTROLLER_RESOURCES),
];

export class Karpenter extends pulumi.ComponentResource {
    public readonly release: k8s.helm.v3.Release;
    public readonly nodePools: Record<string, k8s.apiextensions.CustomResource>;

    constructor(name: string, args: KarpenterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tacos:k8s:Karpenter", name, {}, opts);
        allowPolicies(name, args.namespace, [allowApiServer(args.vpcCidr), allowAwsApis()], args.labels, {
            parent: this,
        });
        const replicas = controllerReplicas(args.highAvailability);
        const quota = criticalPodsQuota(`${name}-critical-pods`, { ...args, replicas }, { parent: this });

        const crds = chartRelease(
            `${name}-crd`,
            {
                releaseName: "karpenter-crd",
                namespace: args.namespace,
                chart: KARPENTER_CRD_CHART,
                values: {},
            },
            { parent: this },
        );
        this.release = chartRelease(
            `${name}-release`,
            {
                releaseName: "karpenter",
                namespace: args.namespace,
                chart: KARPENTER_CHART,
                skipCrds: true,
                values: {
                    // The chart keeps replicas on distinct nodes and zones (required anti-affinity, zone spread) and off Karpenter's own nodes.
                    replicas,
                    serviceAccount: { create: true, name: SERVICE_ACCOUNT },
                    priorityClassName: KARPENTER_PRIORITY_CLASS,
                    nodeSelector: { "kubernetes.io/os": "linux", ...SYSTEM_NODE_SELECTOR },
                    tolerations: SYSTEM_TOLERATIONS,
                    podLabels: args.labels,
                    controller: { resources: CONTROLLER_RESOURCES },
                    logLevel: "info",
                    serviceMonitor: { enabled: true },
                    settings: {
                        clusterName: args.clusterName,
                        interruptionQueue: args.aws.interruptionQueueName,
                        // Version and endpoint from DescribeCluster (its policy allows exactly that call).
                        eksControlPlane: true,
                    },
                },
            },
            { parent: this, dependsOn: [crds, quota] },
        );

        const nodeClass = new k8s.apiextensions.CustomResource(
            `${name}-nodeclass`,
            {
                apiVersion: "karpenter.k8s.aws/v1",
                kind: "EC2NodeClass",
                metadata: { name: NODE_CLASS_NAME, labels: args.labels },
                spec: nodeClassSpec(args),
            },
            { parent: this, dependsOn: [crds, this.release] },
        );
        this.nodePools = Object.fromEntries(
            Object.keys(args.karpenter.nodePools).map((pool) => [
                pool,
                new k8s.apiextensions.CustomResource(
                    `${name}-nodepool-${pool}`,
                    {
                        apiVersion: "karpenter.sh/v1",
                        kind: "NodePool",
                        metadata: { name: pool, labels: args.labels },
                        spec: nodePoolSpec(pool, args),
                    },
                    { parent: this, dependsOn: [crds, this.release, nodeClass] },
                ),
            ]),
        );
        this.registerOutputs({ release: this.release, status: this.release.status });
    }
}

export const karpenterAddon: Addon<Karpenter> = {
    declaration: KARPENTER,
    footprint: karpenterFootprint,
    install: (ctx, opts) => {
        const aws = requireFact(ctx.facts, KARPENTER_AWS, "karpenter");
        return new Karpenter(
            "karpenter",
            {
                ...controllerSettings(ctx.config),
                namespace: ctx.namespace,
                labels: ctx.labels,
                clusterName: ctx.clusterName,
                kubernetesVersion: ctx.config.cluster.kubernetesVersion,
                zones: ctx.config.network.zones.map((z) => z.name),
                karpenter: ctx.config.karpenter,
                aws: {
                    nodeRoleName: aws.nodeRoleName,
                    interruptionQueueName: aws.interruptionQueueName,
                    discoveryTag: aws.discoveryTag,
                },
                nodeTags: ctx.nodeTags,
            },
            opts,
        );
    },
};
