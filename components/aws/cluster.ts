import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as pulumi from "@pulumi/pulumi";
import {
    MESH_STARTUP_TOLERATIONS,
    SERVICE_CIDR,
    SYSTEM_NODE_SELECTOR,
    SYSTEM_TOLERATIONS,
} from "../../vocabulary/placement";
import { CONTROL_PLANE_LOG_TYPES } from "../../vocabulary/versions";
import type { ClusterConfig, ProtectionConfig, Tags } from "../config";
import { type CostTags, costTags } from "../tags";
import { clusterChildren } from "./eks-children";
import { createKmsKey } from "./kms";
import { createNodeGroup, createNodeRole } from "./node-groups";
import { createServiceRole, type ServiceRole } from "./service-role";

const ACCESS_POLICY = (name: string) => `arn:aws:eks::aws:cluster-access-policy/${name}`;

/**
 * Who reaches the Kubernetes API, each with an access entry of its own (one per principal; the
 * creator gets none implicitly): the admin and the deploy role administer the cluster (CRDs,
 * cluster roles, webhooks); the preview role, which runs a pull request's code, reads objects but
 * no Secrets and writes nothing. Pulumi's preview does without more: Helm releases render
 * client-side, and a dry-run the API server forbids falls back to a client-side diff.
 */
export const CLUSTER_ACCESS = {
    admin: { configKey: "adminRoleArn", policyArn: ACCESS_POLICY("AmazonEKSClusterAdminPolicy") },
    deploy: { configKey: "deployRoleArn", policyArn: ACCESS_POLICY("AmazonEKSClusterAdminPolicy") },
    preview: { configKey: "previewRoleArn", policyArn: ACCESS_POLICY("AmazonEKSViewPolicy") },
} as const;

export interface ClusterArgs {
    /** Name of the EKS cluster in AWS. */
    clusterName: string;
    region: string;
    /** The stack's VPC (without it, the component looks up the account's default VPC). */
    vpcId: pulumi.Input<string>;
    /** Private subnets: control-plane ENIs and every node. */
    privateSubnetIds: pulumi.Input<string>[];
    /** Kubernetes version, endpoint access, principals, add-ons and node groups. */
    cluster: ClusterConfig;
    /** Protection of the cluster and its KMS key against deletion. */
    protection: ProtectionConfig;
    /** Base cost tags of the stack. */
    tags: Tags;
}

/**
 * The EKS cluster, an `@pulumi/eks` `Cluster` with no default node group: pinned version on
 * standard support (never billed as extended), API authentication with an explicit access entry
 * per principal and none for the creator, envelope encryption of secrets with a rotating KMS key,
 * every control-plane log type, private endpoint access, the managed add-ons at pinned versions
 * (VPC CNI with network policy enforcement, kube-proxy, CoreDNS, the Pod Identity agent) and the
 * managed node groups (`@pulumi/eks` `ManagedNodeGroup`s on our launch templates).
 */
export class Cluster extends pulumi.ComponentResource {
    public readonly clusterName: pulumi.Output<string>;
    public readonly clusterArn: pulumi.Output<string>;
    /** Kubeconfig as a JSON string (the component's: token from `aws eks get-token`), marked secret. */
    public readonly kubeconfig: pulumi.Output<string>;
    /** The security group EKS attaches to the control plane and to managed nodes. */
    public readonly clusterSecurityGroupId: pulumi.Output<string>;
    public readonly nodeRoleArn: pulumi.Output<string>;
    public readonly nodeGroupNames: Record<string, pulumi.Output<string>>;
    /** The node groups; workloads that must schedule at once depend on them. */
    public readonly nodeGroups: eks.ManagedNodeGroup[];
    /** The Pod Identity agent add-on; associations are usable once it runs. */
    public readonly podIdentityAgent: aws.eks.Addon;
    /** CoreDNS; charts whose hooks resolve names install after it. */
    public readonly coreDns: aws.eks.Addon;
    /**
     * What the Kubernetes provider waits for before using the principals' access: the component,
     * whose construction ends once its access entries and policy associations exist.
     */
    public readonly access: pulumi.Resource[];

    constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tacos:aws:Cluster", name, {}, opts);
        const { cluster: cfg } = args;
        const tags = costTags(args.tags, { component: "cluster" });

