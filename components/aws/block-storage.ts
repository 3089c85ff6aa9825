/**
 * Block storage for the cluster's stateful add-ons (Prometheus, Alertmanager): the EBS CSI
 * driver as an EKS managed add-on at a pinned version, running as its own Pod Identity role
 * (declared in ./ebs-csi-driver-policy.ts, created with the others). The StorageClass that
 * encrypts and tags every volume is the monitoring add-on's.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    MESH_STARTUP_TOLERATIONS,
    SYSTEM_NODE_SELECTOR,
    SYSTEM_TOLERATIONS,
} from "../../vocabulary/placement";
import type { Tags } from "../config";
import { costTags } from "../tags";
import type { ControllerTeardown } from "../teardown";

/** The driver's controller service account (the managed add-on's name for it). */
export const EBS_CSI_SERVICE_ACCOUNT = "ebs-csi-controller-sa";

/** The driver's name as an EKS managed add-on. */
const EBS_CSI_ADDON = "aws-ebs-csi-driver";

/**
 * What the driver cleans up: deleting a namespace deletes its PersistentVolumeClaims, and the
 * driver's provisioner deletes the EBS volume of each whose class reclaims with Delete (the
 * monitoring add-on's). Every namespace therefore goes before the driver. Pulumi waits for the
 * namespace, not for the volumes: docs/teardown.md checks that none is left.
 */
export const EBS_CSI_DRIVER_TEARDOWN: ControllerTeardown = {
    controller: { eksAddon: EBS_CSI_ADDON },
    manages: [
        {
            apiVersion: "v1",
            kind: "Namespace",
            cleansUp:
                "the EBS volumes of its PersistentVolumeClaims (reclaimPolicy Delete), detached and deleted",
        },
    ],
};

export interface BlockStorageArgs {
    clusterName: pulumi.Input<string>;
    /** aws-ebs-csi-driver add-on version. */
    version: string;
    tags: Tags;
    /** The controller's Pod Identity association (and anything else the driver must start after). */
    dependsOn: pulumi.Resource[];
}

export class BlockStorage extends pulumi.ComponentResource {
    public readonly driver: aws.eks.Addon;

    constructor(name: string, args: BlockStorageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tacos:aws:BlockStorage", name, {}, opts);
        // Keys of the add-on's configuration as in the driver's Helm chart (aws-ebs-csi-driver 2.64.0, driver v1.64.0):
        // the controller on the system nodes; the node DaemonSet tolerates every taint (its default).
        this.driver = new aws.eks.Addon(
            `${name}-ebs-csi-driver`,
            {
                clusterName: args.clusterName,
                addonName: EBS_CSI_ADDON,
                addonVersion: args.version,
                resolveConflictsOnCreate: "OVERWRITE",
                resolveConflictsOnUpdate: "OVERWRITE",
                configurationValues: JSON.stringify({
                    // The add-on must be active before the cluster layer (and the mesh) installs: its
                    // controller tolerates the nodes' startup taint.
                    controller: {
                        nodeSelector: SYSTEM_NODE_SELECTOR,
                        tolerations: [...SYSTEM_TOLERATIONS, ...MESH_STARTUP_TOLERATIONS],
                    },
                    node: { tolerateAllTaints: true },
                }),
                tags: costTags(args.tags, { component: "storage" }),
            },
            { parent: this, dependsOn: args.dependsOn },
        );
        this.registerOutputs({ driver: this.driver });
    }
}
