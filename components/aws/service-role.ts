/**
 * Roles that an AWS service assumes (a service principal in the trust policy), in the spirit of
 * pulumi-eks's `servicerole.ts`: the trust policy, the role, its AWS-managed policies and its
 * inline policy, from one description.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** IAM condition operators (`StringEquals`, `ArnLike`...) to condition keys to their values. */
export type TrustConditions = Record<string, Record<string, pulumi.Input<string | string[]>>>;

/** Conditions built from one value the caller reads (an account id, a cluster ARN), once it is known. */
export interface DerivedConditions {
    /** The value the conditions name. */
    from: pulumi.Input<string>;
    /** The conditions, given that value. */
    build: (value: string) => TrustConditions;
}

/** Who may assume a role: one statement trusting AWS service principals. */
export interface ServiceTrust {
    /** The service principal(s), e.g. `ec2.amazonaws.com`. */
    service: string | readonly string[];
    /** What the service may do with the role. @default "sts:AssumeRole" */
    actions?: string | readonly string[];
    /** The trust statement's Sid. @default none */
    sid?: string;
    /** Conditions on the service's request (the confused-deputy guards). @default none */
    conditions?: TrustConditions | DerivedConditions;
}

/** The trust policy of a role `trust.service` assumes, under `conditions`, keys in IAM's documented order. */
function trustDocument(trust: ServiceTrust, conditions: TrustConditions | undefined): object {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                ...(trust.sid === undefined ? {} : { Sid: trust.sid }),
                Effect: "Allow",
                Principal: { Service: trust.service },
                Action: trust.actions ?? "sts:AssumeRole",
                ...(conditions === undefined ? {} : { Condition: conditions }),
            },
        ],
    };
}

/** The trust policy JSON of a role `trust.service` assumes. */
export function serviceTrustPolicy(trust: ServiceTrust): pulumi.Output<string> {
    const conditions = trust.conditions;
    if (conditions !== undefined && "build" in conditions) {
        const derived = conditions as DerivedConditions;
        return pulumi
            .output(derived.from)
            .apply((value) => JSON.stringify(trustDocument(trust, derived.build(value))));
    }
    return pulumi.jsonStringify(trustDocument(trust, conditions));
}

/** A service role: its trust, what it may do, and how it is described and tagged. */
export interface ServiceRoleArgs extends ServiceTrust {
    /** The role's description. @default none */
    description?: string;
    /** Longest session, in seconds. @default AWS's (3600) */
    maxSessionDuration?: number;
    /** AWS-managed policies to attach, by the attachment's resource name. @default none */
    managedPolicies?: Record<string, string>;
    /** The inline policy: its resource name and statements. @default none */
    inlinePolicy?: { name: string; statements: pulumi.Input<object[]> };
    /** The role's tags. */
    tags: pulumi.Input<Record<string, string>>;
}

/** What `createServiceRole` made. */
export interface ServiceRole {
    role: aws.iam.Role;
    /** What grants the role its permissions (attachments, then the inline policy): a user of the role waits for these. */
    permissions: pulumi.Resource[];
}

/** A role `args.service` assumes, named `name`, with its policies; every resource a child of `parent`. */
export function createServiceRole(name: string, args: ServiceRoleArgs, parent: pulumi.Resource): ServiceRole {
    const role = new aws.iam.Role(
        name,
        {
            description: args.description,
            assumeRolePolicy: serviceTrustPolicy(args),
            maxSessionDuration: args.maxSessionDuration,
            tags: args.tags,
        },
        { parent },
    );
    const attachments = Object.entries(args.managedPolicies ?? {}).map(
        ([attachmentName, policyArn]) =>
            new aws.iam.RolePolicyAttachment(attachmentName, { role: role.name, policyArn }, { parent }),
    );
    const inline = args.inlinePolicy;
    const policies = inline
        ? [
              new aws.iam.RolePolicy(
                  inline.name,
                  {
                      role: role.id,
                      policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: inline.statements }),
                  },
                  { parent },
              ),
          ]
        : [];
    return { role, permissions: [...attachments, ...policies] };
}
