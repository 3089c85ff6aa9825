/**
 * The secret keys of a stack file as the offline tools hand them to the program, so that the
 * program's own check (components/config: a secret key that is not a Pulumi secret is refused)
 * judges them exactly as under `pulumi up`:
 * - a plain value in the stack file stays plain, and the program refuses it;
 * - an encrypted value (`{ secure: ... }`, as `pulumi config set --secret` writes it) cannot be
 *   read offline: it counts as set, and the program gets a stand-in of its shape, as a secret;
 * - a missing required key gets the test secret in tests; the tools report each missing required one
 *   (and run with a stand-in, since the program needs a value to register its resources).
 */
import {
    argocdSecretNeeds,
    missingSecretProblem,
    requiredSecretKeys,
    SECRET_CONFIG_KEYS,
    SecretKey,
} from "../components/config/secrets";

/**
 * A value of each secret key's shape that matches nothing real: what the offline tools hand the
 * program for a secret they cannot read (encrypted in the stack file, or not set yet).
 */
export const SECRET_STAND_INS: Record<SecretKey, string> = {
    argocdAdminPasswordHash: `$2y$12$${"A".repeat(53)}`,
    argocdOidcClientSecret: "stand-in-oidc-client-secret",
    argocdRepoGithubAppPrivateKey:
        "-----BEGIN RSA PRIVATE KEY-----\nc3RhbmQtaW4=\n-----END RSA PRIVATE KEY-----\n",
    grafanaAdminPassword: "test-only-grafana-admin-password",
    gatewayJwtSecret: "test-only-jwt-signing-key-0123456789abcdef",
    paymentWebhookSecret: "stand-in-payment-webhook-secret",
};

/** The secrets tests give a stack that has none: the stand-ins of the keys a stack requires with or without SSO. */
export const TEST_SECRETS: Record<string, string> = Object.fromEntries(
    [true, false]
        .flatMap((singleSignOn) => requiredSecretKeys({ singleSignOn, githubApp: true }))
        .map((key) => [`tacos:${key}`, SECRET_STAND_INS[key]]),
);

/**
 * Where missing secrets come from: `test` fills them with TEST_SECRETS (tests inject their own
 * secrets); `stack-file` reads only the stack file and reports each missing required one.
 */
export type SecretSource = "test" | "stack-file";

/** A stack file's config as the program gets it. */
export interface ProgramConfig {
    /** Config keys (`ns:key`) to values, with stand-ins and test secrets in place. */
    config: Record<string, unknown>;
    /** The keys the program gets as secrets (`tacos:<key>`). */
    secretKeys: string[];
    /** One warning per missing required secret (`stack-file` only). */
    warnings: string[];
}

/** True for a value `pulumi config set --secret` wrote: `{ secure: <ciphertext> }`. */
export function isEncrypted(value: unknown): boolean {
    return (
        typeof value === "object" &&
        value !== null &&
        Object.keys(value).length === 1 &&
        typeof (value as { secure?: unknown }).secure === "string"
    );
}

/** The config the program gets for `stack`, from its stack file's config `file`. */
export function programConfig(
    stack: string,
    file: Record<string, unknown>,
    source: SecretSource,
): ProgramConfig {
    const config: Record<string, unknown> = { ...file };
    const warnings: string[] = [];
    const required = requiredSecretKeys(argocdSecretNeeds(file["tacos:argocd"]));
    for (const key of SECRET_CONFIG_KEYS) {
        const name = `tacos:${key}`;
        if (isEncrypted(file[name])) {
            config[name] = SECRET_STAND_INS[key];
        } else if (name in file) {
            continue;
        } else if (source === "test" && required.includes(key)) {
            config[name] = TEST_SECRETS[name];
        } else if (source === "stack-file" && required.includes(key)) {
            config[name] = SECRET_STAND_INS[key];
            warnings.push(
                `warning: ${missingSecretProblem(key, stack)} (this offline run uses a stand-in value for it)`,
            );
        }
    }
    return { config, secretKeys: secretKeysOf(config, file), warnings };
}

/**
 * The secret keys of the config the program gets: every secret key set, except those the stack
 * file holds in plain text (which the program refuses, as under `pulumi up`).
 */
export function secretKeysOf(config: Record<string, unknown>, file: Record<string, unknown>): string[] {
    return SECRET_CONFIG_KEYS.map((key) => `tacos:${key}`).filter(
        (name) => name in config && !(name in file && !isEncrypted(file[name])),
    );
}
