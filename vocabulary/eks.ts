/**
 * The EKS cluster and its managed node groups as the pack, the plan and the tests read them, in
 * either shape they are registered in: the `@pulumi/eks` components (`eks:index:Cluster`,
 * `eks:index:ManagedNodeGroup`; all that an offline run under mocks sees, their inputs), and the
 * AWS resources the `eks` provider plugin registers inside them (`aws:eks/cluster:Cluster`,
 * `aws:eks/nodeGroup:NodeGroup`; what CrossGuard also sees under `pulumi preview` and `up`). One
 * reader per setting family, so that every rule reads a setting the same way from both shapes.
 * The components' defaults are @pulumi/eks 4.3.0's (pulumi/pulumi-eks, nodejs/eks/cluster/cluster.ts
 * and nodejs/eks/nodes/nodegroup.ts at v4.3.0).
 */
import { asList } from "./values";

type Props = Record<string, any>;

/** The cluster's types: the component and the AWS resource inside it. */
export const EKS_CLUSTER_TYPES = {
    component: "eks:index:Cluster",
    aws: "aws:eks/cluster:Cluster",
} as const;

/** A managed node group's types: the component and the AWS resource inside it. */
export const MANAGED_NODE_GROUP_TYPES = {
    component: "eks:index:ManagedNodeGroup",
    aws: "aws:eks/nodeGroup:NodeGroup",
} as const;

/** Which shape of the cluster `type` is; undefined for any other resource. */
function clusterShape(type: string): "component" | "aws" | undefined {
    if (type === EKS_CLUSTER_TYPES.component) return "component";
    if (type === EKS_CLUSTER_TYPES.aws) return "aws";
    return undefined;
}

/** Whether `type` is the EKS cluster in either shape. */
export const isEksCluster = (type: string): boolean => clusterShape(type) !== undefined;

/** Kubernetes version and support type (the same input names in both shapes). */
export function clusterVersion(
    type: string,
    props: Props,
): { version?: string; supportType?: string } | undefined {
    if (!clusterShape(type)) return undefined;
    return { version: props.version, supportType: props.upgradePolicy?.supportType };
}

/** The control-plane log types sent to CloudWatch (the same input in both shapes). */
export function clusterLogTypes(type: string, props: Props): string[] | undefined {
    if (!clusterShape(type)) return undefined;
    return asList<string>(props.enabledClusterLogTypes);
}

/** The KMS key that envelope-encrypts Secrets; the component makes `encryptionConfig` from its key ARN. */
export function clusterSecretsKey(type: string, props: Props): { keyArn?: string } | undefined {
    const shape = clusterShape(type);
    if (shape === "component") return { keyArn: props.encryptionConfigKeyArn };
    if (shape === "aws") {
        const secrets = asList<string>(props.encryptionConfig?.resources).includes("secrets");
        return { keyArn: secrets ? props.encryptionConfig?.provider?.keyArn : undefined };
    }
    return undefined;
}

/**
 * The API endpoint's access, with EKS's defaults where a setting is absent (private off, public on;
 * the component passes its inputs through to `vpcConfig` unchanged).
 */
export function clusterEndpoint(
    type: string,
    props: Props,
): { privateAccess: boolean; publicAccess: boolean; publicCidrs: string[] } | undefined {
    const shape = clusterShape(type);
    if (!shape) return undefined;
    const settings = shape === "component" ? props : (props.vpcConfig ?? {});
    return {
        privateAccess: settings.endpointPrivateAccess === true,
        publicAccess: settings.endpointPublicAccess !== false,
        publicCidrs: asList<string>(settings.publicAccessCidrs),
    };
}

/**
 * How principals authenticate to the API. `creatorAdmin` is whether the creator gets an implied
 * admin entry: on the AWS resource, its `accessConfig`; the component always asks for one
 * (cluster.ts at v4.3.0 hard-codes it), so on the component it is undefined and judged on the
 * AWS resource the provider registers.
 */
export function clusterAuthentication(
    type: string,
    props: Props,
): { mode?: string; creatorAdmin?: boolean } | undefined {
    const shape = clusterShape(type);
    if (shape === "component") return { mode: props.authenticationMode };
    if (shape === "aws") {
        const access = props.accessConfig;
        // Without accessConfig, EKS uses CONFIG_MAP and makes the creator an admin.
        return {
            mode: access?.authenticationMode ?? "CONFIG_MAP",
            creatorAdmin: access?.bootstrapClusterCreatorAdminPermissions !== false,
        };
    }
    return undefined;
}

/** Whether `type` is a managed node group in either shape. */
export const isManagedNodeGroupType = (type: string): boolean =>
    type === MANAGED_NODE_GROUP_TYPES.component || type === MANAGED_NODE_GROUP_TYPES.aws;

/**
 * The stack's managed node groups, each once: a component, or an AWS node group not inside one
 * (under `pulumi preview` the AWS resource inside a component is the same group again). Both
 * shapes take `instanceTypes`, `capacityType`, `amiType`, `scalingConfig`, `taints`, `labels` and
 * `remoteAccess` under the same names, so readers of a group's settings serve both.
 */
export function managedNodeGroups<T extends { type: string; parent?: { type: string } }>(
    resources: T[],
): T[] {
    return resources.filter(
        (r) =>
            r.type === MANAGED_NODE_GROUP_TYPES.component ||
            (r.type === MANAGED_NODE_GROUP_TYPES.aws &&
                r.parent?.type !== MANAGED_NODE_GROUP_TYPES.component),
    );
}
