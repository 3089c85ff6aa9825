/**
 * npm run chart:pin: the revision the Applications pin is on the remote Argo CD reads, and the
 * chart there takes the values the program delivers, rendered for the stack's Kubernetes version,
 * with only kinds the AppProject allows. A scratch clone and a bare repository as its remote hold
 * revisions of the chart: today's, one with a kind the project refuses, one whose schema predates
 * a key the program sets, and a commit that was never pushed.
 */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CHART_PATH } from "../components/apps/delivery";
import { groupKindOf, permitsNamespaced } from "../tools/app-project";
import { chartPinExitCode, checkChartPin, formatChartPin } from "../tools/chart-pin";
import { REPO_ROOT } from "../tools/harness";
import { readStackConfig } from "../tools/stack-files";

describe("chart pin", function () {
    this.timeout(300000);
    let scratch: string;
    let repo: string;
    let remote: string;
    const commits: Record<"today" | "role" | "older" | "local", string> = {} as any;

    before(() => {
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), "chart-pin-test-"));
        repo = path.join(scratch, "clone");
        remote = path.join(scratch, "remote.git");
        const git = (...args: string[]) =>
            execFileSync(
                "git",
                ["-C", repo, "-c", "user.name=t", "-c", "user.email=t@example.com", ...args],
                {
                    encoding: "utf8",
                },
            ).trim();
        const chartFile = (file: string) => path.join(repo, CHART_PATH, file);
        const commit = (message: string) => {
            git("add", "-A");
            git("commit", "-q", "-m", message);
            return git("rev-parse", "HEAD");
        };
        fs.mkdirSync(repo);
        git("init", "-q", "-b", "main");
        fs.cpSync(path.join(REPO_ROOT, CHART_PATH), path.join(repo, CHART_PATH), { recursive: true });
        // Renders only for Kubernetes 1.35 or newer: passes only if the stack's version (1.35) is used.
        const chartYaml = fs.readFileSync(chartFile("Chart.yaml"), "utf8");
        fs.writeFileSync(
            chartFile("Chart.yaml"),
            chartYaml.replace(/^kubeVersion: .*$/m, 'kubeVersion: ">=1.35.0-0"'),
        );
        commits.today = commit("today's chart");
        git("tag", "v9.9.9");
        fs.writeFileSync(
            chartFile("templates/extra-role.yaml"),
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: {{ .Release.Name }}-extra\nrules: []\n",
        );
        commits.role = commit("a kind the project does not allow");
        fs.rmSync(chartFile("templates/extra-role.yaml"));
        // An older chart: its schema does not know logParser, which the program sets for reservation-api.
        const schema = JSON.parse(fs.readFileSync(chartFile("values.schema.json"), "utf8"));
        delete schema.properties.logParser;
        fs.writeFileSync(chartFile("values.schema.json"), JSON.stringify(schema, null, 2));
        commits.older = commit("an older chart");
        execFileSync("git", ["init", "-q", "--bare", remote]);
        git("push", "-q", remote, "main", "v9.9.9");
        fs.writeFileSync(path.join(repo, "NOTES"), "never pushed\n");
        commits.local = commit("a commit only in the clone");
    });

    after(() => fs.rmSync(scratch, { recursive: true, force: true }));

    const check = (stack: string, revision: string) =>
        checkChartPin(stack, { repoDir: repo, remote, revision });

    it("passes a pushed commit whose chart takes the values, rendered at the stack's Kubernetes version", async () => {
        const report = await check("prod", commits.today);
        assert.strictEqual(chartPinExitCode(report), 0, formatChartPin(report));
        assert.deepStrictEqual(report.services.map((s) => s.service).sort(), [
            "gateway-api",
            "inventory-api",
            "payment-sim-api",
            "reservation-api",
            "reservation-worker",
        ]);
        const cluster = readStackConfig("prod")["tacos:cluster"] as { kubernetesVersion: string };
        assert.strictEqual(report.kubeVersion, cluster.kubernetesVersion);
        assert.strictEqual(report.commit, commits.today);
    });

    it("passes a tag on the remote, resolved to its commit there", async () => {
        const report = await check("dev", "v9.9.9");
        assert.strictEqual(chartPinExitCode(report), 0, formatChartPin(report));
        assert.strictEqual(report.commit, commits.today);
    });

    it("fails a commit that is only in the local clone, saying to push it", async () => {
        const report = await check("dev", commits.local);
        assert.strictEqual(chartPinExitCode(report), 1);
        assert.deepStrictEqual(
            report.services,
            [],
            "nothing is rendered from a revision Argo CD cannot fetch",
        );
        assert.strictEqual(
            report.problem,
            `commit ${commits.local} is only in this clone: no branch or tag of ${remote} contains it, so Argo CD cannot fetch it; push it`,
        );
    });

    it("fails a tag the remote does not have", async () => {
        const report = await check("dev", "v9.9.7");
        assert.strictEqual(chartPinExitCode(report), 1);
        assert.strictEqual(
            report.problem,
            `tag v9.9.7 is not on ${remote}: push it (git push ${remote} v9.9.7)`,
        );
    });

    it("fails a chart that renders a kind the AppProject does not allow, naming the kind", async () => {
        const report = await check("dev", commits.role);
        assert.strictEqual(chartPinExitCode(report), 1);
        assert.strictEqual(report.services.length, 5);
        for (const s of report.services) {
            assert.strictEqual(
                s.error,
                "the AppProject tacos does not allow rbac.authorization.k8s.io/Role: Argo CD refuses the sync",
                s.service,
            );
        }
        assert.match(formatChartPin(report), /gateway-api: FAILS: the AppProject tacos does not allow/);
    });

    it("fails a revision whose schema refuses a key the program sets, naming the services and the key", async () => {
        const report = await check("prod", commits.older);
        assert.strictEqual(chartPinExitCode(report), 1);
        const failing = report.services.filter((s) => !s.ok);
        assert.ok(
            failing.some((s) => s.service === "reservation-api"),
            "reservation-api sets a parser",
        );
        for (const s of failing)
            assert.match(s.error!, /additional properties 'logParser' not allowed/, s.service);
    });

    it("checks the stack file's own revision when none is given", async () => {
        const report = await checkChartPin("dev", { repoDir: repo, remote });
        const pinned = (readStackConfig("dev")["tacos:argocd"] as { chartRevision: string }).chartRevision;
        assert.strictEqual(report.revision, pinned);
    });
});

