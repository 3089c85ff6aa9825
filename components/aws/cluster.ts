import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterConfig, NodeGroupConfig, ProtectionConfig, Tags } from "../config";
import { costTags } from "../tags";
import { CONTROL_PLANE_LOG_TYPES, NODE_GROUP_LABEL, SERVICE_CIDR, SYSTEM_NODE_GROUP, SYSTEM_TAINT } from "../../policy/shared";
import { createKmsKey } from "./kms";

export { CONTROL_PLANE_LOG_TYPES };

/** AWS-managed policies every node needs (CNI, node registration, image pulls). */
export const NODE_MANAGED_POLICIES = [
    "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
    "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
    "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
] as const;

/** The system node group's taint (policy/shared), in the EKS API's spelling of its effect. */
const SYSTEM_GROUP_TAINT = { key: SYSTEM_TAINT.key, value: SYSTEM_TAINT.value, effect: "NO_SCHEDULE" } as const;

/** EKS access policy granting cluster-wide admin to the configured admin role. */
const CLUSTER_ADMIN_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";

export interface ClusterArgs {
    /** Name of the EKS cluster in AWS. */
    clusterName: string;
    /** The VPC the cluster runs in. */
    vpcId: pulumi.Input<string>;
    /** Private subnets: control-plane ENIs and every node. */
    privateSubnetIds: pulumi.Input<string>[];
    /** Public subnets, for internet-facing load balancers. */
    publicSubnetIds: pulumi.Input<string>[];
    /** Kubernetes version, endpoint access, add-ons and node groups. */
    cluster: ClusterConfig;
    /** Protection of the cluster and its KMS key against deletion. */
    protection: ProtectionConfig;
    /** Base cost tags of the stack. */
    tags: Tags;
}

/**
 * The EKS cluster (through `@pulumi/eks`): pinned version, API authentication mode with an admin
 * access entry, envelope encryption of secrets with a rotating KMS key, every control-plane log
 * type, private endpoint access, the Pod Identity agent, and managed node groups on launch
 * templates that encrypt volumes, require IMDSv2 and tag instances and volumes for cost.
 */
export class Cluster extends pulumi.ComponentResource {
    public readonly clusterName: pulumi.Output<string>;
    public readonly clusterArn: pulumi.Output<string>;
    /** Kubeconfig as a JSON string, marked secret. */
    public readonly kubeconfig: pulumi.Output<string>;
    /** The security group EKS attaches to the control plane and to managed nodes. */
    public readonly clusterSecurityGroupId: pulumi.Output<string>;
    public readonly nodeRoleArn: pulumi.Output<string>;
    public readonly nodeGroupNames: Record<string, pulumi.Output<string>>;
    /** The node groups; workloads that must schedule at once depend on them. */
    public readonly nodeGroups: aws.eks.NodeGroup[];
    /** The Pod Identity agent add-on; associations are usable once it runs. */
    public readonly podIdentityAgent: aws.eks.Addon;

    constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tacos:aws:Cluster", name, {}, opts);
        const { cluster: cfg, protection } = args;
        const tags = costTags(args.tags, { component: "cluster" });
        const parent = { parent: this };

        const secretsKey = createKmsKey(`${name}-secrets`, {
            description: `Envelope encryption of Kubernetes secrets in ${args.clusterName}`,
            alias: `${args.clusterName}-eks-secrets`,
            tags,
            protection,
        }, this);

        // Created ahead of the cluster so that retention and tags are ours, not EKS's defaults.
        const logGroup = new aws.cloudwatch.LogGroup(`${name}-control-plane`, {
            name: `/aws/eks/${args.clusterName}/cluster`,
            retentionInDays: cfg.logRetentionDays,
            tags,
        }, parent);

        const cluster = new eks.Cluster(`${name}-eks`, {
            name: args.clusterName,
            version: cfg.kubernetesVersion,
            vpcId: args.vpcId,
            privateSubnetIds: args.privateSubnetIds,
            publicSubnetIds: args.publicSubnetIds,
            nodeAssociatePublicIpAddress: false,
            endpointPrivateAccess: true,
            endpointPublicAccess: cfg.endpoint.publicAccess,
            publicAccessCidrs: cfg.endpoint.publicAccess ? cfg.endpoint.publicAccessCidrs : undefined,
            authenticationMode: eks.AuthenticationMode.Api,
            accessEntries: {
                admin: {
                    principalArn: cfg.adminRoleArn,
                    accessPolicies: {
                        clusterAdmin: { policyArn: CLUSTER_ADMIN_POLICY, accessScope: { type: "cluster" } },
                    },
                    tags,
                },
            },
            encryptionConfigKeyArn: secretsKey.arn,
            enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
            skipDefaultNodeGroup: true,
            skipDefaultSecurityGroups: true,
            createOidcProvider: false,
            kubernetesServiceIpAddressRange: SERVICE_CIDR,
            deletionProtection: protection.deletionProtection,
            vpcCniOptions: { addonVersion: cfg.addons.vpcCni, enableNetworkPolicy: true },
            corednsAddonOptions: { version: cfg.addons.coreDns },
            kubeProxyAddonOptions: { version: cfg.addons.kubeProxy },
            tags,
            clusterTags: tags,
        }, { parent: this, dependsOn: [logGroup], protect: protection.protectStatefulResources });

