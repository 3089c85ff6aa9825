/** How Pulumi runs the program: its Node.js host loads it transpile-only; the type check is CI's. */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { hostStartEnv, REPO_ROOT } from "../tools/harness";

describe("program start", function () {
    this.timeout(120000);

    it("loads as Pulumi's host loads it, transpile-only, from the tsconfig Pulumi.yaml names", () => {
        const result = spawnSync("node", [path.join("scripts", "host-start.js"), "dev"], {
            cwd: REPO_ROOT,
            encoding: "utf8",
            env: { ...process.env, ...hostStartEnv("dev"), TS_NODE_CACHE: "false" },
        });
        assert.strictEqual(result.status, 0, result.stderr);
        const loaded = JSON.parse(result.stdout.trim().split("\n").pop() ?? "{}");
        assert.deepStrictEqual([loaded.tsconfig, loaded.transpileOnly], ["tsconfig.pulumi.json", true]);
    });

    it("keeps the type check in CI: the tsconfig of npm run typecheck does not skip checking", () => {
        const project = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8"));
        assert.notStrictEqual(project.runtime.options.tsconfig, "tsconfig.json");
        const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
        assert.match(pkg.scripts.typecheck, /-p tsconfig\.json/);
        const checked = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "tsconfig.json"), "utf8"));
        assert.notStrictEqual(checked.compilerOptions.noCheck, true);
    });
});
