/** What other add-ons and the apps layer read of the Gateway add-on: where their HTTPRoutes attach. */
import type * as pulumi from "@pulumi/pulumi";
import { addonRef } from "../addon";

/** Where an HTTPRoute attaches: the Gateway's HTTPS listener. */
export interface GatewayParentRef {
    name: string;
    namespace: pulumi.Input<string>;
    sectionName: string;
}

/** What the installed Gateway offers the add-ons that route through it. */
export interface GatewayOutputs {
    /** The Gateway API CRDs and the controller's: an HTTPRoute depends on them. */
    readonly crds: pulumi.Resource[];
    /** The HTTPS listener of the Gateway (none when the stack has no certificate). */
    readonly httpsParentRef?: GatewayParentRef;
}

/** The Gateway add-on, as a dependency (`dependency(ctx, GATEWAY, self)`). */
export const GATEWAY = addonRef<GatewayOutputs>("gateway");
