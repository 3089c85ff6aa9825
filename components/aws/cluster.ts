import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SERVICE_CIDR, SYSTEM_NODE_SELECTOR, SYSTEM_TOLERATIONS } from "../../vocabulary/placement";
import { CONTROL_PLANE_LOG_TYPES } from "../../vocabulary/versions";
import type { ClusterConfig, ProtectionConfig, Tags } from "../config";
import { type CostTags, costTags } from "../tags";
import { createKmsKey } from "./kms";
import { kubeconfigJson } from "./kubeconfig";
import { createNodeGroup, createNodeRole } from "./node-groups";
import { createServiceRole, type ServiceRole } from "./service-role";

export { CONTROL_PLANE_LOG_TYPES };

const ACCESS_POLICY = (name: string) => `arn:aws:eks::aws:cluster-access-policy/${name}`;

/**
 * Who reaches the Kubernetes API, each with an access entry of its own (one per principal; the
 * creator gets none implicitly): the admin and the deploy role administer the cluster (the
 * program creates CRDs, cluster roles and webhooks); the preview role, which runs a pull
 * request's code, reads objects but no Secrets and writes nothing. Pulumi's preview does without
 * more: Helm releases render client-side, and a dry-run the API server forbids falls back to a
 * client-side diff.
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
 * The EKS cluster: pinned version on standard support (never billed as extended), API
 * authentication with an explicit access entry per principal and none for the creator, envelope
 * encryption of secrets with a rotating KMS key, every control-plane log type, private endpoint
 * access, the managed add-ons at pinned versions (VPC CNI with network policy enforcement,
 * kube-proxy, CoreDNS, the Pod Identity agent) and the managed node groups.
 */
export class Cluster extends pulumi.ComponentResource {
    public readonly clusterName: pulumi.Output<string>;
    public readonly clusterArn: pulumi.Output<string>;
    /** Kubeconfig as a JSON string (token from `aws eks get-token`), marked secret. */
    public readonly kubeconfig: pulumi.Output<string>;
    /** The security group EKS attaches to the control plane and to managed nodes. */
    public readonly clusterSecurityGroupId: pulumi.Output<string>;
    public readonly nodeRoleArn: pulumi.Output<string>;
    public readonly nodeGroupNames: Record<string, pulumi.Output<string>>;
    /** The node groups; workloads that must schedule at once depend on them. */
    public readonly nodeGroups: aws.eks.NodeGroup[];
    /** The Pod Identity agent add-on; associations are usable once it runs. */
    public readonly podIdentityAgent: aws.eks.Addon;
    /** CoreDNS; charts whose hooks resolve names install after it. */
    public readonly coreDns: aws.eks.Addon;
    /** The access policies of the principals; the Kubernetes provider waits for them. */
    public readonly access: aws.eks.AccessPolicyAssociation[];

    constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tacos:aws:Cluster", name, {}, opts);
        const { cluster: cfg } = args;
        const tags = costTags(args.tags, { component: "cluster" });

        const cluster = this.createControlPlane(name, args, tags);
        this.clusterName = cluster.name;
        this.clusterArn = cluster.arn;
        this.clusterSecurityGroupId = cluster.vpcConfig.clusterSecurityGroupId;
        this.kubeconfig = pulumi.secret(kubeconfigJson(cluster, args.region));
        this.access = this.createAccessEntries(name, cluster, cfg, tags);

        // Nodes join only once pod networking exists; CoreDNS and the agent then schedule on them.
        const networking = [
            this.createManagedAddon(name, cluster, tags, "vpc-cni", cfg.addons.vpcCni, {
                configurationValues: JSON.stringify({ enableNetworkPolicy: "true" }),
            }),
            this.createManagedAddon(name, cluster, tags, "kube-proxy", cfg.addons.kubeProxy),
        ];

        const nodeRole = createNodeRole(
            `${name}-node`,
            `Managed node groups of ${args.clusterName}`,
            tags,
            this,
        );
        this.nodeRoleArn = nodeRole.role.arn;
        this.nodeGroups = this.createNodeGroups(name, cluster, args, nodeRole, networking);
        this.nodeGroupNames = Object.fromEntries(
            Object.keys(cfg.nodeGroups).map((groupName, i) => [groupName, this.nodeGroups[i].nodeGroupName]),
        );

