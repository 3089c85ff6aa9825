/** The policy pack builds and runs as a folder of its own, as `pulumi policy publish` packs it. */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ALL_POLICIES } from "../policy/policies";
import { stagePolicyPack } from "../tools/policy-pack";
import { REPO_ROOT } from "../tools/stack-files";

describe("policy pack, staged alone", () => {
    let dir: string;
    before(function () {
        this.timeout(300000);
        dir = stagePolicyPack(path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tacos-pack-")), "pack"));
        // Only the pack's own dependencies, as `npm ci` in the staged folder installs them.
        const installed = path.join(REPO_ROOT, "policy", "node_modules");
        assert.ok(
            fs.existsSync(installed),
            "policy/node_modules is missing: run bash scripts/ensure-policy-deps.sh",
        );
        fs.symlinkSync(installed, path.join(dir, "node_modules"), "dir");
    });
    after(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

    it("holds the pack and the vocabulary, and nothing else of the repository", () => {
        const top = fs
            .readdirSync(dir)
            .filter((f) => f !== "node_modules")
            .sort();
        assert.deepStrictEqual(top, [
            "PulumiPolicy.yaml",
            "npm-shrinkwrap.json",
            "package.json",
            "policy",
            "tsconfig.json",
            "vocabulary",
        ]);
        const main = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).main;
        assert.ok(fs.existsSync(path.join(dir, main)), `package.json's main ${main} exists`);
    });

    it("type-checks and compiles with its own tsconfig and dependencies, then loads every rule", function () {
        this.timeout(300000);
        const tsc = path.join(dir, "node_modules", "typescript", "bin", "tsc");
        execFileSync(process.execPath, [tsc, "-p", dir], { cwd: dir, encoding: "utf8" });
        const names = execFileSync(
            process.execPath,
            [
                "-e",
                'console.log(JSON.stringify(require("./bin/policy/policies").ALL_POLICIES.map((p) => p.name)))',
            ],
            { cwd: dir, encoding: "utf8" },
        );
        assert.deepStrictEqual(
            JSON.parse(names),
            ALL_POLICIES.map((p) => p.name),
        );
    });
});
