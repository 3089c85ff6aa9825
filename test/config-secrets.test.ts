/**
 * Secret config as the program and the offline tools read it, the same way: a secret in plain
 * text is refused whatever its value, an encrypted one (`secure:`) counts as set, and a missing
 * required one is named with the command that sets it (an error under `pulumi up`, a warning
 * from plan and policy:gate, which need a value to run the program).
 */
import * as assert from "assert";
import {
    ConfigError,
    missingSecretProblem,
    plainSecretProblem,
    requiredSecretKeys,
    secretConfigSchema,
} from "../components/config";
import { runProgram, SECRET_STAND_INS } from "../tools/harness";
import { runGate } from "../tools/policy-gate";

/** A ciphertext as `pulumi config set --secret` writes it into a stack file. */
const encrypted = { secure: "AAABAGlDCj8Ni8l7UVE9f4aGHrS4X0pG2bK1hQz3mQ==" };
const problemsOf = (error: Error | undefined) => {
    assert.strictEqual(error?.name, "ConfigError", String(error));
    return (error as ConfigError).problems;
};

describe("secret config", function () {
    this.timeout(300000);

    it("gives the tools a stand-in of every secret key's shape", () => {
        assert.deepStrictEqual(secretConfigSchema.safeParse(SECRET_STAND_INS).success, true);
    });

    it("requires the admin password hash without SSO, the client secret with it, and the App key with a GitHub App", () => {
        assert.deepStrictEqual(requiredSecretKeys({ singleSignOn: false, githubApp: false }), [
            "argocdAdminPasswordHash",
            "grafanaAdminPassword",
            "gatewayJwtSecret",
        ]);
        assert.deepStrictEqual(requiredSecretKeys({ singleSignOn: true, githubApp: true }), [
            "argocdOidcClientSecret",
            "argocdRepoGithubAppPrivateKey",
            "grafanaAdminPassword",
            "gatewayJwtSecret",
        ]);
    });

    it("refuses a short plain-text secret for being plain text, not for its length", async () => {
        const run = await runProgram("dev", undefined, {
            editStackFile: (c) => (c["tacos:gatewayJwtSecret"] = "hunter2"),
        });
        assert.deepStrictEqual(problemsOf(run.error), [plainSecretProblem("gatewayJwtSecret", "dev")]);
        assert.match(
            plainSecretProblem("gatewayJwtSecret", "dev"),
            /^gatewayJwtSecret must be set with pulumi config set --secret, not in plain stack config: remove it from Pulumi\.dev\.yaml and run pulumi config set --secret tacos:gatewayJwtSecret '.+' -s dev$/,
        );
        assert.deepStrictEqual(run.resources, []);
    });

    it("refuses a long plain-text secret in the policy gate exactly as the program does", async () => {
        await assert.rejects(
            runGate("prod", undefined, {
                secrets: "stack-file",
                editStackFile: (c) =>
                    (c["tacos:grafanaAdminPassword"] = "a-long-enough-password-in-plain-text"),
                warn: () => undefined,
            }),
            (e: Error) => {
                assert.deepStrictEqual(problemsOf(e), [plainSecretProblem("grafanaAdminPassword", "prod")]);
                return true;
            },
        );
    });

    it("names a missing required secret under pulumi up with the command that sets it", async () => {
        const run = await runProgram("dev", (c) => delete c["tacos:grafanaAdminPassword"]);
        assert.deepStrictEqual(problemsOf(run.error), [
            "grafanaAdminPassword is required (pulumi up refuses the stack without it): pulumi config set --secret tacos:grafanaAdminPassword '<password, 16 characters or more>' -s dev",
        ]);
    });

    it("warns about each missing required secret in the tools, never filling one in silently", async () => {
        const warnings: string[] = [];
        const run = await runProgram("dev", undefined, {
            secrets: "stack-file",
            warn: (w) => warnings.push(w),
        });
        assert.strictEqual(run.error, undefined, String(run.error));
        assert.deepStrictEqual(
            warnings,
            requiredSecretKeys({ singleSignOn: false, githubApp: true }).map(
                (key) =>
                    `warning: ${missingSecretProblem(key, "dev")} (this offline run uses a stand-in value for it)`,
            ),
        );
        assert.match(warnings.join("\n"), /pulumi config set --secret tacos:gatewayJwtSecret '.+' -s dev/);
    });

    it("warns about the SSO client secret, not the admin password, once SSO is on", async () => {
        const warnings: string[] = [];
        await runProgram("dev", undefined, {
            secrets: "stack-file",
            warn: (w) => warnings.push(w),
            editStackFile: (c) =>
                (c["tacos:argocd"].oidc = { issuer: "https://sso.example.com", clientId: "argocd" }),
        });
        assert.deepStrictEqual(
            warnings.map((w) => /tacos:(\w+)/.exec(w)?.[1]),
            // Both stacks read the repository as a GitHub App, whose key is missing here too.
            [
                "argocdOidcClientSecret",
                "argocdRepoGithubAppPrivateKey",
                "grafanaAdminPassword",
                "gatewayJwtSecret",
            ],
        );
    });

    it("counts encrypted secure: values as set, in the policy gate, without judging their shape", async () => {
        const warnings: string[] = [];
        const result = await runGate("dev", undefined, {
            secrets: "stack-file",
            warn: (w) => warnings.push(w),
            editStackFile: (c) => {
                for (const key of requiredSecretKeys({ singleSignOn: false, githubApp: true }))
                    c[`tacos:${key}`] = encrypted;
            },
        });
        assert.deepStrictEqual(warnings, []);
        assert.deepStrictEqual(result.mandatory, []);
        assert.ok(result.resources.some((r) => r.type === "kubernetes:helm.sh/v3:Release"));
    });
});
