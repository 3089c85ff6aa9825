/** Pulled charts: where a release's chart is (`<dir>/<chart>-<version>/<chart>`), pulling it when its repository is reachable. */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { spawnSync } from "child_process";
import { isRecord } from "../../vocabulary/values";
import { AddonRelease, PULL_TIMEOUT_MS } from "./releases";
import { helm } from "../helm";
import { REPO_ROOT } from "../harness";

/** Where a chart is, or why it is not at hand. */
export type ChartLocation = { dir: string } | { missing: string };

function chartYaml(dir: string): { name?: string; version?: string } | undefined {
    const file = path.join(dir, "Chart.yaml");
    if (!fs.existsSync(file)) return undefined;
    const parsed: unknown = YAML.parse(fs.readFileSync(file, "utf8"));
    return isRecord(parsed) ? { name: String(parsed.name), version: String(parsed.version) } : {};
}

/** The `helm pull` that fetches a release's chart into `<chartsDir>/<chart>-<version>`. */
export function pullArgs(release: AddonRelease, chartsDir: string): string[] {
    const target = path.join(chartsDir, `${release.chart}-${release.version}`);
    const source =
        release.repo && !release.chartRef.startsWith("oci://")
            ? [release.chartRef, "--repo", release.repo]
            : [release.chartRef];
    return ["pull", ...source, "--version", String(release.version), "--untar", "--untardir", target];
}

/** Helm's failure when the repository cannot be reached, rather than the chart being wrong. */
const UNREACHABLE =
    /dial tcp|no such host|name resolution|connection refused|i\/o timeout|deadline exceeded|network is unreachable|TLS handshake|timed out|ETIMEDOUT|EAI_AGAIN/i;

function pullChart(release: AddonRelease, chartsDir: string): string | undefined {
    const args = pullArgs(release, chartsDir);
    const target = args[args.length - 1];
    const existed = fs.existsSync(target);
    const result = spawnSync(helm(), args, { encoding: "utf8", timeout: PULL_TIMEOUT_MS });
    if (result.status === 0) return undefined;
    if (!existed && fs.existsSync(target) && fs.readdirSync(target).length === 0) fs.rmdirSync(target);
    const message = (result.error?.message ?? result.stderr ?? "").trim().split("\n").pop() ?? "";
    const where = release.repo ?? release.chartRef;
    return UNREACHABLE.test(message) || result.error
        ? `the chart repository ${where} is unreachable from here (${message})`
        : `helm pull failed: ${message}`;
}

/**
 * The directory of a release's chart at its pinned version: `<chartsDir>/<chart>-<version>/<chart>`,
 * pulled there first when `pull` is set and it is missing; a directory holding another version, or
 * a chart that cannot be pulled, is reported as missing, with the command that would fetch it.
 */
export function locateChart(release: AddonRelease, chartsDir: string, pull: boolean): ChartLocation {
    if (
        !release.repo &&
        !release.chartRef.startsWith("oci://") &&
        fs.existsSync(path.resolve(REPO_ROOT, release.chartRef))
    ) {
        return { dir: path.resolve(REPO_ROOT, release.chartRef) };
    }
    if (!release.version) {
        return { missing: `the release pins no chart version, so no pulled copy can be matched to it` };
    }
    const dir = path.join(chartsDir, `${release.chart}-${release.version}`, release.chart);
    let found = chartYaml(dir);
    let pullError: string | undefined;
    if (!found && pull) {
        pullError = pullChart(release, chartsDir);
        found = chartYaml(dir);
    }
    if (found && (found.name !== release.chart || found.version !== release.version)) {
        return {
            missing: `${dir} holds ${found.name} ${found.version}, not the pinned ${release.chart} ${release.version}`,
        };
    }
    if (found) return { dir };
    const others = fs.existsSync(chartsDir)
        ? fs.readdirSync(chartsDir).filter((d) => d.startsWith(`${release.chart}-`))
        : [];
    const have = others.length > 0 ? `; ${chartsDir} has ${others.join(", ")}` : "";
    const how =
        pullError ?? `not pulled (--no-pull); fetch it with: helm ${pullArgs(release, chartsDir).join(" ")}`;
    return { missing: `${release.chart} ${release.version} is not in ${chartsDir}${have}; ${how}` };
}
