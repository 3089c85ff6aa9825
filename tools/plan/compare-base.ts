/**
 * `npm run plan -- --stack <name> --against <git-ref>`: the working tree's plan against the plan of
 * a git revision. The base plan is built by the base's own code, in a temporary extract of that
 * revision (git archive), with the working tree's pricing table so that a price change shows as one;
 * it runs in a child process while this process builds the working tree's plan.
 */
import { execFile, execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { pullRequestSchema } from "../../components/config/pull-request";
import { REPO_ROOT } from "../harness";
import { readStackConfig } from "../stack-files";
import { comparePlans, PlanComparison, PlanSnapshot } from "./compare";
import { resourceRecords } from "./compare-child";
import { CostLimits, limitsOf } from "./compare-verdict";
import { buildPlan } from "./index";
import { PRICING_FILE, readPricing } from "./pricing";

/** Installed trees a copy of the repository links to instead of copying. */
export const LINKED_TREES = ["node_modules", "policy/node_modules", ".tools"];

function git(args: string[]): Buffer {
    return execFileSync("git", args, {
        cwd: REPO_ROOT,
        maxBuffer: 1 << 30,
        stdio: ["ignore", "pipe", "pipe"],
    });
}

/** The commit `ref` names; an error naming the ref when it names none. */
function commitOf(ref: string): string {
    try {
        return git(["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`])
            .toString()
            .trim();
    } catch {
        throw new Error(`--against ${ref}: no such git revision in ${REPO_ROOT}`);
    }
}

/**
 * Whether the revision `ref` has the stack's file, read from its tree; an error naming the ref when
 * it names none, and git's own when the tree cannot be read (a shallow clone missing it), never a
 * guess that the stack is new.
 */
export function baseHasStack(ref: string, stack: string): boolean {
    const file = `Pulumi.${stack}.yaml`;
    return (
        git(["ls-tree", "--name-only", commitOf(ref), "--", file])
            .toString()
            .trim() === file
    );
}

/** The commit `ref` names; an error naming the ref when it names none or lacks the stack file. */
export function resolveBase(ref: string, stack: string): string {
    const commit = commitOf(ref);
    if (!baseHasStack(commit, stack)) {
        throw new Error(`--against ${ref}: that revision has no Pulumi.${stack}.yaml`);
    }
    return commit;
}

/** Extracts `commit` into `dir` and links the installed trees and the working tree's pricing into it. */
function extract(commit: string, dir: string): void {
    execFileSync("tar", ["-x", "-C", dir], { input: git(["archive", "--format=tar", commit]) });
    for (const linked of LINKED_TREES) {
        fs.rmSync(path.join(dir, linked), { recursive: true, force: true });
        fs.symlinkSync(path.join(REPO_ROOT, linked), path.join(dir, linked));
    }
    fs.mkdirSync(path.join(dir, path.dirname(path.relative(REPO_ROOT, PRICING_FILE))), { recursive: true });
    fs.copyFileSync(PRICING_FILE, path.join(dir, path.relative(REPO_ROOT, PRICING_FILE)));
    fs.copyFileSync(
        path.join(__dirname, "compare-child.ts"),
        path.join(dir, "tools", "plan", "compare-child.ts"),
    );
}

/**
 * The base revision's plan, built in the extract `dir` by a child process: this node with tsx's
 * CommonJS loader preloaded, not `npx tsx`, whose npm and tsx processes would start two more nodes
 * first. The program and the tools are CommonJS; a base revision that needed tsx's ESM hooks (a
 * dynamic import of a .ts file) would not plan.
 */
async function basePlan(dir: string, stack: string): Promise<PlanSnapshot> {
    const output = path.join(dir, ".plan-base.json");
    const child = ["--require", require.resolve("tsx/cjs"), "tools/plan/compare-child.ts", stack, output];
    try {
        await promisify(execFile)(process.execPath, child, {
            cwd: dir,
            maxBuffer: 1 << 28,
        });
    } catch (e) {
        const stderr = String((e as { stderr?: string }).stderr ?? "").trim();
        const last = stderr
            .split("\n")
            .filter((l) => !l.startsWith("warning:"))
            .slice(-3)
            .join("\n");
        throw new Error(`the base revision's plan failed: ${last || (e as Error).message}`);
    }
    return JSON.parse(fs.readFileSync(output, "utf8"));
}

/**
 * The cost limits: the working tree's, which the program has validated with the rest of its stack
 * file, and the base's as its stack file holds them (null when it sets none), so that a change to
 * the limits themselves shows.
 */
function costLimits(stack: string, dir: string, headConfig: Record<string, unknown>): CostLimits {
    return {
        before: limitsOf(readStackConfig(stack, dir)["tacos:pullRequest"]),
        after: pullRequestSchema.parse(headConfig["tacos:pullRequest"]).costIncreaseLimitUsd,
    };
}

/** Builds both plans (the base in a temporary extract, removed afterwards) and compares them. */
export async function buildComparison(stack: string, against: string): Promise<PlanComparison> {
    const commit = resolveBase(against, stack);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tacos-plan-base-"));
    try {
        extract(commit, dir);
        const [base, head] = await Promise.allSettled([
            basePlan(dir, stack),
            buildPlan(stack, undefined, readPricing(), { secrets: "stack-file" }),
        ]);
        if (head.status === "rejected") throw head.reason;
        if (base.status === "rejected") throw base.reason;
        const { report, run } = head.value;
        return comparePlans(
            against,
            base.value,
            { report, resources: resourceRecords(run.resources, REPO_ROOT) },
            costLimits(stack, dir, run.config),
        );
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
