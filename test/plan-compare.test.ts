/** The plan compared with a git revision's: on a scratch repository, and the comparison's pure parts. */
import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { PlanComparison } from "../tools/plan/compare";
import { compareCostLines, comparePlans } from "../tools/plan/compare";
import { formatComparison } from "../tools/plan/compare-format";
import { LINKED_TREES } from "../tools/plan/compare-base";
import { compareInventory, ResourceRecord } from "../tools/plan/compare-inventory";
import type { CostLine } from "../tools/plan/report";
import { usePlans } from "./plans";
import { editFile, scratchCopy } from "./scratch-copy";

/** A scratch repository: a commit without the stack files, the working tree, then two changes. */
function scratchRepository(): string {
    const root = scratchCopy();
    const git = (...args: string[]) =>
        execFileSync(
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
    const commit = (subject: string) => {
        git("add", "-A");
        git("commit", "-q", "-m", subject);
    };
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
    commit("Add the platform");
    editFile(root, "Pulumi.dev.yaml", "maxReplicas: 10, rpsPerPod: 300", "maxReplicas: 14, rpsPerPod: 300");
    commit("Raise gateway-api's maximum replicas");
    editFile(root, "Pulumi.dev.yaml", "instanceTypes: [m7g.xlarge]", "instanceTypes: [m6g.xlarge]");
    commit("Move the system nodes to m6g");
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
});

describe("plan comparison", function () {
    this.timeout(120000);
    const plans = usePlans();
    const record = (
        type: string,
        name: string,
        inputs: Record<string, unknown>,
        parent = "",
    ): ResourceRecord => ({
        urn: `urn:pulumi:dev::tacos-platform::${parent}${type}::${name}`,
        type,
        name,
        inputs,
    });
    const table = "aws:dynamodb/table:Table";
    const queue = "aws:sqs/queue:Queue";

    it("counts by type what is added, removed and changed, and names each stateful replacement", () => {
        const before = [
            record(table, "users", { name: "users", billingMode: "PAY_PER_REQUEST" }),
            record(table, "orders", { name: "orders" }),
            record(queue, "events", { name: "events" }),
            record("aws:iam/role:Role", "old", {}),
        ];
        const after = [
            record(table, "users", { name: "users", billingMode: "PROVISIONED" }),
            record(table, "orders", { name: "orders-v2" }),
            record(queue, "events", { name: "events" }, "tacos:messaging$"),
            record("aws:iam/role:Role", "new", {}),
        ];
        const c = compareInventory(before, after);
        assert.deepStrictEqual(c.added, { [queue]: 1, "aws:iam/role:Role": 1 });
        assert.deepStrictEqual(c.removed, { [queue]: 1, "aws:iam/role:Role": 1 });
        assert.deepStrictEqual(c.changed, { [table]: 2 });
        assert.deepStrictEqual(
            c.replacements.map((r) => [r.type, r.changed, r.before === r.after]),
            [
                [table, ["name"], true],
                [queue, ["urn"], false],
            ],
        );
    });

    it("matches a cost line whose detail changed and orders the changes by size", () => {
        const line = (item: string, min: number, max: number): CostLine => ({
            component: "c",
            item,
            min,
            max,
            basis: "",
        });
        const changes = compareCostLines(
            [line("node group system (m7g.xlarge)", 10, 20), line("NAT", 5, 5), line("same", 1, 1)],
            [line("node group system (m6g.xlarge)", 9, 18), line("NAT", 50, 50), line("same", 1, 1)],
        );
        assert.deepStrictEqual(
            changes.map((c) => [c.before, c.after, c.max.difference]),
            [
                ["NAT", "NAT", 45],
                ["node group system (m7g.xlarge)", "node group system (m6g.xlarge)", -2],
            ],
        );
    });

    it("names what an older base report lacks instead of guessing it, and the violations that appear", () => {
        const head = plans.prod.report;
        const base: Record<string, any> = JSON.parse(JSON.stringify(head));
        delete base.cost.load;
        delete base.capacity.timeline;
        delete base.capacity.zoneLost;
        const violation = {
            policy: "some-rule",
            group: "finops",
            enforcementLevel: "mandatory" as const,
            message: "a new violation",
            urn: "urn:x",
        };
        const after = {
            ...head,
            policy: { ...head.policy, violations: [...head.policy.violations, violation] },
        };
        const c = comparePlans("main", { report: base as typeof head }, { report: after, resources: [] });
        assert.deepStrictEqual(c.notInBase, [
            "cost.load.targetLoad",
            "capacity.timeline",
            "capacity.zoneLost",
            "the run's registrations",
        ]);
        assert.deepStrictEqual(c.cost.targetLoad, {
            before: null,
            after: head.cost.load!.targetLoad,
            difference: head.cost.load!.targetLoad,
        });
        assert.deepStrictEqual(c.policy, { appeared: [violation], disappeared: [] });
        assert.strictEqual(c.inventory, undefined);
        const text = formatComparison(c);
        assert.match(text, /- at target load: not in the base report → \$/);
        assert.match(text, /appears: mandatory `some-rule`: a new violation \(urn:x\)/);
        assert.match(text, /The run's registrations are not in the base report\./);
    });
});
