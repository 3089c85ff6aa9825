/**
 * The add-on charts as the program installs them, rendered offline: runs the program for a stack
 * under mocks, takes every Helm release of a third-party chart (every `kubernetes:helm.sh/v3:Release`
 * but this repository's charts/tacos-service), renders it with the real helm exactly as the release
 * records it (chart, version, release name, namespace, values, CRDs) for the stack's Kubernetes
 * version, validates every rendered object against its schema and checks every pod against the
 * Pod Security level its namespace enforces (and, as advice, the stricter level it warns at).
 *
 * Charts come from a directory of pulled charts, `<dir>/<chart>-<version>/<chart>` (what
 * `helm pull --untar --untardir <dir>/<chart>-<version>` gives); a chart that is not there is
 * pulled from its repository when that is reachable, and is otherwise reported missing. A
 * directory holding another version than the release pins is reported, never rendered instead.


/** Runs the program for each stack and renders and checks every add-on release. A program that fails is an error. */

import * as path from "path";
import {
    addonReleases,
    DEFAULT_CHARTS_DIR,
    kubeVersionOf,
    namespaceLevels,
    ReleaseReport,
    RenderAddonsOptions,
    RenderAddonsReport,
    StackReport,
} from "./releases";
import { checkRelease } from "./render";
import { knownStacks, ProgramRun, runProgram } from "../harness";
import { compareFootprints, FootprintCheck, recordedRequests, sumRequests } from "./footprint";
import { table } from "../table";

export async function renderAddons(options: RenderAddonsOptions): Promise<RenderAddonsReport> {
    const stacks: StackReport[] = [];
    for (const stack of options.stacks) {
        const run = await runProgram(stack);
        if (run.error) {
            throw new Error(`the program fails for stack ${stack}: ${run.error.message}`);
        }
        const kubeVersion = kubeVersionOf(run);
        const levels = namespaceLevels(run);
        const releases: ReleaseReport[] = [];
        for (const release of addonReleases(run)) {
            releases.push(await checkRelease(stack, release, kubeVersion, levels, options));
        }
        stacks.push({ stack, kubeVersion, releases, footprints: footprintChecks(run, releases) });
    }
    return { chartsDir: options.chartsDir, stacks };
}

/** The footprint comparison of the namespaces whose releases all rendered. */
function footprintChecks(run: ProgramRun, releases: ReleaseReport[]): FootprintCheck[] {
    const incomplete = new Set(releases.filter((r) => r.status !== "rendered").map((r) => r.namespace));
    const rendered = sumRequests(releases.flatMap((r) => Object.entries(r.running)));
    return compareFootprints(rendered, recordedRequests(run)).filter((c) => !incomplete.has(c.namespace));
}

const violationsOf = (r: ReleaseReport) => r.pods.flatMap((p) => p.violations);
const advisoryOf = (r: ReleaseReport) => r.pods.flatMap((p) => p.advisory);

/** 0 when every release rendered, every object passed its schema and every pod its namespace's level; else 1. */
export function exitCode(report: RenderAddonsReport): 0 | 1 {
    const releases = report.stacks.flatMap((s) => s.releases);
    const footprints = report.stacks.every((s) => s.footprints.every((f) => f.differences.length === 0));
    return footprints &&
        releases.every(
            (r) => r.status === "rendered" && r.schemaErrors.length === 0 && violationsOf(r).length === 0,
        )
        ? 0
        : 1;
}

function formatRelease(r: ReleaseReport): string[] {
    const levels = r.podSecurity
        ? ` (enforce ${r.podSecurity.enforce}${r.podSecurity.warn ? `, warn ${r.podSecurity.warn}` : ""})`
        : " (not created by the program)";
    const out = [
        `${r.resource}: ${r.chart} ${r.version ?? "(unpinned)"} as release ${r.releaseName} in namespace ${r.namespace}${levels}`,
    ];
    if (r.status !== "rendered") {
        out.push(`  ${r.status.toUpperCase()}: ${r.error}`);
        if (r.command) out.push(`  command: ${r.command}`);
        return out;
    }
    out.push(`  rendered ${r.objects} objects, ${r.pods.length} pod template(s) from ${r.chartDir}`);
    out.push(
        `  schema: ${r.schemaErrors.length === 0 ? "every object with a schema is valid" : `${r.schemaErrors.length} invalid`}`,
    );
    for (const e of r.schemaErrors) out.push(`    - ${e}`);
    if (r.noSchema.length > 0) out.push(`  no schema for (not checked): ${r.noSchema.join(", ")}`);
    const violations = r.pods.filter((p) => p.violations.length > 0);
    out.push(`  Pod Security: ${violationsOf(r).length} violation(s) of the enforced level`);
    for (const p of violations) {
        out.push(`    ${p.object} (enforce ${p.enforce ?? "unknown"}):`);
        for (const v of p.violations) out.push(`      - ${v.message}`);
    }
    const advisory = r.pods.filter((p) => p.advisory.length > 0);
    if (advisory.length > 0) {
        out.push(
            `  advisory, the namespace's warn level (allowed, but warned and audited): ${advisoryOf(r).length}`,
        );
        for (const p of advisory) {
            out.push(`    ${p.object}:`);
            for (const v of p.advisory) out.push(`      - ${v.message}`);
        }
    }
    return out;
}