        // Cluster DNS on the system nodes (on-demand, tainted for platform pods), never on spot.
        this.coreDns = this.createManagedAddon(
            name,
            cluster,
            tags,
            "coredns",
            cfg.addons.coreDns,
            {
                configurationValues: JSON.stringify({
                    nodeSelector: SYSTEM_NODE_SELECTOR,
                    tolerations: SYSTEM_TOLERATIONS,
                }),
            },
            this.nodeGroups,
        );
        this.podIdentityAgent = this.createManagedAddon(
            name,
            cluster,
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
            nodeGroups: this.nodeGroups,
            podIdentityAgent: this.podIdentityAgent,
            coreDns: this.coreDns,
            access: this.access,
        });
    }

    /**
     * The control plane: its secrets' encryption key, its log group (made ahead of the cluster so that
     * retention and tags are ours, not EKS's defaults), its role, and the EKS cluster itself.
     */
    private createControlPlane(name: string, args: ClusterArgs, tags: CostTags): aws.eks.Cluster {
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
        return new aws.eks.Cluster(
            `${name}-eks`,
            {
                name: args.clusterName,
                version: cfg.kubernetesVersion,
                roleArn: controlPlane.role.arn,
                vpcConfig: {
                    subnetIds: args.privateSubnetIds,
                    endpointPrivateAccess: true,
                    endpointPublicAccess: cfg.endpoint.publicAccess,
                    publicAccessCidrs: cfg.endpoint.publicAccess ? cfg.endpoint.publicAccessCidrs : undefined,
                },
                accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
                // Standard support only: a version past it is upgraded, never billed as extended support.
                upgradePolicy: { supportType: "STANDARD" },
                // The managed add-ons replace the self-managed defaults.
                bootstrapSelfManagedAddons: false,
                encryptionConfig: { provider: { keyArn: secretsKey.arn }, resources: ["secrets"] },
                enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
                kubernetesNetworkConfig: { serviceIpv4Cidr: SERVICE_CIDR, ipFamily: "ipv4" },
                deletionProtection: protection.deletionProtection,
                tags,
            },
            {
                parent: this,
                dependsOn: [logGroup, ...controlPlane.permissions],
                protect: protection.protectStatefulResources,
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

    /** An access entry per principal of `CLUSTER_ACCESS`, each with its access policy associated. */
    private createAccessEntries(
        name: string,
        cluster: aws.eks.Cluster,
        cfg: ClusterConfig,
        tags: CostTags,
    ): aws.eks.AccessPolicyAssociation[] {
        return Object.entries(CLUSTER_ACCESS).map(([who, access]) => {
            const principalArn = cfg.access[access.configKey];
            const entry = new aws.eks.AccessEntry(
                `${name}-access-${who}`,
                { clusterName: cluster.name, principalArn, type: "STANDARD", tags },
                { parent: this },
            );
            return new aws.eks.AccessPolicyAssociation(
                `${name}-access-${who}`,
                {
                    clusterName: cluster.name,
                    principalArn,
                    policyArn: access.policyArn,
                    accessScope: { type: "cluster" },
                },
                { parent: this, dependsOn: [entry] },
            );
        });
    }

    /** One EKS managed add-on at its pinned version, overwriting what the cluster had on conflict. */
    private createManagedAddon(
        name: string,
        cluster: aws.eks.Cluster,
        tags: CostTags,
        addonName: string,
        version: string,
        extra: Partial<aws.eks.AddonArgs> = {},
        dependsOn: pulumi.Resource[] = [],
    ): aws.eks.Addon {
        return new aws.eks.Addon(
            `${name}-${addonName}`,
            {
                clusterName: cluster.name,
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

    /** The configured managed node groups, joining once the node role and pod networking exist. */
    private createNodeGroups(
        name: string,
        cluster: aws.eks.Cluster,
        args: ClusterArgs,
        nodeRole: ServiceRole,
        networking: aws.eks.Addon[],
    ): aws.eks.NodeGroup[] {
        return Object.entries(args.cluster.nodeGroups).map(([groupName, group]) =>
            createNodeGroup(
                `${name}-${groupName}`,
                groupName,
                group,
                {
                    clusterName: cluster.name,
                    version: args.cluster.kubernetesVersion,
                    nodeRoleArn: nodeRole.role.arn,
                    subnetIds: args.privateSubnetIds,
                    baseTags: args.tags,
                },
                { parent: this, dependsOn: [...nodeRole.permissions, ...networking] },
            ),
        );
    }
}
