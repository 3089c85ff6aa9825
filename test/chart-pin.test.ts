/**
 * npm run chart:pin: the chart at the Applications' pinned revision, rendered with the values the
 * program delivers. A scratch Git repository holds two tagged revisions of the chart: today's, and
 * one whose schema predates a key the program now sets.
 */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CHART_PATH } from "../components/apps/delivery";
import { REPO_ROOT } from "../tools/harness";
import { chartPinExitCode, checkChartPin, formatChartPin } from "../tools/chart-pin";

describe("chart pin", function () {
    this.timeout(120000);
    let repo: string;

    before(() => {
        repo = fs.mkdtempSync(path.join(os.tmpdir(), "chart-pin-test-"));
        const git = (...args: string[]) =>
            execFileSync(
                "git",
                ["-C", repo, "-c", "user.name=t", "-c", "user.email=t@example.com", ...args],
                { stdio: "pipe" },
            );
        git("init", "-q");
        fs.cpSync(path.join(REPO_ROOT, CHART_PATH), path.join(repo, CHART_PATH), { recursive: true });
        git("add", "-A");
        git("commit", "-q", "-m", "today's chart");
        git("tag", "v9.9.9");
        // An older chart: its schema does not know logParser, which the program sets for reservation-api.
        const schemaFile = path.join(repo, CHART_PATH, "values.schema.json");
        const schema = JSON.parse(fs.readFileSync(schemaFile, "utf8"));
        delete schema.properties.logParser;
        fs.writeFileSync(schemaFile, JSON.stringify(schema, null, 2));
        git("commit", "-q", "-am", "an older chart");
        git("tag", "v9.9.8");
    });

    after(() => fs.rmSync(repo, { recursive: true, force: true }));

    const pin = (revision: string) => (c: Record<string, any>) =>
        (c["tacos:argocd"].chartRevision = revision);

    it("passes a revision whose chart takes every service's delivered values", async () => {
        const report = await checkChartPin("prod", repo, pin("v9.9.9"));
        assert.strictEqual(report.services.length, 5);
        assert.strictEqual(chartPinExitCode(report), 0, formatChartPin(report));
    });

    it("fails a revision whose schema refuses a key the program sets, naming the services and the key", async () => {
        const report = await checkChartPin("prod", repo, pin("v9.9.8"));
        assert.strictEqual(chartPinExitCode(report), 1);
        const failing = report.services.filter((s) => !s.ok);
        assert.ok(
            failing.some((s) => s.service === "reservation-api"),
            "reservation-api sets a parser",
        );
        for (const s of failing)
            assert.match(s.error!, /additional properties 'logParser' not allowed/, s.service);
    });

    it("fails a revision that is not in the clone, saying how to get it", async () => {
        const report = await checkChartPin("dev", repo, pin("v9.9.7"));
        assert.strictEqual(chartPinExitCode(report), 1);
        assert.match(
            report.problem!,
            /revision v9\.9\.7 is not in this clone: fetch it \(git fetch --tags\)/,
        );
    });
});
