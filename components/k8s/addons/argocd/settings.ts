/** What the Argo CD component is built from: the stack's settings and where its UI is routed. */
import type * as pulumi from "@pulumi/pulumi";
import type { ArgocdConfig, StackConfig } from "../../../config";
import { ControllerSettings, controllerSettings, publicSubnetCidrs } from "../addon";
import type { GatewayParentRef } from "../gateway/facts";

/** Argo CD's settings, read from the stack config. */
export interface ArgoCdSettings extends ControllerSettings {
    argocd: ArgocdConfig;
    /** bcrypt hash of the admin password (secret); unused when SSO is configured. */
    adminPasswordHash?: pulumi.Output<string>;
    /** OIDC client secret (secret), when SSO is configured. */
    oidcClientSecret?: pulumi.Output<string>;
    /** Private key of the GitHub App Argo CD reads the repository as (secret), when `argocd.repoAccess` is one. */
    repoGithubAppPrivateKey?: pulumi.Output<string>;
    /** Public subnets, where the load balancer's nodes sit. */
    publicSubnetCidrs: string[];
}

/** Argo CD's settings in `config`'s stack. */
export const argoCdSettings = (config: StackConfig): ArgoCdSettings => ({
    ...controllerSettings(config),
    argocd: config.argocd,
    adminPasswordHash: config.secrets.argocdAdminPasswordHash,
    oidcClientSecret: config.secrets.argocdOidcClientSecret,
    repoGithubAppPrivateKey: config.secrets.argocdRepoGithubAppPrivateKey,
    publicSubnetCidrs: publicSubnetCidrs(config),
});

/** The Argo CD component's arguments. */
export interface ArgoCdArgs extends ArgoCdSettings {
    /** Namespace (from its NamespaceBaseline). */
    namespace: pulumi.Input<string>;
    /** The Gateway's HTTPS listener, the UI's only way in; no route when nothing is exposed. */
    parentRef?: GatewayParentRef;
    /** The Gateway API CRDs, for the HTTPRoute. */
    gatewayCrds: pulumi.Resource[];
    labels: Record<string, string>;
}
