/**
 * Managed node groups on launch templates: encrypted gp3 root volumes, IMDSv2 with hop limit 1
 * (pods use Pod Identity, never the node's role), no SSH, cost tags on instances, volumes and
 * ENIs; the system group carries the shared system taint.
 */
import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as pulumi from "@pulumi/pulumi";
import { INSTANCE_CAPACITY } from "../../vocabulary/instances";
import {
    CAPACITY_TYPE_LABEL,
    NODE_GROUP_LABEL,
    SYSTEM_NODE_GROUP,
    SYSTEM_TAINT,
    MESH_STARTUP_TAINT_EKS,
} from "../../vocabulary/placement";
import { KubernetesVersion, KUBERNETES_VERSIONS } from "../../vocabulary/versions";
import type { NodeGroupConfig, Tags } from "../config";
import { costTags } from "../tags";
import { nodeGroupChildren } from "./eks-children";
import { createServiceRole, ServiceRole } from "./service-role";

/** AWS-managed policies every node needs (CNI, node registration, image pulls). */
export const NODE_MANAGED_POLICIES = [
    "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
    "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
    "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
] as const;

/** The system node group's taint (vocabulary/placement.ts), in the EKS API's spelling of its effect. */
const SYSTEM_GROUP_TAINT = {
    key: SYSTEM_TAINT.key,
    value: SYSTEM_TAINT.value,
    effect: "NO_SCHEDULE",
} as const;

export interface NodeGroupShared {
    /** The `@pulumi/eks` cluster the group joins. */
    cluster: eks.Cluster;
    version: KubernetesVersion;
    nodeRoleArn: pulumi.Input<string>;
    subnetIds: pulumi.Input<string>[];
    baseTags: Tags;
}

/** The role every managed node runs with, and its managed policies attached. */
export function createNodeRole(
    name: string,
    description: string,
    tags: Record<string, string>,
    parent: pulumi.Resource,
): ServiceRole {
    return createServiceRole(
        name,
        {
            service: "ec2.amazonaws.com",
            description,
            managedPolicies: Object.fromEntries(
                NODE_MANAGED_POLICIES.map((policyArn) => [
                    `${name}-${policyArn.split("/").pop()}`,
                    policyArn,
                ]),
            ),
            tags,
        },
        parent,
    );
}

/**
 * One managed node group, an `@pulumi/eks` `ManagedNodeGroup` on its own launch template. With a
 * launch template given, the component passes version, release, AMI type, labels and taints to
 * the node group as they are and makes no template of its own (nodejs/eks/nodes/nodegroup.ts at
 * v4.3.0); `ignoreScalingChanges` is its spelling of ignoring changes to the desired size.
 */
export function createNodeGroup(
    name: string,
    groupName: string,
    group: NodeGroupConfig,
    shared: NodeGroupShared,
    opts: pulumi.ComponentResourceOptions,
): eks.ManagedNodeGroup {
    const tags = costTags(shared.baseTags, { component: `node-group-${groupName}` });
    const launchTemplate = new aws.ec2.LaunchTemplate(
        name,
        {
            description: `Node group ${groupName}: encrypted gp3 root volume, IMDSv2 only, cost tags on instances and volumes`,
            updateDefaultVersion: true,
            blockDeviceMappings: [
                {
                    deviceName: "/dev/xvda",
                    ebs: {
                        volumeSize: group.diskSizeGiB,
                        volumeType: "gp3",
                        encrypted: "true",
                        deleteOnTermination: "true",
                    },
                },
            ],
            // Hop limit 1: pods cannot reach the node's instance role; they use Pod Identity.
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
            tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({
                resourceType,
                tags,
            })),
            tags,
        },
        { parent: opts.parent },
    );

    return new eks.ManagedNodeGroup(
        name,
        {
            cluster: shared.cluster,
            version: shared.version,
            // The pinned AL2023 release (vocabulary/versions.ts), the same one Karpenter's nodes run.
            releaseVersion: KUBERNETES_VERSIONS[shared.version].amiRelease,
            nodeRoleArn: shared.nodeRoleArn,
            subnetIds: shared.subnetIds,
            capacityType: group.capacityType,
            instanceTypes: group.instanceTypes,
            amiType:
                INSTANCE_CAPACITY[group.instanceTypes[0]].architecture === "arm64"
                    ? "AL2023_ARM_64_STANDARD"
                    : "AL2023_x86_64_STANDARD",
            scalingConfig: { minSize: group.minSize, maxSize: group.maxSize, desiredSize: group.desiredSize },
            // A node autoscaler owns the desired size once the group exists.
            ignoreScalingChanges: true,
            launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
            // Every node starts tainted until its Istio CNI agent is Ready (istiod lifts the taint), so
            // that no pod starts there outside the mesh; the system group also keeps its own taint.
            taints: [
                ...(groupName === SYSTEM_NODE_GROUP ? [SYSTEM_GROUP_TAINT] : []),
                MESH_STARTUP_TAINT_EKS,
                ...group.taints.filter(
                    (t) => t.key !== SYSTEM_TAINT.key && t.key !== MESH_STARTUP_TAINT_EKS.key,
                ),
            ],
            labels: {
                ...group.labels,
                [NODE_GROUP_LABEL]: groupName,
                [CAPACITY_TYPE_LABEL]: group.capacityType.toLowerCase(),
            },
            tags,
        },
        { ...opts, transforms: [nodeGroupChildren] },
    );
}
