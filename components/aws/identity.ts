import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Tags } from "../config";
import { Attribution, costTags } from "../tags";
import { AccessGrant, GrantTargets, policyStatements } from "./access";
import { accountIdOf } from "./account";
import { createServiceRole, ServiceTrust } from "./service-role";

/** One Kubernetes service account that needs AWS, and what it may do there. */
export interface WorkloadIdentityDeclaration {
    /** Kubernetes namespace of the service account. */
    namespace: string;
    /** Kubernetes service account name. */
    serviceAccount: string;
    /** What the workload may do, on named resources of this stack. */
    grants: readonly AccessGrant[];
    /** Whose spend it is: an application service or a platform component. */
    attribution: Attribution;
}

export interface WorkloadIdentityArgs extends WorkloadIdentityDeclaration {
    /** The cluster the association belongs to. */
    clusterName: pulumi.Input<string>;
    /** ARN of the cluster whose Pod Identity sessions the role trusts. */
    clusterArn: pulumi.Input<string>;
    /** The stack's resources the grants name. */
    targets: GrantTargets;
    /** Base cost tags of the stack. */
    tags: Tags;
    /** The Pod Identity agent; associations are created after it. */
    agent?: pulumi.Resource;
}

/**
 * The trust of a Pod Identity role, as the EKS user guide scopes it: EKS Pod Identity may assume
 * the role (and tag the session) only for this account, and only with the session tags it sets
 * for this cluster, this namespace and this service account. (EKS does not send the cluster ARN as
 * aws:SourceArn, so that condition would never match.)
 */
export function podIdentityTrust(
    clusterArn: pulumi.Input<string>,
    namespace: string,
    serviceAccount: string,
): ServiceTrust {
    return {
        sid: "EksPodIdentity",
        service: "pods.eks.amazonaws.com",
        actions: ["sts:AssumeRole", "sts:TagSession"],
        conditions: {
            from: clusterArn,
            build: (arn) => ({
                StringEquals: {
                    "aws:SourceAccount": accountIdOf(arn),
                    "aws:RequestTag/eks-cluster-arn": arn,
                    "aws:RequestTag/kubernetes-namespace": namespace,
                    "aws:RequestTag/kubernetes-service-account": serviceAccount,
                },
            }),
        },
    };
}

/**
 * A workload identity: from one declaration, a role trusted by EKS Pod Identity for
 * this cluster only, a least-privilege inline policy on the named resources, and the Pod
 * Identity association binding the role to `namespace/serviceAccount`.
 */
export class WorkloadIdentity extends pulumi.ComponentResource {
    public readonly roleArn: pulumi.Output<string>;
    public readonly namespace: string;
    public readonly serviceAccount: string;

    constructor(name: string, args: WorkloadIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tacos:aws:WorkloadIdentity", name, {}, opts);
        const tags = costTags(args.tags, args.attribution, {
            KubernetesServiceAccount: `${args.namespace}.${args.serviceAccount}`,
        });
        if (args.grants.length === 0) {
            throw new pulumi.ResourceError(
                `${args.namespace}/${args.serviceAccount} declares no AWS access: it needs no workload identity`,
                this,
            );
        }

        const { role } = createServiceRole(
            `${name}-role`,
            {
                ...podIdentityTrust(args.clusterArn, args.namespace, args.serviceAccount),
                description: `EKS Pod Identity role of ${args.namespace}/${args.serviceAccount}`,
                maxSessionDuration: 3600,
                inlinePolicy: {
                    name: `${name}-policy`,
                    statements: policyStatements(args.grants, args.targets),
                },
                tags,
            },
            this,
        );
        new aws.eks.PodIdentityAssociation(
            `${name}-association`,
            {
                clusterName: args.clusterName,
                namespace: args.namespace,
                serviceAccount: args.serviceAccount,
                roleArn: role.arn,
                tags,
            },
            { parent: this, dependsOn: args.agent ? [args.agent] : [] },
        );

        this.roleArn = role.arn;
        this.namespace = args.namespace;
        this.serviceAccount = args.serviceAccount;
        this.registerOutputs({
            roleArn: this.roleArn,
            namespace: this.namespace,
            serviceAccount: this.serviceAccount,
        });
    }
}
