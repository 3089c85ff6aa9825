/**
 * Whether the chart revision the Argo CD Applications pin takes the values the program gives them:
 * the chart at `argocd.chartRevision` (a tag or commit of this repository, read from the local
 * Git) rendered with each service's delivered values, as Argo CD's repo server will render it.
 * The chart's schema refuses unknown keys, so a pin older than a values key the program now sets
 * fails every sync; this finds it before `pulumi up`. The revision must be in the clone
 * (`git fetch --tags`).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CHART_PATH } from "../components/apps/delivery";
import { ofType, REPO_ROOT, runProgram } from "./harness";
import { template } from "./helm";

export interface ChartPinReport {
    stack: string;
    /** The pinned revision, as the stack file names it; undefined in helm delivery mode. */
    revision?: string;
    /** The commit it resolves to in the clone. */
    commit?: string;
    /** Why nothing could be rendered (no such revision here, no chart at it). */
    problem?: string;
    services: { service: string; ok: boolean; error?: string }[];
}

function git(
    repoDir: string,
    args: string[],
    input?: Buffer,
): { ok: boolean; stdout: Buffer; stderr: string } {
    const result = spawnSync("git", ["-C", repoDir, ...args], { input, maxBuffer: 256 * 2 ** 20 });
    return {
        ok: result.status === 0,
        stdout: result.stdout ?? Buffer.alloc(0),
        stderr: result.stderr?.toString() ?? String(result.error ?? ""),
    };
}

/** Renders the pinned chart with each Application's values; `repoDir` is the Git clone to read the revision from. */
export async function checkChartPin(
    stack: string,
    repoDir = REPO_ROOT,
    editConfig?: (config: Record<string, any>) => void,
): Promise<ChartPinReport> {
    const run = await runProgram(stack, editConfig);
    if (run.error) throw run.error;
    const apps = ofType(run, "kubernetes:argoproj.io/v1alpha1:Application")
        .map((a) => a.inputs)
        .filter((a) => a.spec?.source?.path === CHART_PATH);
    if (apps.length === 0) {
        return {
            stack,
            services: [],
            problem: "no Argo CD Application renders the chart (helm delivery renders it from this checkout)",
        };
    }
    const revisions = [...new Set(apps.map((a) => String(a.spec.source.targetRevision)))];
    if (revisions.length !== 1) {
        return {
            stack,
            services: [],
            problem: `the Applications pin different revisions: ${revisions.join(", ")}`,
        };
    }
    const revision = revisions[0];
    const resolved = git(repoDir, ["rev-parse", "--verify", "--quiet", `${revision}^{commit}`]);
    if (!resolved.ok) {
        return {
            stack,
            revision,
            services: [],
            problem: `revision ${revision} is not in this clone: fetch it (git fetch --tags) or cut it from a commit whose chart takes today's values`,
        };
    }
    const commit = resolved.stdout.toString().trim();
    const archive = git(repoDir, ["archive", "--format=tar", commit, CHART_PATH]);
    if (!archive.ok) {
        return {
            stack,
            revision,
            commit,
            services: [],
            problem: `revision ${revision} has no ${CHART_PATH}: ${archive.stderr.trim()}`,
        };
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chart-pin-"));
    try {
        const untar = spawnSync("tar", ["-x", "-C", dir], { input: archive.stdout });
        if (untar.status !== 0)
            throw new Error(`tar could not unpack the chart: ${untar.stderr?.toString()}`);
        const chartDir = path.join(dir, CHART_PATH);
        const services = apps.map((a) => {
            const service = String(a.spec.source.helm.releaseName);
            const result = template(service, stack, a.spec.source.helm.valuesObject, chartDir);
            return result.ok ? { service, ok: true } : { service, ok: false, error: result.stderr.trim() };
        });
        return { stack, revision, commit, services };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** 0 when the pinned chart renders every service; 1 otherwise. */
export const chartPinExitCode = (report: ChartPinReport): 0 | 1 =>
    report.problem === undefined && report.services.every((s) => s.ok) ? 0 : 1;

export function formatChartPin(report: ChartPinReport): string {
    const out = [
        `Chart pin, stack ${report.stack}: ${CHART_PATH} at ${report.revision ?? "(none)"}${report.commit ? ` (${report.commit.slice(0, 12)})` : ""}`,
    ];
    if (report.problem) out.push(`  ${report.problem}`);
    for (const s of report.services)
        out.push(`  ${s.service}: ${s.ok ? "renders with the delivered values" : `FAILS: ${s.error}`}`);
    out.push(chartPinExitCode(report) === 0 ? "PASS" : "FAIL");
    return out.join("\n");
}
