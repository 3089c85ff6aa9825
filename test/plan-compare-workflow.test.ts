/** The pull request's plan comparison job: what it runs, with which token, and how it posts one comment. */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { REPO_ROOT } from "../tools/harness";
import { knownStacks } from "../tools/stack-files";
import { COMMENT_MARKER } from "../tools/plan/compare-comment";
import { STACKS } from "./stacks";

const workflow = YAML.parse(
    fs.readFileSync(path.join(REPO_ROOT, ".github", "workflows", "pull-request.yml"), "utf8"),
);
const job = workflow.jobs["plan-comparison"];
const step = (name: string) => job.steps.find((s: any) => s.name === name);

/**
 * Runs the posting step's script as GitHub runs a `run:` step (bash -eo pipefail; GitHub Actions'
 * workflow syntax, `jobs.<job_id>.steps[*].shell`), with a stand-in `gh` that records its
 * arguments, prints `ids` for the comment listing and exits `status` for the post.
 */
function post(ids: string, status = 0, body = "the comparison") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tacos-post-"));
    try {
        fs.mkdirSync(path.join(dir, "bin"));
        fs.writeFileSync(
            path.join(dir, "bin", "gh"),
            [
                "#!/usr/bin/env bash",
                'echo "$*" >> "$RUNNER_TEMP/calls"',
                'if [ "$2" = "--paginate" ]; then printf "%s" "$FAKE_IDS"; exit 0; fi',
                'exit "$FAKE_STATUS"',
            ].join("\n"),
            { mode: 0o755 },
        );
        if (body) fs.writeFileSync(path.join(dir, "plan-comparison.md"), body);
        const run = spawnSync(
            "bash",
            [
                "--noprofile",
                "--norc",
                "-eo",
                "pipefail",
                "-c",
                step("Post or update the comparison comment").run,
            ],
            {
                encoding: "utf8",
                env: {
                    ...process.env,
                    PATH: `${path.join(dir, "bin")}:${process.env.PATH}`,
                    RUNNER_TEMP: dir,
                    GITHUB_REPOSITORY: "traffic-tacos/tacos-platform",
                    PR: "7",
                    FAKE_IDS: ids,
                    FAKE_STATUS: String(status),
                },
            },
        );
        const calls = path.join(dir, "calls");
        const lines = fs.existsSync(calls) ? fs.readFileSync(calls, "utf8").trim().split("\n") : [];
        return {
            status: run.status,
            stdout: run.stdout,
            calls: lines.map((l) => l.replaceAll(dir, "<tmp>")),
        };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

describe("pull request: plan comparison job", () => {
    it("compares every stack of the repository, offline on a hosted runner, with the test job's setup", () => {
        assert.deepStrictEqual(job.env.STACKS.split(" "), [...STACKS]);
        assert.deepStrictEqual([...STACKS], knownStacks(), "the repository's stack files");
        assert.strictEqual(job["runs-on"], "ubuntu-24.04");
        assert.strictEqual(job.steps[0].with["fetch-depth"], 2, "the merge commit and its parents");
        const actions = (j: any) => j.steps.filter((s: any) => s.uses).map((s: any) => [s.uses, s.with]);
        const setup = actions(workflow.jobs.test).map(([uses, w]: any) => [
            uses,
            uses.startsWith("actions/checkout") ? { "fetch-depth": 2 } : w,
        ]);
        assert.deepStrictEqual(actions(job), setup, "the same actions, versions and cache as the test job");
        const compare = step("Compare each stack's plan with the base branch's");
        assert.strictEqual(
            compare.run,
            [
                `base="$(git rev-parse --verify --short 'HEAD^1')"`,
                'npx tsx scripts/plan-comment.ts --against "$base" --out "$RUNNER_TEMP/plan-comparison.md" $STACKS >> "$GITHUB_STEP_SUMMARY"',
                "",
            ].join("\n"),
            "against the merge's first parent: the base as the merge commit has it",
        );
    });

    it("may write pull requests and nothing else, and posts even when the comparison failed", () => {
        assert.deepStrictEqual(job.permissions, { contents: "read", "pull-requests": "write" });
        assert.deepStrictEqual(workflow.permissions, { contents: "read" }, "the other jobs keep read-only");
        const posting = step("Post or update the comparison comment");
        assert.strictEqual(posting.if, "${{ !cancelled() && steps.compare.outcome != 'skipped' }}");
        assert.ok(posting.run.includes(`contains("${COMMENT_MARKER}")`), "finds the comment by the marker");
    });

    it("updates the first comment found by its marker, else adds one", () => {
        const body = "-F body=@<tmp>/plan-comparison.md";
        const list = "api --paginate repos/traffic-tacos/tacos-platform/issues/7/comments --jq";
        const added = post("");
        assert.strictEqual(added.status, 0);
        assert.deepStrictEqual(
            added.calls.map((c) => c.split(" .[]")[0]),
            [list, `api --method POST repos/traffic-tacos/tacos-platform/issues/7/comments ${body}`],
        );
        const updated = post("1101\n1102\n");
        assert.deepStrictEqual(
            updated.calls[1],
            `api --method PATCH repos/traffic-tacos/tacos-platform/issues/comments/1101 ${body}`,
        );
    });

    it("only warns when the token may not post, and posts nothing without a comparison", () => {
        const refused = post("", 1);
        assert.strictEqual(refused.status, 0);
        assert.match(refused.stdout, /^::warning::The plan comparison could not be posted/);
        assert.deepStrictEqual(post("", 0, "").calls, []);
    });
});