        this.clusterName = cluster.eksCluster.name;
        this.clusterArn = cluster.eksCluster.arn;
        this.clusterSecurityGroupId = cluster.clusterSecurityGroupId;
        this.kubeconfig = pulumi.secret(cluster.kubeconfigJson);

        const nodeRole = new aws.iam.Role(`${name}-node`, {
            description: `Managed node groups of ${args.clusterName}`,
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
            }),
            tags,
        }, parent);
        const attachments = NODE_MANAGED_POLICIES.map((policyArn) =>
            new aws.iam.RolePolicyAttachment(`${name}-node-${policyArn.split("/").pop()}`, { role: nodeRole.name, policyArn }, parent));
        this.nodeRoleArn = nodeRole.arn;

        this.nodeGroupNames = {};
        this.nodeGroups = [];
        for (const [groupName, group] of Object.entries(cfg.nodeGroups)) {
            const nodeGroup = this.createNodeGroup(`${name}-${groupName}`, groupName, group, {
                clusterName: this.clusterName,
                version: cfg.kubernetesVersion,
                nodeRoleArn: nodeRole.arn,
                subnetIds: args.privateSubnetIds,
                baseTags: args.tags,
            }, attachments);
            this.nodeGroupNames[groupName] = nodeGroup.nodeGroupName;
            this.nodeGroups.push(nodeGroup);
        }

        this.podIdentityAgent = new aws.eks.Addon(`${name}-pod-identity-agent`, {
            clusterName: this.clusterName,
            addonName: "eks-pod-identity-agent",
            addonVersion: cfg.addons.podIdentityAgent,
            resolveConflictsOnCreate: "OVERWRITE",
            resolveConflictsOnUpdate: "OVERWRITE",
            tags,
        }, parent);

        this.registerOutputs({
            clusterName: this.clusterName,
            clusterArn: this.clusterArn,
            kubeconfig: this.kubeconfig,
            clusterSecurityGroupId: this.clusterSecurityGroupId,
            nodeRoleArn: this.nodeRoleArn,
            nodeGroupNames: this.nodeGroupNames,
            nodeGroups: this.nodeGroups,
            podIdentityAgent: this.podIdentityAgent,
        });
    }

    private createNodeGroup(
        name: string,
        groupName: string,
        group: NodeGroupConfig,
        shared: { clusterName: pulumi.Input<string>; version: string; nodeRoleArn: pulumi.Input<string>; subnetIds: pulumi.Input<string>[]; baseTags: Tags },
        dependsOn: pulumi.Resource[],
    ): aws.eks.NodeGroup {
        const tags = costTags(shared.baseTags, { component: `node-group-${groupName}` });
        const launchTemplate = new aws.ec2.LaunchTemplate(name, {
            description: `Node group ${groupName}: encrypted gp3 root volume, IMDSv2 only, cost tags on instances and volumes`,
            updateDefaultVersion: true,
            blockDeviceMappings: [{
                deviceName: "/dev/xvda",
                ebs: { volumeSize: group.diskSizeGiB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
            }],
            // Hop limit 1: pods cannot reach the node's instance role; they use Pod Identity.
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
            tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({ resourceType, tags })),
            tags,
        }, { parent: this });

        return new aws.eks.NodeGroup(name, {
            clusterName: shared.clusterName,
            version: shared.version,
            nodeRoleArn: shared.nodeRoleArn,
            subnetIds: shared.subnetIds,
            capacityType: group.capacityType,
            instanceTypes: group.instanceTypes,
            amiType: group.architecture === "arm64" ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD",
            scalingConfig: { minSize: group.minSize, maxSize: group.maxSize, desiredSize: group.desiredSize },
            updateConfig: { maxUnavailablePercentage: 33 },
            launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
            taints: groupName === SYSTEM_NODE_GROUP ? [SYSTEM_GROUP_TAINT, ...group.taints.filter((t) => t.key !== SYSTEM_TAINT.key)] : group.taints,
            labels: { ...group.labels, [NODE_GROUP_LABEL]: groupName, "tacos.io/capacity-type": group.capacityType.toLowerCase() },
            tags,
        }, {
            parent: this,
            dependsOn,
            // The cluster autoscaler owns the desired size once the group exists.
            ignoreChanges: ["scalingConfig.desiredSize"],
        });
    }
}
