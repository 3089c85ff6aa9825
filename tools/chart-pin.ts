/**
 * Whether the chart revision the Argo CD Applications pin will sync: the revision is on the
 * remote Argo CD reads (not only in this clone), the chart at that commit takes each service's
 * delivered values when rendered for the stack's own Kubernetes version, and every kind it
 * renders is one the Applications' AppProject allows. The chart's schema refuses unknown keys and
 * Argo CD refuses a kind outside the project, so either mistake fails every sync; this finds it
 * before `pulumi up`.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { CHART_PATH } from "../components/apps/delivery";
import { formatGroupKind, groupKindOf, permitsNamespaced, type ProjectKinds } from "./app-project";
import { COMMIT_SHA, git, inClone, remoteUrl, repositoryOf, revisionOnRemote } from "./git-remote";
import { ofType, REPO_ROOT, runProgram, type ProgramRun } from "./harness";
import { parseObjects, template } from "./helm";
import { kubeVersionOf } from "./render-addons/releases";

/** What to check and against which remote. */
export interface ChartPinOptions {
    /** The Git clone whose history holds the revision. @default this checkout */
    repoDir?: string;
    /** The remote Argo CD reads: a remote name of `repoDir`, a URL or a path. @default "origin" */
    remote?: string;
    /** The revision to check instead of the stack file's `argocd.chartRevision` (the commit a deploy pins). */
    revision?: string;
    /** Edits the stack config before the program runs (tests). */
    editConfig?: (config: Record<string, any>) => void;
}

/** One service's render at the pinned revision. */
export interface ServiceCheck {
    service: string;
    ok: boolean;
    /** helm's error, or the kinds the project refuses. */
    error?: string;
}

export interface ChartPinReport {
    stack: string;
    /** The pinned revision, as the Applications name it. */
    revision?: string;
    /** The commit it is on the remote. */
    commit?: string;
    /** The remote checked, as given, and its URL. */
    remote?: { name: string; url: string };
    /** The Kubernetes version the chart was rendered for (the stack's). */
    kubeVersion?: string;
    /** Why nothing could be rendered (not on the remote, no chart at it, no Applications). */
    problem?: string;
    /** Said but not failed: the remote checked is not the repository the Applications read. */
    note?: string;
    services: ServiceCheck[];
}

const APPLICATION = "kubernetes:argoproj.io/v1alpha1:Application";
const APP_PROJECT = "kubernetes:argoproj.io/v1alpha1:AppProject";

/** The Applications that render this repository's chart, and the project they belong to. */
function chartApplications(run: ProgramRun): { apps: any[]; projectName: string; project?: ProjectKinds } {
    const apps = ofType(run, APPLICATION)
        .map((a) => a.inputs)
        .filter((a) => a.spec?.source?.path === CHART_PATH);
    const projectName = String(apps[0]?.spec?.project);
    const project = ofType(run, APP_PROJECT).find((p) => p.inputs.metadata?.name === projectName)?.inputs
        .spec;
    return { apps, project, projectName };
}

/** The kinds in helm's output that the project refuses, named; undefined when all are allowed. */
function refusedKinds(stdout: string, project: ProjectKinds, projectName: string): string | undefined {
    const kinds = parseObjects(stdout).map(groupKindOf);
    const refused = [...new Set(kinds.filter((gk) => !permitsNamespaced(project, gk)).map(formatGroupKind))];
    return refused.length > 0
        ? `the AppProject ${projectName} does not allow ${refused.sort().join(", ")}: Argo CD refuses the sync`
        : undefined;
}

/** Unpacks `CHART_PATH` at `commit` into a temporary directory; the caller removes it. */
function unpackChart(repoDir: string, commit: string): { dir: string } | { problem: string } {
    const archive = git(repoDir, ["archive", "--format=tar", commit, CHART_PATH]);
    if (!archive.ok) return { problem: `commit ${commit} has no ${CHART_PATH}: ${archive.stderr.trim()}` };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chart-pin-"));
    const untar = spawnSync("tar", ["-x", "-C", dir], { input: archive.stdout });
    if (untar.status !== 0) {
        fs.rmSync(dir, { recursive: true, force: true });
        return { problem: `tar could not unpack the chart: ${untar.stderr?.toString().trim()}` };
    }
    return { dir };
}

