/**
 * The credential Argo CD reads this repository with: a repository Secret holding a GitHub App's
 * ids and private key, or none for a public repository.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ArgocdConfig } from "../../../config";

/** The label Argo CD finds repository Secrets by (argoproj/argo-cd v3.5.1, docs/operator-manual/declarative-setup.md). */
export const REPOSITORY_SECRET_LABEL = { "argocd.argoproj.io/secret-type": "repository" } as const;

/** What the repository Secret is made from. */
export interface RepositoryCredentialArgs {
    /** The argocd section: the repository's URL and how Argo CD reads it. */
    argocd: Pick<ArgocdConfig, "repoUrl" | "repoAccess">;
    /** The GitHub App's private key (secret); set exactly when `repoAccess` is a GitHub App. */
    githubAppPrivateKey?: pulumi.Output<string>;
    /** Argo CD's namespace. */
    namespace: pulumi.Input<string>;
    labels: Record<string, string>;
}

/**
 * The repository Secret of a GitHub App (fields as argoproj/argo-cd v3.5.1 documents them in
 * docs/operator-manual/declarative-setup.md, "Example for GitHub App": `type`, `url`,
 * `githubAppID`, `githubAppInstallationID`, `githubAppPrivateKey`), kept secret in state; none
 * for a public repository. The config schema has checked that the key is set exactly when needed.
 */
export function repositoryCredential(
    name: string,
    args: RepositoryCredentialArgs,
    opts: pulumi.CustomResourceOptions,
): k8s.core.v1.Secret | undefined {
    const access = args.argocd.repoAccess;
    if (access.type === "public") {
        return undefined;
    }
    if (!args.githubAppPrivateKey) {
        throw new Error("argocd.repoAccess is a GitHub App but argocdRepoGithubAppPrivateKey is not set");
    }
    return new k8s.core.v1.Secret(
        name,
        {
            metadata: {
                name: "tacos-platform-repository",
                namespace: args.namespace,
                labels: { ...args.labels, ...REPOSITORY_SECRET_LABEL },
            },
            type: "Opaque",
            stringData: {
                type: "git",
                url: args.argocd.repoUrl,
                githubAppID: String(access.appId),
                githubAppInstallationID: String(access.installationId),
                githubAppPrivateKey: pulumi.secret(args.githubAppPrivateKey),
            },
        },
        { ...opts, additionalSecretOutputs: ["stringData"] },
    );
}
