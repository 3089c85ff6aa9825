/** In Helm mode, a change to any file of the chart reaches the cluster, version bump or not. */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { chartDigest } from "../components/apps/chart-digest";
import { CHART_PATH } from "../components/apps/delivery";
import { SERVICE_NAMES } from "../vocabulary/platform";
import { ofType, REPO_ROOT, runProgram } from "../tools/harness";

describe("service delivery in Helm mode: a chart change reaches the cluster", () => {
    const chartDir = path.join(REPO_ROOT, CHART_PATH);

    it("names the digest of the chart's files in each release's inputs", async () => {
        const run = await runProgram("dev", (c) => (c["tacos:delivery"] = { mode: "helm" }));
        assert.strictEqual(run.error, undefined, String(run.error));
        const releases = ofType(run, "kubernetes:helm.sh/v3:Release").filter((r) =>
            (SERVICE_NAMES as readonly string[]).includes(r.inputs.name),
        );
        assert.strictEqual(releases.length, SERVICE_NAMES.length);
        for (const release of releases) {
            assert.strictEqual(release.inputs.description, `chart files ${chartDigest(chartDir)}`);
        }
    });

    it("changes the digest when only a template changes, with no version bump", () => {
        const copy = fs.mkdtempSync(path.join(os.tmpdir(), "tacos-chart-"));
        try {
            fs.cpSync(chartDir, copy, { recursive: true });
            assert.strictEqual(chartDigest(copy), chartDigest(chartDir), "a copy has the same digest");
            const template = path.join(copy, "templates", "service.yaml");
            fs.appendFileSync(template, "# a template change without a version bump\n");
            assert.notStrictEqual(chartDigest(copy), chartDigest(chartDir));
        } finally {
            fs.rmSync(copy, { recursive: true, force: true });
        }
    });
});