/** Checks the chart revision a stack's Applications pin (see the module comment). */
export async function checkChartPin(stack: string, options: ChartPinOptions = {}): Promise<ChartPinReport> {
    const { repoDir = REPO_ROOT, remote = "origin", revision: asked, editConfig } = options;
    // A tag or branch given on the command line is resolved on the remote first: the Applications
    // pin the commit it names there (the stack config takes only a full commit SHA; a tag can move).
    let override = asked;
    if (asked !== undefined && !COMMIT_SHA.test(asked)) {
        const named = revisionOnRemote(repoDir, remote, asked);
        if ("problem" in named) return { stack, revision: asked, problem: named.problem, services: [] };
        override = named.commit;
    }
    const run = await runProgram(stack, (config) => {
        editConfig?.(config);
        if (override !== undefined)
            config["tacos:argocd"] = { ...config["tacos:argocd"], chartRevision: override };
    });
    if (run.error) throw run.error;
    const kubeVersion = kubeVersionOf(run);
    const base = { stack, kubeVersion, services: [] as ServiceCheck[] };
    const { apps, project, projectName } = chartApplications(run);
    if (apps.length === 0) {
        return {
            ...base,
            problem: "no Argo CD Application renders the chart (helm delivery renders it from this checkout)",
        };
    }
    if (!project)
        return { ...base, problem: `the Applications' AppProject ${projectName} is not in the program` };
    const revisions = [...new Set(apps.map((a) => String(a.spec.source.targetRevision)))];
    if (revisions.length !== 1) {
        return { ...base, problem: `the Applications pin different revisions: ${revisions.join(", ")}` };
    }
    const revision = revisions[0];
    const url = remoteUrl(repoDir, remote);
    const repoUrl = String(apps[0].spec.source.repoURL);
    const note =
        repositoryOf(url) !== undefined && repositoryOf(url) === repositoryOf(repoUrl)
            ? undefined
            : `${remote} (${url}) is not ${repoUrl}, which the Applications read: pass --remote ${repoUrl} to check that one`;
    const found = { ...base, revision, remote: { name: remote, url }, note };
    const onRemote = revisionOnRemote(repoDir, remote, revision);
    if ("problem" in onRemote) return { ...found, problem: onRemote.problem };
    const commit = onRemote.commit;
    if (!inClone(repoDir, commit)) {
        return {
            ...found,
            commit,
            problem: `commit ${commit} is on ${remote} but not in this clone: git fetch ${remote} --tags`,
        };
    }
    const unpacked = unpackChart(repoDir, commit);
    if ("problem" in unpacked) return { ...found, commit, problem: unpacked.problem };
    try {
        const chartDir = path.join(unpacked.dir, CHART_PATH);
        const services = apps.map((a): ServiceCheck => {
            const service = String(a.spec.source.helm.releaseName);
            const result = template(service, stack, a.spec.source.helm.valuesObject, {
                chartDir,
                kubeVersion,
            });
            if (!result.ok) return { service, ok: false, error: result.stderr.trim() };
            const refused = refusedKinds(result.stdout, project, projectName);
            return refused ? { service, ok: false, error: refused } : { service, ok: true };
        });
        return { ...found, commit, services };
    } finally {
        fs.rmSync(unpacked.dir, { recursive: true, force: true });
    }
}

/** 0 when the pinned chart renders every service with allowed kinds; 1 otherwise. */
export const chartPinExitCode = (report: ChartPinReport): 0 | 1 =>
    report.problem === undefined && report.services.length > 0 && report.services.every((s) => s.ok) ? 0 : 1;

/** The report as `npm run chart:pin` prints it, ending in PASS or FAIL. */
export function formatChartPin(report: ChartPinReport): string {
    const at = `${report.revision ?? "(none)"}${report.commit && report.commit !== report.revision ? ` (${report.commit.slice(0, 12)})` : ""}`;
    const where = report.remote ? ` on ${report.remote.name}` : "";
    const out = [
        `Chart pin, stack ${report.stack}: ${CHART_PATH} at ${at}${where}, Kubernetes ${report.kubeVersion ?? "?"}`,
    ];
    if (report.note) out.push(`  note: ${report.note}`);
    if (report.problem) out.push(`  ${report.problem}`);
    for (const s of report.services) {
        out.push(
            `  ${s.service}: ${s.ok ? "renders with the delivered values, every kind allowed" : `FAILS: ${s.error}`}`,
        );
    }
    out.push(chartPinExitCode(report) === 0 ? "PASS" : "FAIL");
    return out.join("\n");
}
