import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/**
 * The one Kubernetes provider of the stack, from the cluster's kubeconfig. Server-side apply, so
 * that fields other controllers own (replicas under an HPA) are not fought over.
 */
export function createK8sProvider(
    name: string,
    kubeconfig: pulumi.Input<string>,
    dependsOn: pulumi.Resource[],
): k8s.Provider {
    return new k8s.Provider(
        name,
        { kubeconfig, enableServerSideApply: true, deleteUnreachable: false },
        { dependsOn },
    );
}
