/** The plan compared with a git revision's, on a scratch repository: figures, verdicts and exit codes. */
import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { PlanComparison } from "../tools/plan/compare";
import { formatComparison } from "../tools/plan/compare-format";
import { limitsOf, usd } from "../tools/plan/compare-verdict";
import { readStackConfig } from "../tools/stack-files";
import { LINKED_TREES } from "../tools/plan/compare-base";
import { editFile, scratchCopy } from "./scratch-copy";

/** Runs git in the scratch repository `root` as a test author. */
function scratchGit(root: string, ...args: string[]): Buffer {
    return execFileSync(
        "git",
        [
            "-c",
            "user.name=plan test",
            "-c",
            "user.email=plan@example.com",
            "-c",
            "commit.gpgsign=false",
            ...args,
        ],
        { cwd: root, stdio: "pipe" },
    );
}

/** Commits every change of the scratch repository `root`. */
function commitAll(root: string, subject: string): void {
    scratchGit(root, "add", "-A");
    scratchGit(root, "commit", "-q", "-m", subject);
}

/** A scratch repository: a commit without the stack files, the working tree, then two changes. */
function scratchRepository(): string {
    const root = scratchCopy();
    const git = (...args: string[]) => scratchGit(root, ...args);
    git("init", "-q");
    // The linked installed trees are symlinks, which the .gitignore's "dir/" patterns do not match.
    fs.appendFileSync(
        path.join(root, ".git", "info", "exclude"),
        LINKED_TREES.map((t) => `/${t}\n`).join(""),
    );
    git("add", "README.md");
    git("commit", "-q", "-m", "Start with the README alone");
    // gateway-api's RPS a pod carries, written out so that the test's figures are its own.
    editFile(
        root,
        "Pulumi.dev.yaml",
        "gateway-api: { minReplicas: 2, maxReplicas: 10 }",
        "gateway-api: { minReplicas: 2, maxReplicas: 10, rpsPerPod: 300 }",
    );
    commitAll(root, "Add the platform");
    editFile(root, "Pulumi.dev.yaml", "maxReplicas: 10, rpsPerPod: 300", "maxReplicas: 14, rpsPerPod: 300");
    commitAll(root, "Raise gateway-api's maximum replicas");
    editFile(root, "Pulumi.dev.yaml", "instanceTypes: [m7g.xlarge]", "instanceTypes: [m6g.xlarge]");
    commitAll(root, "Move the system nodes to m6g");
    return root;
}

/** The hourly on-demand price of `type` in the table's rows. */
function hourly(table: { rows: { key: string; region: string; usd: number }[] }, type: string): number {
    const row = table.rows.find((r) => r.key === `ec2.${type}.ondemand` && r.region === "ap-northeast-2");
    assert.ok(row, type);
    return row.usd;
}

