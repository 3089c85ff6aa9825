import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ProtectionConfig } from "../config";

export interface KmsKeyArgs {
    /** What the key encrypts (shown in the console). */
    description: string;
    /** Alias without the `alias/` prefix. */
    alias: string;
    /** Tags of the key. */
    tags: Record<string, string>;
    /** Deletion window and protection of the stack. */
    protection: ProtectionConfig;
    /** Key policy; AWS's default (the account administers the key through IAM) when omitted. */
    policy?: pulumi.Input<string>;
}

/** A customer-managed symmetric KMS key that rotates every year, with an alias. */
export function createKmsKey(name: string, args: KmsKeyArgs, parent: pulumi.Resource): aws.kms.Key {
    const key = new aws.kms.Key(
        name,
        {
            description: args.description,
            enableKeyRotation: true,
            deletionWindowInDays: args.protection.kmsDeletionWindowDays,
            tags: args.tags,
            policy: args.policy,
        },
        { parent, protect: args.protection.protectStatefulResources },
    );
    new aws.kms.Alias(name, { name: `alias/${args.alias}`, targetKeyId: key.keyId }, { parent });
    return key;
}
