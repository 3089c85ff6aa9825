/** What the apps layer reads of the installed Argo CD: where its Applications live, under which project. */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/** What the installed Argo CD offers the services' delivery. */
export interface ArgoCdOutputs {
    /** The namespace Argo CD runs in (and its Applications live in). */
    readonly namespace: pulumi.Output<string>;
    /** The `tacos` AppProject every Application belongs to. */
    readonly project: k8s.apiextensions.CustomResource;
}
