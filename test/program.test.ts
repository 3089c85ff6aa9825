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

    it("prints a bad stack file's config error as Pulumi's host does: the message, no stack trace", () => {
        const result = spawnSync("node", [path.join("scripts", "host-start.js"), "dev"], {
            cwd: REPO_ROOT,
            encoding: "utf8",
            env: {
                ...process.env,
                ...hostStartEnv("dev", (c) => {
                    c["tacos:cluster"].kubernetesVersion = 1.35;
                    c["tacos:network"].zones[1].privateSubnetCidr = "10.20.128.0/28";
                    c["tacos:gatewayJwtSecret"] = "hunter2";
                }),
                TS_NODE_CACHE: "false",
            },
        });
        assert.strictEqual(result.status, 32, result.stderr);
        const lines = result.stderr.trimEnd().split("\n");
        assert.strictEqual(lines[0], "error: Invalid stack configuration (3 problems):");
        assert.match(
            lines[1],
            /^ {2}- gatewayJwtSecret must be set with pulumi config set --secret, not in plain/,
        );
        assert.match(
            lines[2],
            /^ {2}- network\.zones\.1\.privateSubnetCidr 10\.20\.128\.0\/28 is too small: it holds 11 /,
        );
        assert.strictEqual(
            lines[3],
            '  - cluster.kubernetesVersion must be a quoted string such as "1.35": YAML read the number 1.35',
        );
        assert.strictEqual(lines.length, 4, "nothing after the problems: no stack trace");
        assert.doesNotMatch(result.stderr, /^\s+at /m);
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
