/** What the Gateway component is built from: the stack's edge settings and the cluster's facts. */
import type * as pulumi from "@pulumi/pulumi";
import type { GatewayConfig, StackConfig } from "../../../config";

/** The edge's settings, read from the stack config. */
export interface GatewaySettings {
    region: string;
    vpcCidr: string;
    /** Certificate, TLS policy and exposure of the Gateway. */
    gateway: GatewayConfig;
}

/** The edge's settings in `config`'s stack. */
export const gatewaySettings = (config: StackConfig): GatewaySettings => ({
    region: config.region,
    vpcCidr: config.network.cidr,
    gateway: config.gateway,
});

/** The Gateway component's arguments. */
export interface GatewayArgs extends GatewaySettings {
    /** Namespace of the controller and the Gateway (from its NamespaceBaseline). */
    namespace: pulumi.Input<string>;
    clusterName: pulumi.Input<string>;
    vpcId: pulumi.Input<string>;
    /** Namespaces whose routes may attach to the HTTPS listener. */
    routeNamespaces: string[];
    /** Cost tags the controller puts on every AWS resource it creates. */
    tags: Record<string, string>;
    /** Labels of the Kubernetes objects (cost labels). */
    labels: Record<string, string>;
}
