/**
 * What a controller cleans up when the objects it manages are deleted: the declaration the
 * teardown order is checked and reported from (tools/plan/teardown.ts). A controller that makes
 * cloud resources for Kubernetes objects (a load balancer for a Gateway, instances for a NodePool)
 * must outlive them on `pulumi destroy`, so each such object depends on the controller.
 */

/** A kind of Kubernetes object a controller acts on when one is deleted. */
export interface ManagedKind {
    /** `group/version`, or `v1` for the core group. */
    apiVersion: string;
    kind: string;
    /** What the controller deletes (or waits for) when an object of this kind goes. */
    cleansUp: string;
}

/** Which of the program's resources is the controller: a Helm release of a chart, or an EKS managed add-on. */
export type ControllerResource = { helmChart: string } | { eksAddon: string };

/** A controller and the kinds it manages, declared once next to the controller. */
export interface ControllerTeardown {
    controller: ControllerResource;
    manages: readonly ManagedKind[];
}

/** The Pulumi type token of a Kubernetes object of `kind` (the provider names its types so). */
export const kubernetesType = (kind: Pick<ManagedKind, "apiVersion" | "kind">): string =>
    `kubernetes:${kind.apiVersion.includes("/") ? kind.apiVersion : `core/${kind.apiVersion}`}:${kind.kind}`;
