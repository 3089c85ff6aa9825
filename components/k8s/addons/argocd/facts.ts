/** What the apps layer reads of the installed Argo CD: where its Applications live, under which project, with which credential. */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/** What the installed Argo CD offers the services' delivery. */
export interface ArgoCdOutputs {
    /** The namespace Argo CD runs in (and its Applications live in). */
    readonly namespace: pulumi.Output<string>;
    /** The `tacos` AppProject every Application belongs to. */
    readonly project: k8s.apiextensions.CustomResource;
    /** The repository Secret Argo CD reads this repository with; none when the repository is public. */
    readonly repository?: k8s.core.v1.Secret;
}
