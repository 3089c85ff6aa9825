/**
 * The EBS CSI driver's permissions: the volume statements of the driver's example IAM policy
 * (kubernetes-sigs/aws-ebs-csi-driver docs/example-iam-policy.json at v1.64.0), narrowed to this
 * account and region and without the snapshot statements (the platform takes no VolumeSnapshots),
 * plus the KMS statements the EKS user guide (storage/ebs-csi) documents for volumes encrypted with a
 * customer managed key (the managed AmazonEBSCSIDriverPolicy has none).
 */
import * as pulumi from "@pulumi/pulumi";
import { EBS_CSI_WILDCARD_ACTIONS } from "../../vocabulary/iam";
import type { AwsScope, Statement } from "./access";
import { EBS_CSI_SERVICE_ACCOUNT } from "./block-storage";
import type { WorkloadIdentityDeclaration } from "./identity";

/** The tag the driver puts on every volume it creates (docs/tagging.md at v1.64.0). */
export const EBS_CSI_VOLUME_TAG = "ebs.csi.aws.com/cluster";

/** The driver's statements: volumes and instances of `t`'s account and region, encrypted with `volumeKeyArn`. */
export function ebsCsiDriverStatements(t: AwsScope, volumeKeyArn: pulumi.Input<string>): Statement[] {
    const volumes = pulumi.interpolate`arn:aws:ec2:${t.region}:${t.accountId}:volume/*`;
    const instances = pulumi.interpolate`arn:aws:ec2:${t.region}:${t.accountId}:instance/*`;
    return [
        { Sid: "Describe", Effect: "Allow", Action: [...EBS_CSI_WILDCARD_ACTIONS], Resource: "*" },
        {
            Sid: "CreateTaggedVolumes",
            Effect: "Allow",
            Action: ["ec2:CreateVolume"],
            Resource: [volumes],
            Condition: { StringEquals: { [`aws:RequestTag/${EBS_CSI_VOLUME_TAG}`]: "true" } },
        },
        {
            Sid: "TagOnCreate",
            Effect: "Allow",
            Action: ["ec2:CreateTags"],
            Resource: [volumes],
            Condition: { StringEquals: { "ec2:CreateAction": ["CreateVolume"] } },
        },
        {
            Sid: "ManageOwnVolumes",
            Effect: "Allow",
            Action: [
                "ec2:AttachVolume",
                "ec2:DetachVolume",
                "ec2:ModifyVolume",
                "ec2:DeleteVolume",
                "ec2:DeleteTags",
            ],
            Resource: [volumes],
            Condition: { StringEquals: { [`aws:ResourceTag/${EBS_CSI_VOLUME_TAG}`]: "true" } },
        },
        {
            Sid: "AttachToNodes",
            Effect: "Allow",
            Action: ["ec2:AttachVolume", "ec2:DetachVolume"],
            Resource: [instances],
        },
        {
            Sid: "GrantEbsUseOfVolumeKey",
            Effect: "Allow",
            Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
            Resource: [volumeKeyArn],
            Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
        },
        {
            Sid: "UseVolumeKey",
            Effect: "Allow",
            Action: [
                "kms:Encrypt",
                "kms:Decrypt",
                "kms:ReEncryptFrom",
                "kms:ReEncryptTo",
                "kms:GenerateDataKey",
                "kms:GenerateDataKeyWithoutPlaintext",
                "kms:DescribeKey",
            ],
            Resource: [volumeKeyArn],
        },
    ];
}

/** The controller's workload identity: volumes of this account and region, `volumeKeyArn` for encryption. */
export const ebsCsiIdentity = (
    aws: AwsScope,
    volumeKeyArn: pulumi.Input<string>,
): Record<string, WorkloadIdentityDeclaration> => ({
    "ebs-csi-driver": {
        namespace: "kube-system",
        serviceAccount: EBS_CSI_SERVICE_ACCOUNT,
        grants: [{ kind: "statements", statements: ebsCsiDriverStatements(aws, volumeKeyArn) }],
        attribution: { component: "storage" },
    },
});
