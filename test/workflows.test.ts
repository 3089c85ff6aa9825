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
/** The steps that run a Pulumi command (pulumi/actions with no command only installs the CLI). */
const pulumiRuns = (job: any) => uses(job, "pulumi/actions").filter((s: any) => s.with?.command);
const PIN_STEP = (stack: string, sha: string) =>
    `pulumi config set --path --stack "\${{ vars.PULUMI_ORG }}/${stack}" tacos:argocd.chartRevision "\${{ ${sha} }}"`;

/** The step before a job's Pulumi command pins the Applications to `sha`, with the CLI that command uses. */
function assertPinsChart(job: any, stack: string, sha: string): void {
    const [run] = pulumiRuns(job);
    const at = job.steps.indexOf(run);
    const pin = job.steps[at - 1];
    assert.strictEqual(pin.run, PIN_STEP(stack, sha));
    assert.ok(pin.env.PULUMI_ACCESS_TOKEN, "the pin step logs in to the backend");
    const install = job.steps[at - 2];
    assert.ok(
        String(install.uses).startsWith("pulumi/actions@") && !install.with.command,
        "the CLI is installed",
    );
    assert.strictEqual(install.with["pulumi-version"], run.with["pulumi-version"], "the same CLI");
}

describe("CI workflows", () => {
    for (const file of ["pull-request.yml", "main.yml"]) {
        it(`${file}: runs the README's checks first and reaches AWS only through OIDC`, () => {
            const wf = workflow(file);
            const runs = wf.jobs.test.steps.map((s: any) => s.run).filter(Boolean);
            assert.deepStrictEqual(
                runs,
                ["bash .ci/run", "npm run render:addons"],
                "the checks, then the chart pins pulled",
            );
            const text = fs.readFileSync(path.join(REPO_ROOT, ".github", "workflows", file), "utf8");
            assert.ok(
                !/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|aws-access-key-id/.test(text),
                "no long-lived keys",
            );
            const jobs = Object.entries<any>(wf.jobs);
            const pulumiJobs = jobs.filter(([, job]) => pulumiRuns(job).length > 0);
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
                for (const step of pulumiRuns(job)) {
                    assert.strictEqual(step.with.policyPacks, "policy", `${name} runs the policy pack`);
                    assert.match(
                        step.with.policyPackConfigs,
                        /^policy\/(dev|prod|review|\$\{\{ matrix\.stack \}\})\.json$/,
                    );
                    assert.match(String(step.with["pulumi-version"]), /^\d+\.\d+\.\d+$/, "pinned CLI");
                }
            }
        });
    }

    it("previews every stack on pull requests, posting the result on the PR", () => {
        const preview = workflow("pull-request.yml").jobs.preview;
        assert.deepStrictEqual(preview.strategy.matrix.stack, [...STACKS]);
        const [step] = pulumiRuns(preview);
        assert.deepStrictEqual([step.with.command, step.with["comment-on-pr"]], ["preview", true]);
        assert.deepStrictEqual(preview.needs, "test");
        assertPinsChart(preview, "${{ matrix.stack }}", "github.event.pull_request.head.sha");
    });

    it("runs every job that previews or deploys a stack on that stack's runner inside its VPC", () => {
        const label = (stack: string) =>
            `codebuild-${runnerProjectName(`traffic-tacos-${stack}`)}-\${{ github.run_id }}-\${{ github.run_attempt }}`;
        let checked = 0;
        for (const file of ["pull-request.yml", "main.yml"]) {
            for (const [name, job] of Object.entries<any>(workflow(file).jobs)) {
                for (const step of pulumiRuns(job)) {
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
                if (pulumiRuns(job).length === 0) {
                    assert.ok(
                        !String(job["runs-on"]).startsWith("codebuild-"),
                        `${file} ${name}: jobs that need no cluster stay on hosted runners`,
                    );
                }
            }
        }
        assert.strictEqual(checked, 5, "preview of dev, prod and review, up of dev and prod");
        // The runner's webhook admits these workflows by name.
        assert.deepStrictEqual(
            ["pull-request.yml", "main.yml"].map((f) => workflow(f).name).sort(),
            [...RUNNER_WORKFLOWS].sort(),
        );
    });

    it("deploys dev on main, then prod behind the production environment's approval, each pinned to the commit", () => {
        const jobs = workflow("main.yml").jobs;
        assert.strictEqual(pulumiRuns(jobs["up-dev"])[0].with.command, "up");
        assert.deepStrictEqual(
            jobs["up-dev"].needs,
            ["test", "chart-pin"],
            "no deploy before the commit's chart passes chart:pin",
        );
        // pulumi up returns once every Application is Synced and Healthy, so this order is the wait.
        assert.strictEqual(jobs["up-prod"].needs, "up-dev", "prod only after dev's pulumi up succeeded");
        for (const stack of ["dev", "prod"]) assertPinsChart(jobs[`up-${stack}`], stack, "github.sha");
        // The review stack is deployed by hand (docs/review-stacks.md): main checks and deploys the others.
        assert.deepStrictEqual(
            jobs["chart-pin"].strategy.matrix.stack,
            STACKS.filter((stack) => stack !== "review"),
        );
        assert.ok(!JSON.stringify(jobs).includes("/review"), "main never deploys the review stack");
        assert.ok(
            jobs["chart-pin"].steps.some(
                (s: any) =>
                    s.run === "npm run chart:pin -- --stack ${{ matrix.stack }} --revision ${{ github.sha }}",
            ),
            "chart:pin checks the very commit the deploy pins",
        );
        assert.strictEqual(
            jobs["chart-pin"].steps[0].with["fetch-depth"],
            0,
            "the branches' history, to see that the commit is on the remote",
        );
        assert.strictEqual(jobs["up-prod"].environment, "production");
        assert.match(pulumiRuns(jobs["up-prod"])[0].with["stack-name"], /\/prod$/);
    });
});