        const cluster = this.createControlPlane(name, args, tags);
        this.clusterName = cluster.eksCluster.name;
        this.clusterArn = cluster.eksCluster.arn;
        this.clusterSecurityGroupId = cluster.clusterSecurityGroupId;
        this.kubeconfig = pulumi.secret(cluster.kubeconfigJson);
        this.access = [cluster];

        // Nodes join only once pod networking exists; CoreDNS and the agent then schedule on them.
        const networking = [
            this.createManagedAddon(name, tags, "vpc-cni", cfg.addons.vpcCni, {
                configurationValues: JSON.stringify({ enableNetworkPolicy: "true" }),
            }),
            this.createManagedAddon(name, tags, "kube-proxy", cfg.addons.kubeProxy),
        ];

        const nodeRole = createNodeRole(
            `${name}-node`,
            `Managed node groups of ${args.clusterName}`,
            tags,
            this,
        );
        this.nodeRoleArn = nodeRole.role.arn;
        this.nodeGroups = Object.entries(cfg.nodeGroups).map(([groupName, group]) =>
            createNodeGroup(
                `${name}-${groupName}`,
                groupName,
                group,
                {
                    cluster,
                    version: cfg.kubernetesVersion,
                    nodeRoleArn: nodeRole.role.arn,
                    subnetIds: args.privateSubnetIds,
                    baseTags: args.tags,
                },
                { parent: this, dependsOn: [...nodeRole.permissions, ...networking] },
            ),
        );
        this.nodeGroupNames = Object.fromEntries(
            Object.keys(cfg.nodeGroups).map((groupName, i) => [
                groupName,
                this.nodeGroups[i].nodeGroup.nodeGroupName,
            ]),
        );

        // Cluster DNS on the system nodes (on-demand, tainted for platform pods), never on spot.
        this.coreDns = this.createManagedAddon(
            name,
            tags,
            "coredns",
            cfg.addons.coreDns,
            {
                // Up before the mesh's node agents, which install after it: it tolerates the startup taint.
                configurationValues: JSON.stringify({
                    nodeSelector: SYSTEM_NODE_SELECTOR,
                    tolerations: [...SYSTEM_TOLERATIONS, ...MESH_STARTUP_TOLERATIONS],
                }),
            },
            this.nodeGroups,
        );
        this.podIdentityAgent = this.createManagedAddon(
            name,
            tags,
            "eks-pod-identity-agent",
            cfg.addons.podIdentityAgent,
            {},
            this.nodeGroups,
        );

