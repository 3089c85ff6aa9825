/** What the Karpenter add-on needs from outside: the AWS layer's node role, interruption queue and discovery tag. */
import type * as pulumi from "@pulumi/pulumi";
import { stackFact } from "../addon";

/** What the AWS layer made for Karpenter (components/aws/karpenter.ts). */
export interface KarpenterAwsFacts {
    nodeRoleName: pulumi.Input<string>;
    /** The role its nodes run with: the only role the controller may pass. */
    nodeRoleArn: pulumi.Input<string>;
    interruptionQueueName: pulumi.Input<string>;
    interruptionQueueArn: pulumi.Input<string>;
    /** Value of the discovery tag on the private subnets and the cluster security group. */
    discoveryTag: { key: string; value: string };
}

/** The fact installAddons is given for Karpenter. */
export const KARPENTER_AWS = stackFact<KarpenterAwsFacts>(
    "karpenter-aws",
    "the AWS layer's Karpenter infrastructure (node role, interruption queue)",
);