describe("AppProject kinds, as Argo CD matches them", () => {
    const role = { group: "rbac.authorization.k8s.io", kind: "Role" };

    it("takes the group from apiVersion, the core group as empty", () => {
        assert.deepStrictEqual(groupKindOf({ apiVersion: "apps/v1", kind: "Deployment" }), {
            group: "apps",
            kind: "Deployment",
        });
        assert.deepStrictEqual(groupKindOf({ apiVersion: "v1", kind: "Service" }), {
            group: "",
            kind: "Service",
        });
    });

    it("allows a listed kind, a glob match and anything under an empty whitelist; refuses a blacklisted one", () => {
        assert.ok(permitsNamespaced({ namespaceResourceWhitelist: [role] }, role));
        assert.ok(!permitsNamespaced({ namespaceResourceWhitelist: [{ group: "", kind: "Role" }] }, role));
        assert.ok(
            permitsNamespaced({ namespaceResourceWhitelist: [{ group: "rbac.*", kind: "R?le" }] }, role),
        );
        assert.ok(!permitsNamespaced({ namespaceResourceWhitelist: [{ group: "rbac", kind: "*" }] }, role));
        assert.ok(permitsNamespaced({}, role));
        assert.ok(!permitsNamespaced({ namespaceResourceBlacklist: [{ group: "*", kind: "Role" }] }, role));
    });
});