        this.registerOutputs({
            clusterName: this.clusterName,
            clusterArn: this.clusterArn,
            kubeconfig: this.kubeconfig,
            clusterSecurityGroupId: this.clusterSecurityGroupId,
            nodeRoleArn: this.nodeRoleArn,
            nodeGroupNames: this.nodeGroupNames,
        });
    }

    /**
     * The control plane: its secrets' encryption key, its log group (made ahead of the cluster so that
     * retention and tags are ours, not EKS's defaults), its role, and the `@pulumi/eks` cluster with
     * an access entry per principal. Every default of the component that would add something is
     * turned off (pulumi/pulumi-eks nodejs/eks/cluster/cluster.ts at v4.3.0): no default node group
     * or instance role, no security groups of its own (EKS's cluster security group is the one
     * nodes, Karpenter's nodes and Redis' clients share), no OIDC provider (workloads use Pod
     * Identity), no aws-auth ConfigMap (API authentication only), no storage classes, and none of
     * its own VPC CNI, kube-proxy or CoreDNS add-ons (ours are pinned and ordered below).
     */
    private createControlPlane(name: string, args: ClusterArgs, tags: CostTags): eks.Cluster {
        const { cluster: cfg, protection } = args;
        const secretsKey = createKmsKey(
            `${name}-secrets`,
            {
                description: `Envelope encryption of Kubernetes secrets in ${args.clusterName}`,
                alias: `${args.clusterName}-eks-secrets`,
                tags,
                protection,
            },
            this,
        );
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-control-plane`,
            {
                name: `/aws/eks/${args.clusterName}/cluster`,
                retentionInDays: cfg.logRetentionDays,
                tags,
            },
            { parent: this },
        );
        const controlPlane = this.createControlPlaneRole(name, args.clusterName, tags);
        return new eks.Cluster(
            `${name}-eks`,
            {
                name: args.clusterName,
                version: cfg.kubernetesVersion,
                serviceRole: controlPlane.role,
                vpcId: args.vpcId,
                privateSubnetIds: args.privateSubnetIds,
                endpointPrivateAccess: true,
                endpointPublicAccess: cfg.endpoint.publicAccess,
                publicAccessCidrs: cfg.endpoint.publicAccess ? cfg.endpoint.publicAccessCidrs : undefined,
                // The creator's implied admin entry the component asks for is removed by clusterChildren.
                authenticationMode: eks.AuthenticationMode.Api,
                accessEntries: accessEntries(cfg, tags),
                // Standard support only: a version past it is upgraded, never billed as extended support.
                upgradePolicy: { supportType: "STANDARD" },
                // The managed add-ons replace the self-managed defaults.
                bootstrapSelfManagedAddons: false,
                encryptionConfigKeyArn: secretsKey.arn,
                enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
                kubernetesServiceIpAddressRange: SERVICE_CIDR,
                ipFamily: "ipv4",
                deletionProtection: protection.deletionProtection,
                skipDefaultNodeGroup: true,
                createInstanceRole: false,
                skipDefaultSecurityGroups: true,
                createOidcProvider: false,
                useDefaultVpcCni: true,
                kubeProxyAddonOptions: { enabled: false },
                corednsAddonOptions: { enabled: false },
                tags,
            },
            {
                parent: this,
                dependsOn: [logGroup, ...controlPlane.permissions],
                // Protects the cluster's AWS resource only: on the component, `protect` reaches every child.
                transforms: [clusterChildren(protection.protectStatefulResources)],
            },
        );
    }

    /** The role the EKS control plane assumes, with AWS's cluster policy attached. */
    private createControlPlaneRole(name: string, clusterName: string, tags: CostTags): ServiceRole {
        return createServiceRole(
            `${name}-control-plane-role`,
            {
                service: "eks.amazonaws.com",
                actions: ["sts:AssumeRole", "sts:TagSession"],
                description: `EKS control plane of ${clusterName}`,
                managedPolicies: {
                    [`${name}-control-plane-role`]: "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
                },
                tags,
            },
            this,
        );
    }

    /**
     * One EKS managed add-on at its pinned version, overwriting what the cluster had on conflict. An
     * `aws.eks.Addon` rather than `@pulumi/eks`'s `Addon`: the latter's schema types `tags` as a list
     * of maps and passes it to `aws.eks.Addon` as is (provider/cmd/pulumi-resource-eks/schema.json
     * and nodejs/eks/addons/addon.ts at v4.3.0), so it cannot carry the cost tags.
     */
    private createManagedAddon(
        name: string,
        tags: CostTags,
        addonName: string,
        version: string,
        extra: Partial<aws.eks.AddonArgs> = {},
        dependsOn: pulumi.Resource[] = [],
    ): aws.eks.Addon {
        return new aws.eks.Addon(
            `${name}-${addonName}`,
            {
                clusterName: this.clusterName,
                addonName,
                addonVersion: version,
                resolveConflictsOnCreate: "OVERWRITE",
                resolveConflictsOnUpdate: "OVERWRITE",
                tags,
                ...extra,
            },
            { parent: this, dependsOn },
        );
    }
}

/** An access entry per principal of `CLUSTER_ACCESS`, each with its access policy on the whole cluster. */
function accessEntries(cfg: ClusterConfig, tags: CostTags): Record<string, eks.types.input.AccessEntryArgs> {
    return Object.fromEntries(
        Object.entries(CLUSTER_ACCESS).map(([who, access]) => [
            who,
            {
                principalArn: cfg.access[access.configKey],
                type: eks.AccessEntryType.Standard,
                // Keyed by the policy's name: the association is `<cluster>-<who>-<policy>` in the component.
                accessPolicies: {
                    [access.policyArn.split("/").pop()!]: {
                        policyArn: access.policyArn,
                        accessScope: { type: "cluster" },
                    },
                },
                tags,
            },
        ]),
    );
}
