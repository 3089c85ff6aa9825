import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Tags } from "../config";
import { Attribution, costTags } from "../tags";
import { AccessGrant, GrantTargets, policyStatements } from "./access";

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
 * The trust policy of a Pod Identity role, as the EKS user guide scopes it: EKS Pod Identity may
 * assume the role (and tag the session) only for this account, and only with the session tags it
 * sets for this cluster, this namespace and this service account. (EKS does not send the cluster
 * ARN as aws:SourceArn, so that condition would never match.)
 */
export function podIdentityTrustPolicy(
    clusterArn: pulumi.Input<string>,
    namespace: string,
    serviceAccount: string,
): pulumi.Output<string> {
    return pulumi.output(clusterArn).apply((arn) =>
        JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "EksPodIdentity",
                    Effect: "Allow",
                    Principal: { Service: "pods.eks.amazonaws.com" },
                    Action: ["sts:AssumeRole", "sts:TagSession"],
                    Condition: {
                        StringEquals: {
                            "aws:SourceAccount": arn.split(":")[4],
                            "aws:RequestTag/eks-cluster-arn": arn,
                            "aws:RequestTag/kubernetes-namespace": namespace,
                            "aws:RequestTag/kubernetes-service-account": serviceAccount,
                        },
                    },
                },
            ],
        }),
    );
}

/**
 * A workload identity (FR-013): from one declaration, a role trusted by EKS Pod Identity for
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

        const role = new aws.iam.Role(
            `${name}-role`,
            {
                description: `EKS Pod Identity role of ${args.namespace}/${args.serviceAccount}`,
                assumeRolePolicy: podIdentityTrustPolicy(
                    args.clusterArn,
                    args.namespace,
                    args.serviceAccount,
                ),
                maxSessionDuration: 3600,
                tags,
            },
            { parent: this },
        );
        new aws.iam.RolePolicy(
            `${name}-policy`,
            {
                role: role.id,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: policyStatements(args.grants, args.targets),
                }),
            },
            { parent: this },
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
