/**
 * How Argo CD reads this repository: through a GitHub App's repository Secret made from secret
 * config, or with no credential when the stack says the repository is public; never a guess.
 */
import * as assert from "assert";
import { findResource, ofType, ProgramRun, runProgram, TEST_SECRETS } from "../tools/harness";
import { problemsAfter } from "./config-problems";
import { sectionOf, STACKS, useStackRuns } from "./stacks";

const KEY = "tacos:argocdRepoGithubAppPrivateKey";
const secretsOf = (run: ProgramRun) => ofType(run, "kubernetes:core/v1:Secret");

describe("Argo CD's repository credential", () => {
    const runs = useStackRuns();

    for (const stack of STACKS) {
        it(`${stack}: a GitHub App repository Secret in the argocd namespace, its private key secret in state`, () => {
            const secret = findResource(runs[stack], "kubernetes:core/v1:Secret", "argocd-repository");
            const argocd = sectionOf(runs[stack], "argocd");
            assert.strictEqual(secret.inputs.metadata.namespace, "argocd");
            assert.strictEqual(secret.inputs.metadata.labels["argocd.argoproj.io/secret-type"], "repository");
            assert.deepStrictEqual(secret.inputs.stringData, {
                type: "git",
                url: argocd.repoUrl,
                githubAppID: String(argocd.repoAccess.appId),
                githubAppInstallationID: String(argocd.repoAccess.installationId),
                githubAppPrivateKey: TEST_SECRETS[KEY],
            });
            assert.ok(
                secret.secretInputs.some((p) => p === "stringData" || p === "stringData.githubAppPrivateKey"),
                `the private key is secret; secret inputs: ${secret.secretInputs.join(", ")}`,
            );
        });

        it(`${stack}: every Application waits for the repository Secret`, () => {
            const secret = findResource(runs[stack], "kubernetes:core/v1:Secret", "argocd-repository");
            for (const app of ofType(runs[stack], "kubernetes:argoproj.io/v1alpha1:Application")) {
                assert.ok(
                    app.options.dependsOn.includes(secret.urn),
                    `${app.inputs.metadata.name} is created after the credential`,
                );
            }
        });
    }

    it("creates no credential when the stack says the repository is public", async () => {
        const run = await runProgram("dev", (c) => {
            c["tacos:argocd"].repoAccess = { type: "public" };
            delete c[KEY];
        });
        assert.strictEqual(run.error, undefined, String(run.error));
        assert.deepStrictEqual(
            secretsOf(run).filter((s) => s.inputs.metadata.namespace === "argocd"),
            [],
        );
        assert.strictEqual(ofType(run, "kubernetes:argoproj.io/v1alpha1:Application").length, 5);
    });

    it("refuses a stack that does not say how Argo CD reads the repository", () => {
        const problems = problemsAfter((c) => delete c["tacos:argocd"].repoAccess);
        assert.deepStrictEqual(problems, ["argocd.repoAccess is required"]);
    });

    it("refuses an unknown kind of access, naming both kinds", () => {
        const problems = problemsAfter((c) => (c["tacos:argocd"].repoAccess = { type: "token" }));
        assert.ok(
            problems.some((p) =>
                /^argocd\.repoAccess.* must be \{ type: public \} or \{ type: githubApp/.test(p),
            ),
            problems.join("\n"),
        );
    });

    it("refuses a GitHub App without its private key, giving the command that sets it", () => {
        const problems = problemsAfter((c) => delete c[KEY]);
        assert.deepStrictEqual(problems, [
            "argocdRepoGithubAppPrivateKey is required when argocd.repoAccess.type is githubApp (pulumi up refuses the stack without it): pulumi config set --secret tacos:argocdRepoGithubAppPrivateKey < <the GitHub App's .pem file> -s dev",
        ]);
    });

    it("refuses a private key when the repository is public, rather than ignore it", () => {
        const problems = problemsAfter((c) => (c["tacos:argocd"].repoAccess = { type: "public" }));
        assert.strictEqual(problems.length, 1, problems.join("\n"));
        assert.match(
            problems[0],
            /^argocdRepoGithubAppPrivateKey is set but argocd\.repoAccess\.type is public/,
        );
    });

    it("refuses a private key that is not PEM, and App ids that are not positive integers", () => {
        const problems = problemsAfter((c) => {
            c[KEY] = "ghp_notAKey";
            c["tacos:argocd"].repoAccess = { type: "githubApp", appId: "123", installationId: 0 };
        });
        for (const field of [
            "argocdRepoGithubAppPrivateKey must be the GitHub App's PEM private key",
            "argocd.repoAccess.appId",
            "argocd.repoAccess.installationId",
        ]) {
            assert.ok(
                problems.some((p) => p.startsWith(field)),
                `${field} missing from:\n${problems.join("\n")}`,
            );
        }
    });
});