/** The report as a person reads it: per stack and release, then a summary table and the verdict. */
export function formatReport(report: RenderAddonsReport): string {
    const out: string[] = [`render:addons: charts from ${report.chartsDir}`];
    for (const s of report.stacks) {
        out.push(
            "",
            `Stack ${s.stack} (Kubernetes ${s.kubeVersion}): ${s.releases.length} add-on release(s)`,
        );
        for (const r of s.releases) out.push("", ...formatRelease(r));
    }
    const releases = report.stacks.flatMap((s) => s.releases);
    out.push(
        "",
        table(
            [
                "stack",
                "release",
                "chart",
                "status",
                "objects",
                "pods",
                "schema",
                "no schema",
                "violations",
                "advisory",
            ],
            releases.map((r) => [
                r.stack,
                r.releaseName,
                `${r.chart} ${r.version ?? ""}`.trim(),
                r.status,
                String(r.objects),
                String(r.pods.length),
                String(r.schemaErrors.length),
                String(r.noSchema.length),
                String(violationsOf(r).length),
                String(advisoryOf(r).length),
            ]),
            { alignNumbers: false },
        ),
    );
    for (const s of report.stacks) {
        out.push(
            "",
            `Footprints, stack ${s.stack}: the running pods' requests as rendered against the program's footprint records (mCPU, MiB)`,
        );
        out.push(
            table(
                [
                    "namespace",
                    "system (rendered)",
                    "system (footprint)",
                    "per node (rendered)",
                    "per node (footprint)",
                    "verdict",
                ],
                s.footprints.map((f) => [
                    f.namespace,
                    `${Math.round(f.rendered.systemMillicores)}m ${Math.round(f.rendered.systemMiB)}Mi`,
                    `${Math.round(f.recorded.systemMillicores)}m ${Math.round(f.recorded.systemMiB)}Mi`,
                    `${Math.round(f.rendered.perNodeMillicores)}m ${Math.round(f.rendered.perNodeMiB)}Mi`,
                    `${Math.round(f.recorded.perNodeMillicores)}m ${Math.round(f.recorded.perNodeMiB)}Mi`,
                    f.differences.length === 0 ? "agree" : `DIFFER: ${f.differences.join("; ")}`,
                ]),
                { alignNumbers: false },
            ),
        );
    }
    const failed = releases.filter((r) => r.status !== "rendered").length;
    const differing = report.stacks.reduce(
        (n, s) => n + s.footprints.filter((f) => f.differences.length > 0).length,
        0,
    );
    const schema = releases.reduce((n, r) => n + r.schemaErrors.length, 0);
    const violations = releases.reduce((n, r) => n + violationsOf(r).length, 0);
    out.push(
        "",
        `${releases.length - failed} of ${releases.length} release(s) rendered, ${schema} schema failure(s), ${violations} Pod Security violation(s), ${differing} footprint(s) differing from their charts: ${exitCode(report) === 0 ? "PASS" : "FAIL"}`,
    );
    return out.join("\n");
}

/** A command-line mistake (exit code 2, with the usage). */
export class UsageError extends Error {}

/** `[--stack <name>]... [--charts <dir>] [--no-pull] [--json]`; every stack with a stack file when none is named. */
export function parseArguments(argv: string[]): RenderAddonsOptions & { json: boolean } {
    const stacks: string[] = [];
    let chartsDir = DEFAULT_CHARTS_DIR;
    let pull = true;
    let json = false;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const value = () => {
            const next = argv[++i];
            if (next === undefined || next.startsWith("--")) throw new UsageError(`${arg} needs a value`);
            return next;
        };
        if (arg === "--stack") stacks.push(value());
        else if (arg === "--charts") chartsDir = path.resolve(value());
        else if (arg === "--no-pull") pull = false;
        else if (arg === "--json") json = true;
        else throw new UsageError(`unknown argument ${arg}`);
    }
    return { stacks: stacks.length > 0 ? stacks : knownStacks(), chartsDir, pull, json };
}