describe("plan --against", function () {
    this.timeout(300000);
    let root: string;
    // The command's own temporary directory, to see that it leaves nothing behind.
    let temp: string;
    const cli = (...args: string[]) =>
        spawnSync("npx", ["tsx", "scripts/plan.ts", "--stack", "dev", ...args], {
            cwd: root,
            encoding: "utf8",
            env: { ...process.env, TMPDIR: temp },
        });

    before(() => {
        root = scratchRepository();
        temp = fs.mkdtempSync(path.join(os.tmpdir(), "tacos-compare-tmp-"));
    });
    after(() => {
        fs.rmSync(root, { recursive: true, force: true });
        fs.rmSync(temp, { recursive: true, force: true });
    });

    it("reports the cost and capacity of two commits' changes against hand-computed figures", () => {
        const run = cli("--against", "HEAD~2", "--json");
        assert.strictEqual(run.status, 0, run.stderr);
        const comparison: PlanComparison = JSON.parse(run.stdout);
        const table = JSON.parse(fs.readFileSync(path.join(root, "pricing", "aws-prices.json"), "utf8"));

        // The maximum raised by 4 pods of 300 RPS each.
        const gateway = comparison.capacity.services.find((s) => s.service === "gateway-api");
        assert.deepStrictEqual(gateway?.capacityRps, { before: 3000, after: 4200, difference: 1200 });
        assert.deepStrictEqual(comparison.capacity.edge, { before: 3000, after: 4200, difference: 1200 });

        // The system node group: 2 nodes at minimum, 3 at maximum (Pulumi.dev.yaml), each at the new price less the old.
        const perNode = (hourly(table, "m6g.xlarge") - hourly(table, "m7g.xlarge")) * table.hoursPerMonth;
        const system = comparison.cost.lines.find((l) =>
            l.before?.startsWith("node group system (m7g.xlarge"),
        );
        assert.ok(system, JSON.stringify(comparison.cost.lines));
        assert.match(system.after!, /^node group system \(m6g\.xlarge/);
        assert.ok(
            Math.abs(system.min.difference! - 2 * perNode) < 0.01,
            `${system.min.difference} vs ${2 * perNode}`,
        );
        assert.ok(
            Math.abs(system.max.difference! - 3 * perNode) < 0.01,
            `${system.max.difference} vs ${3 * perNode}`,
        );
        // At minimum scale only the node group's price moved.
        assert.ok(Math.abs(comparison.cost.totalMin.difference! - 2 * perNode) < 0.01);

        // Nothing stateful is replaced, no violation comes or goes, and the base report had every part.
        assert.deepStrictEqual(comparison.inventory?.replacements, []);
        assert.deepStrictEqual(comparison.notInBase, []);
        assert.ok(comparison.inventory && Object.keys(comparison.inventory.changed).length > 0);
        assert.deepStrictEqual(comparison.inventory.added, {});
        assert.deepStrictEqual(comparison.inventory.removed, {});
        assert.deepStrictEqual(
            fs.readdirSync(temp).filter((d) => d.startsWith("tacos-plan-base-")),
            [],
        );
    });

    it("refuses an unknown revision and one without the stack file, with one error each", () => {
        const unknown = cli("--against", "no-such-ref");
        assert.strictEqual(unknown.status, 2);
        assert.strictEqual(
            unknown.stderr.trim(),
            `plan: --against no-such-ref: no such git revision in ${root}`,
        );
        const bare = cli("--against", "HEAD~3");
        assert.strictEqual(bare.status, 2);
        assert.strictEqual(
            bare.stderr.trim(),
            "plan: --against HEAD~3: that revision has no Pulumi.dev.yaml",
        );
    });
    /** Dev's stack file in the scratch working tree, with its cost limits set to `limits` when given. */
    const devFile = () => path.join(root, "Pulumi.dev.yaml");
    const setLimits = (limits: string) =>
        fs.writeFileSync(
            devFile(),
            fs
                .readFileSync(devFile(), "utf8")
                .replace(/costIncreaseLimitUsd: \{[^}]*\}/, `costIncreaseLimitUsd: ${limits}`),
        );
    /** The system nodes back on m7g (2 at minimum): the minimum total rises by 2 nodes' price difference. */
    const systemNodesOnM7g = () =>
        editFile(root, "Pulumi.dev.yaml", "instanceTypes: [m6g.xlarge]", "instanceTypes: [m7g.xlarge]");
    const objectiveOf60s = () =>
        editFile(
            root,
            "Pulumi.dev.yaml",
            "timeline: { objectiveSeconds: 300 }",
            "timeline: { objectiveSeconds: 60 }",
        );
    const minimumIncrease = () => {
        const table = JSON.parse(fs.readFileSync(path.join(root, "pricing", "aws-prices.json"), "utf8"));
        return 2 * (hourly(table, "m7g.xlarge") - hourly(table, "m6g.xlarge")) * table.hoursPerMonth;
    };

    it("fails a total above the limit and a new mandatory violation, naming each, and shows the limits' change", () => {
        const committed = fs.readFileSync(devFile(), "utf8");
        const before = limitsOf(readStackConfig("dev", root)["tacos:pullRequest"]);
        try {
            systemNodesOnM7g();
            // dev's own objective is 300 s and its scale-up takes 270 s: 60 s fails scale-up-within-objective.
            objectiveOf60s();
            setLimits("{ minimumScale: 10, maximumScale: 1000, targetLoad: 1000 }");
            const run = cli("--against", "HEAD", "--json");
            assert.strictEqual(run.status, 1, run.stderr);
            const c: PlanComparison = JSON.parse(run.stdout);
            const increase = minimumIncrease();
            assert.strictEqual(c.verdict.status, "failed");
            const [cost, violation, ...others] = c.verdict.reasons;
            assert.deepStrictEqual(others, []);
            assert.ok(cost.kind === "cost" && violation.kind === "violation", JSON.stringify(c.verdict));
            assert.deepStrictEqual([cost.total, cost.limit], ["minimumScale", 10]);
            assert.ok(Math.abs(cost.increase - increase) < 0.01, `${cost.increase} vs ${increase}`);
            assert.strictEqual(
                cost.message,
                `the monthly total at minimum scale rises by ${usd(increase)} (${usd(cost.before)} → ${usd(cost.after)}), above the limit of $10.00`,
            );
            assert.deepStrictEqual(
                [violation.violation.policy, violation.violation.enforcementLevel],
                ["scale-up-within-objective", "mandatory"],
            );
            assert.ok(before, "the committed stack file sets limits");
            assert.deepStrictEqual(c.verdict.limits, {
                before,
                after: { minimumScale: 10, maximumScale: 1000, targetLoad: 1000 },
            });
            const text = formatComparison(c);
            assert.ok(text.includes(`- **Fails:** ${cost.message}`), text);
            assert.ok(text.includes(`- **Fails:** ${violation.message}`), text);
            assert.ok(
                text.includes(
                    `**This change changes the limits:** at minimum scale ${usd(before.minimumScale!)} → $10.00, ` +
                        `at maximum scale ${usd(before.maximumScale!)} → $1,000.00, at target load ${usd(before.targetLoad!)} → $1,000.00 ` +
                        "(a raised limit applies from the next pull request).",
                ),
                text,
            );
        } finally {
            fs.writeFileSync(devFile(), committed);
        }
    });

    it("passes an increase within the limits, and reports a mandatory violation the base has too without failing", () => {
        const committed = fs.readFileSync(devFile(), "utf8");
        objectiveOf60s();
        commitAll(root, "Shorten dev's scale-up objective");
        try {
            systemNodesOnM7g();
            const run = cli("--against", "HEAD", "--json");
            assert.strictEqual(run.status, 0, run.stderr);
            const c: PlanComparison = JSON.parse(run.stdout);
            const limits = c.verdict.limits.after;
            assert.ok(Math.abs(c.cost.totalMin.difference! - minimumIncrease()) < 0.01);
            // The precondition: each total rose, within the stack file's limit.
            for (const [total, d] of [
                ["minimumScale", c.cost.totalMin],
                ["maximumScale", c.cost.totalMax],
                ["targetLoad", c.cost.targetLoad],
            ] as const) {
                assert.ok(d.difference! > 0 && d.difference! <= limits[total], `${total}: ${d.difference}`);
            }
            assert.deepStrictEqual(
                [c.verdict.status, c.verdict.reasons, c.verdict.limitChanged, c.policy.appeared],
                ["passed", [], [], []],
            );
            assert.deepStrictEqual(
                c.verdict.standing.map((v) => v.policy),
                ["scale-up-within-objective"],
            );
            assert.match(
                formatComparison(c),
                /Mandatory violations the base has too \(not counted against this change/,
            );
        } finally {
            fs.writeFileSync(devFile(), committed);
        }
    });
});
