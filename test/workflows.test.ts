/** The CI workflows: what they run, with which credentials, in which order. */
import * as assert from "assert";
import { STACKS } from "./stacks";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { RUNNER_WORKFLOWS, runnerProjectName } from "../components/aws/ci-runner";
import { REPO_ROOT } from "../tools/harness";

const workflow = (name: string) =>
    YAML.parse(fs.readFileSync(path.join(REPO_ROOT, ".github", "workflows", name), "utf8"));
const uses = (job: any, action: string) =>
    job.steps.filter((s: any) => String(s.uses ?? "").startsWith(action));

describe("CI workflows", () => {
    for (const file of ["pull-request.yml", "main.yml"]) {
        it(`${file}: runs the README's checks first and reaches AWS only through OIDC`, () => {
            const wf = workflow(file);
            assert.ok(wf.jobs.test.steps.some((s: any) => s.run === "bash .ci/run"));
            const text = fs.readFileSync(path.join(REPO_ROOT, ".github", "workflows", file), "utf8");
            assert.ok(
                !/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|aws-access-key-id/.test(text),
                "no long-lived keys",
            );
            const jobs = Object.entries<any>(wf.jobs);
            const pulumiJobs = jobs.filter(([, job]) => uses(job, "pulumi/actions").length > 0);
            assert.ok(pulumiJobs.length > 0, `${file} runs pulumi`);
            for (const [name, job] of pulumiJobs) {
                assert.strictEqual(
                    uses(job, "aws-actions/configure-aws-credentials").length,
                    1,
                    `${name} gets AWS credentials through OIDC`,
                );
            }
            for (const [name, job] of jobs) {
                for (const step of uses(job, "aws-actions/configure-aws-credentials")) {
                    assert.ok(step.with["role-to-assume"], `${name} assumes a role`);
                    assert.strictEqual(
                        job.permissions?.["id-token"],
                        "write",
                        `${name} may request an OIDC token`,
                    );
                }
                for (const step of uses(job, "pulumi/actions")) {
                    assert.strictEqual(step.with.policyPacks, "policy", `${name} runs the policy pack`);
                    assert.match(
                        step.with.policyPackConfigs,
                        /^policy\/(dev|prod|\$\{\{ matrix\.stack \}\})\.json$/,
                    );
                    assert.match(String(step.with["pulumi-version"]), /^\d+\.\d+\.\d+$/, "pinned CLI");
                }
            }
        });
    }

    it("previews every stack on pull requests, posting the result on the PR", () => {
        const preview = workflow("pull-request.yml").jobs.preview;
        assert.deepStrictEqual(preview.strategy.matrix.stack, [...STACKS]);
        const [step] = uses(preview, "pulumi/actions");
        assert.deepStrictEqual([step.with.command, step.with["comment-on-pr"]], ["preview", true]);
        assert.deepStrictEqual(preview.needs, "test");
    });

    it("runs every job that previews or deploys a stack on that stack's runner inside its VPC", () => {
        const label = (stack: string) =>
            `codebuild-${runnerProjectName(`traffic-tacos-${stack}`)}-\${{ github.run_id }}-\${{ github.run_attempt }}`;
        let checked = 0;
        for (const file of ["pull-request.yml", "main.yml"]) {
            for (const [name, job] of Object.entries<any>(workflow(file).jobs)) {
                for (const step of uses(job, "pulumi/actions")) {
                    assert.ok(["preview", "up"].includes(step.with.command), `${name}: ${step.with.command}`);
                    const stacks: string[] = job.strategy?.matrix?.stack ?? [
                        String(step.with["stack-name"]).split("/").pop(),
                    ];
                    for (const stack of stacks) {
                        const runsOn = String(job["runs-on"]).replace("${{ matrix.stack }}", stack);
                        assert.strictEqual(runsOn, label(stack), `${file} ${name} (${stack})`);
                        checked++;
                    }
                }
                if (uses(job, "pulumi/actions").length === 0) {
                    assert.ok(
                        !String(job["runs-on"]).startsWith("codebuild-"),
                        `${file} ${name}: jobs that need no cluster stay on hosted runners`,
                    );
                }
            }
        }
        assert.strictEqual(checked, 4, "preview of dev and prod, up of dev and prod");
        // The runner's webhook admits these workflows by name.
        assert.deepStrictEqual(
            ["pull-request.yml", "main.yml"].map((f) => workflow(f).name).sort(),
            [...RUNNER_WORKFLOWS].sort(),
        );
    });

    it("deploys dev on main, then prod behind the production environment's approval", () => {
        const jobs = workflow("main.yml").jobs;
        assert.strictEqual(uses(jobs["up-dev"], "pulumi/actions")[0].with.command, "up");
        assert.strictEqual(jobs["up-prod"].needs, "up-dev");
        assert.deepStrictEqual(
            jobs["up-dev"].needs,
            ["test", "chart-pin"],
            "no deploy before the pinned chart takes the delivered values",
        );
        assert.deepStrictEqual(jobs["chart-pin"].strategy.matrix.stack, [...STACKS]);
        assert.ok(
            jobs["chart-pin"].steps.some(
                (s: any) => s.run === "npm run chart:pin -- --stack ${{ matrix.stack }}",
            ),
        );
        assert.strictEqual(
            jobs["chart-pin"].steps[0].with["fetch-depth"],
            0,
            "the pinned tag must be in the clone",
        );
        assert.strictEqual(jobs["up-prod"].environment, "production");
        assert.match(uses(jobs["up-prod"], "pulumi/actions")[0].with["stack-name"], /\/prod$/);
    });
});
