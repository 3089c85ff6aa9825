/** `npm run cost-tags`: the cost allocation tags' status read from the AWS CLI, here a stand-in on PATH. */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "../tools/harness";
import { formatTagStatuses, tagStatuses } from "../tools/cost-tags";

const KEYS = ["Project", "Environment", "CostCenter", "Owner", "ManagedBy", "Service", "Component"];

/** The CLI's listing with `Environment` inactive, `Component` absent and every other key active. */
const LISTING = JSON.stringify({
    CostAllocationTags: KEYS.filter((k) => k !== "Component").map((TagKey) => ({
        TagKey,
        Type: "UserDefined",
        Status: TagKey === "Environment" ? "Inactive" : "Active",
    })),
});

describe("cost-tags: whether Billing attributes cost by the stack's tags", function () {
    this.timeout(60000);

    it("reads each key's status, a key Billing has not listed being unseen", () => {
        assert.deepStrictEqual(
            tagStatuses(LISTING).map((s) => `${s.key}:${s.status}`),
            KEYS.map(
                (k) => `${k}:${k === "Environment" ? "Inactive" : k === "Component" ? "unseen" : "Active"}`,
            ),
        );
        assert.throws(() => tagStatuses('{"Tags": []}'), /printed no tag listing: \{"Tags": \[\]\}/);
        assert.throws(() => tagStatuses("not json"), /printed no tag listing/);
    });

    it("gives the command that activates exactly the inactive keys, and says what waits", () => {
        const { text, allActive } = formatTagStatuses(tagStatuses(LISTING));
        assert.strictEqual(allActive, false);
        assert.ok(
            text.includes(
                "aws ce update-cost-allocation-tags-status --region us-east-1 --cost-allocation-tags-status TagKey=Environment,Status=Active\n",
            ),
            text,
        );
        assert.match(text, /Not yet seen by Billing: Component\. A key is listed up to 24 hours/);
        assert.match(text, /budget and anomaly monitor see none of its spend/);
        const active = KEYS.map((TagKey) => ({ TagKey, Status: "Active" }));
        assert.strictEqual(
            formatTagStatuses(tagStatuses(JSON.stringify({ CostAllocationTags: active }))).allActive,
            true,
        );
    });

    describe("the command line", () => {
        let bin: string;
        before(() => {
            bin = fs.mkdtempSync(path.join(os.tmpdir(), "fake-aws-"));
            // Records its arguments; prints $LISTING, or fails as a member account does.
            fs.writeFileSync(
                path.join(bin, "aws"),
                '#!/bin/sh\necho "$@" > "$AWS_ARGS_FILE"\n[ -n "$FAIL" ] && { echo "An error occurred (AccessDeniedException)" >&2; exit 254; }\nprintf "%s" "$LISTING"\n',
                { mode: 0o755 },
            );
        });
        after(() => fs.rmSync(bin, { recursive: true }));

        const cli = (env: Record<string, string>, ...args: string[]) =>
            spawnSync("npx", ["tsx", "scripts/cost-tags.ts", ...args], {
                cwd: REPO_ROOT,
                encoding: "utf8",
                env: {
                    ...process.env,
                    PATH: `${bin}${path.delimiter}${process.env.PATH}`,
                    AWS_ARGS_FILE: path.join(bin, "args"),
                    ...env,
                },
            });

        it("asks Cost Explorer in us-east-1 for the stack's keys with the given profile, and exits 1 while one is not active", () => {
            const run = cli({ LISTING }, "--stack", "prod", "--profile", "payer");
            assert.strictEqual(run.status, 1, run.stdout + run.stderr);
            assert.match(
                run.stdout,
                /^Cost allocation tags of stack prod \(activated by: payer\)\n {2}Project: Active/,
            );
            assert.strictEqual(
                fs.readFileSync(path.join(bin, "args"), "utf8").trim(),
                `ce list-cost-allocation-tags --region us-east-1 --output json --tag-keys ${KEYS.join(" ")} --profile payer`,
            );
        });

        it("exits 0 when every key is active", () => {
            const all = JSON.stringify({
                CostAllocationTags: KEYS.map((TagKey) => ({ TagKey, Status: "Active" })),
            });
            const run = cli({ LISTING: all }, "--stack", "dev");
            assert.strictEqual(run.status, 0, run.stdout + run.stderr);
            assert.match(run.stdout, /Every cost tag is active/);
        });

        it("exits 2 naming the failure when the account may not list them", () => {
            const run = cli({ LISTING, FAIL: "1" }, "--stack", "dev");
            assert.strictEqual(run.status, 2);
            assert.match(
                run.stderr,
                /^cost-tags: aws ce list-cost-allocation-tags .* failed: An error occurred \(AccessDeniedException\) \(only the organisation's management account/,
            );
        });
    });
});
