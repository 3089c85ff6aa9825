/**
 * Transforms of the AWS resources the `eks` provider plugin registers inside the `@pulumi/eks`
 * components, for the settings the components' inputs do not reach. The engine applies them to
 * the components' children during `pulumi preview` and `up` (Pulumi's `transforms` resource option
 * reaches the children of packaged components); under mocks the components have no children, so
 * the tests call these functions directly.
 */
import type * as pulumi from "@pulumi/pulumi";
import { EKS_CLUSTER_TYPES, MANAGED_NODE_GROUP_TYPES } from "../../vocabulary/eks";

/** How many of a group's nodes a version or launch template update replaces at once. */
export const NODE_GROUP_UPDATE = { maxUnavailablePercentage: 33 } as const;

/**
 * The cluster's own AWS resource: no implied admin entry for whoever runs the first `pulumi up`
 * (@pulumi/eks 4.3.0 sets `bootstrapClusterCreatorAdminPermissions: true` whenever an
 * authentication mode is given: nodejs/eks/cluster/cluster.ts at v4.3.0; it needs that admin only
 * for what it would deploy into the cluster, the aws-auth ConfigMap, its VPC CNI and storage
 * classes, none of which this cluster has), and `protect` as the stack asks.
 */
export function clusterChildren(protect: boolean): pulumi.ResourceTransform {
    return ({ type, props, opts }) => {
        if (type !== EKS_CLUSTER_TYPES.aws) return undefined;
        return {
            props: {
                ...props,
                accessConfig: { ...props.accessConfig, bootstrapClusterCreatorAdminPermissions: false },
            },
            opts: { ...opts, protect },
        };
    };
}

/**
 * A managed node group's AWS resource: the update settings, which the component's inputs lack
 * (`ManagedNodeGroup` in provider/cmd/pulumi-resource-eks/schema.json at v4.3.0 has no
 * `updateConfig`).
 */
export const nodeGroupChildren: pulumi.ResourceTransform = ({ type, props, opts }) =>
    type === MANAGED_NODE_GROUP_TYPES.aws
        ? { props: { ...props, updateConfig: { ...NODE_GROUP_UPDATE } }, opts }
        : undefined;
