/**
 * The secret config keys: their schema, which of them a stack must set, and the words every tool
 * and the program use when one is missing or was set in plain text. One source, so that `plan`,
 * `policy:gate` and `pulumi up` refuse (or warn about) exactly the same keys.
 */
import { z } from "zod";
import { isRecord } from "../../vocabulary/values";

/** Keys that must be set with `pulumi config set --secret`; never in plain stack config. */
export const secretConfigSchema = z.strictObject({
    argocdAdminPasswordHash: z
        .string()
        .regex(
            /^\$2[aby]\$1[0-4]\$[./A-Za-z0-9]{53}$/,
            "must be a bcrypt hash (cost 10-14), e.g. from npm run -s hash-password",
        )
        .optional()
        .describe("bcrypt hash of the Argo CD admin password (required unless argocd.oidc is set)."),
    argocdOidcClientSecret: z
        .string()
        .min(16, "must be at least 16 characters")
        .optional()
        .describe("OIDC client secret of Argo CD (required when argocd.oidc is set)."),
    argocdRepoGithubAppPrivateKey: z
        .string()
        .regex(
            /^-----BEGIN (RSA )?PRIVATE KEY-----\r?\n[A-Za-z0-9+/=\r\n]+-----END (RSA )?PRIVATE KEY-----\s*$/,
            "must be the GitHub App's PEM private key (the .pem file GitHub gives), set from the file",
        )
        .optional()
        .describe(
            "Private key of the GitHub App Argo CD reads the repository as (required when argocd.repoAccess.type is githubApp).",
        ),
    grafanaAdminPassword: z
        .string()
        .min(16, "must be at least 16 characters")
        .describe("Password of Grafana's admin user."),
    gatewayJwtSecret: z
        .string()
        .min(32, "must be at least 32 characters")
        .describe("Secret gateway-api signs and checks JWTs with (JWT_SECRET)."),
    paymentWebhookSecret: z
        .string()
        .min(16, "must be at least 16 characters")
        .optional()
        .describe("Secret payment-sim-api signs webhooks with (WEBHOOK_SECRET); optional."),
});

/** A secret config key (without the `tacos:` namespace). */
export type SecretKey = keyof z.infer<typeof secretConfigSchema>;

export const SECRET_CONFIG_KEYS = Object.keys(secretConfigSchema.shape) as SecretKey[];

/** What to put in place of `<value>` in the command that sets each secret. */
const VALUE_HINTS: Record<SecretKey, string> = {
    argocdAdminPasswordHash: '"$(npm run -s hash-password < <file holding the admin password>)"',
    argocdOidcClientSecret: "'<client secret from your identity provider>'",
    argocdRepoGithubAppPrivateKey: "< <the GitHub App's .pem file>",
    grafanaAdminPassword: "'<password, 16 characters or more>'",
    gatewayJwtSecret: "'<random string, 32 characters or more>'",
    paymentWebhookSecret: "'<random string, 16 characters or more>'",
};

/** What a stack's Argo CD settings ask of its secrets: single sign-on, and a GitHub App to read the repository as. */
export interface ArgoCdSecretNeeds {
    singleSignOn: boolean;
    githubApp: boolean;
}

/**
 * The secret keys a stack must set: those the schema does not mark optional, plus the Argo CD
 * admin password hash without single sign-on or the SSO client secret with it, and the GitHub
 * App's private key when Argo CD reads the repository as one.
 */
export function requiredSecretKeys(needs: ArgoCdSecretNeeds): SecretKey[] {
    return SECRET_CONFIG_KEYS.filter((key) => {
        if (key === "argocdAdminPasswordHash") return !needs.singleSignOn;
        if (key === "argocdOidcClientSecret") return needs.singleSignOn;
        if (key === "argocdRepoGithubAppPrivateKey") return needs.githubApp;
        return !secretConfigSchema.shape[key].safeParse(undefined).success;
    });
}

/** What a raw `tacos:argocd` value asks of the secrets (the secrets it needs follow from it). */
export function argocdSecretNeeds(argocd: unknown): ArgoCdSecretNeeds {
    const settings = (isRecord(argocd) ? argocd : {}) as {
        oidc?: unknown;
        repoAccess?: { type?: unknown };
    };
    return {
        singleSignOn: settings.oidc !== undefined,
        githubApp: settings.repoAccess?.type === "githubApp",
    };
}

/** The exact command that sets a secret key of a stack, encrypted. */
export function setSecretCommand(key: SecretKey, stack: string): string {
    return `pulumi config set --secret tacos:${key} ${VALUE_HINTS[key]} -s ${stack}`;
}

/** The problem a missing required secret is reported as. */
export function missingSecretProblem(key: SecretKey, stack: string): string {
    const when =
        {
            argocdAdminPasswordHash: " unless argocd.oidc is set",
            argocdOidcClientSecret: " when argocd.oidc is set",
            argocdRepoGithubAppPrivateKey: " when argocd.repoAccess.type is githubApp",
        }[key as string] ?? "";
    return `${key} is required${when} (pulumi up refuses the stack without it): ${setSecretCommand(key, stack)}`;
}

/** The problem a secret key set in plain text is reported as (whatever its value). */
export function plainSecretProblem(key: SecretKey, stack: string): string {
    return `${key} must be set with pulumi config set --secret, not in plain stack config: remove it from Pulumi.${stack}.yaml and run ${setSecretCommand(key, stack)}`;
}
