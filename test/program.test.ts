/**
 * How Pulumi runs the program: its Node.js host starts node with Pulumi.yaml's nodeargs, which
 * preload tsx to compile it (no type check); the type check is CI's.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { hostStartArgs, hostStartEnv, REPO_ROOT } from "../tools/harness";

describe("program start", function () {
    this.timeout(120000);

    it("loads as Pulumi's host loads it: node with Pulumi.yaml's nodeargs, tsx compiling, no ts-node", () => {
        const project = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8"));
        assert.deepStrictEqual(
            [project.runtime.options.typescript, project.runtime.options.nodeargs],
            [false, "--require tsx/cjs --require ./scripts/tsx-source-maps.js"],
        );
        const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
        assert.ok(pkg.dependencies.tsx, "tsx is a dependency, not a dev dependency: pulumi up needs it");
        const result = spawnSync("node", hostStartArgs("dev"), {
            cwd: REPO_ROOT,
            encoding: "utf8",
            env: { ...process.env, ...hostStartEnv("dev") },
        });
        assert.strictEqual(result.status, 0, result.stderr);
        const loaded = JSON.parse(result.stdout.trim().split("\n").pop() ?? "{}");
        assert.deepStrictEqual(
            [loaded.loader, loaded.transpileOnly],
            ["node --require tsx/cjs --require ./scripts/tsx-source-maps.js", true],
        );
    });

    it("refuses to measure a start without Pulumi.yaml's nodeargs", () => {
        const result = spawnSync("node", [path.join("scripts", "host-start.js"), "dev"], {
            cwd: REPO_ROOT,
            encoding: "utf8",
            env: { ...process.env, ...hostStartEnv("dev") },
        });
        assert.strictEqual(result.status, 2);
        assert.match(result.stderr, /run as node --require tsx\/cjs .*scripts\/host-start\.js/);
    });

    it("names the .ts file and line in a stack trace under the host's source-map-support, a dependency's .js, and leaves the SDK's promise traces unmapped", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tacos-trace-"));
        try {
            const file = path.join(dir, "throws.ts");
            const pulumi = JSON.stringify(require.resolve("@pulumi/pulumi"));
            const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
            const debuggable = JSON.stringify(path.join(sdkDir, "runtime", "debuggable.js"));
            const lines = [
                "type T = { n: number };",
                "",
                "const f = (t: T): number => {",
                "    throw new Error(`no ${t.n}`);",
                "};",
                "try { f({ n: 1 }); } catch (e) { console.error((e as Error).stack); }",
                `const debuggable = require(${debuggable});`,
                "const made = (): any => { const p: any = Promise.resolve(1); debuggable.debuggablePromise(p, 'probe'); return p; };",
                "console.error(`PROMISE ${made()._debugStackTrace.split('\\n')[2]}`);",
                `new (require(${pulumi}).Config)("tacos").require("absent");`,
            ];
            fs.writeFileSync(file, lines.join("\n"));
            const register = require.resolve("source-map-support/register", {
                paths: [path.dirname(require.resolve("@pulumi/pulumi/package.json"))],
            });
            // The host's order: Pulumi.yaml's nodeargs, then cmd/run's source-map-support.
            const args = hostStartArgs("dev").slice(0, -2);
            const result = spawnSync("node", [...args, "--require", register, file], {
                cwd: REPO_ROOT,
                encoding: "utf8",
            });
            assert.match(result.stderr, new RegExp(`at f \\(${file.replace(/[.]/g, "\\.")}:4:11\\)`));
            // The SDK ships maps to .ts sources it does not ship: its frames name its .js files.
            assert.match(result.stderr, /node_modules\/@pulumi\/pulumi\/config\.js:\d+:\d+/);
            assert.doesNotMatch(result.stderr, /@pulumi\/pulumi\/config\.ts/);
            // The traces the SDK keeps for its promises are V8's own text, not mapped (made is on
            // line 8), unless its promise-leak report, which prints them, is asked for.
            const promiseLine = (env: NodeJS.ProcessEnv = {}) => {
                const run = spawnSync("node", [...args, "--require", register, file], {
                    cwd: REPO_ROOT,
                    encoding: "utf8",
                    env: { ...process.env, ...env },
                });
                const found = /^PROMISE\s+at made \((.*):(\d+):\d+\)$/m.exec(run.stderr);
                assert.ok(found && found[1] === file, run.stderr);
                return found[2];
            };
            assert.notStrictEqual(promiseLine(), "8", "a promise's trace is not source-mapped");
            assert.strictEqual(promiseLine({ PULUMI_DEBUG_PROMISE_LEAKS: "true" }), "8");
        } finally {
            fs.rmSync(dir, { recursive: true });
        }
    });

    it("prints a bad stack file's config error as Pulumi's host does: the message, no stack trace", () => {
        const result = spawnSync("node", hostStartArgs("dev"), {
            cwd: REPO_ROOT,
            encoding: "utf8",
            env: {
                ...process.env,
                ...hostStartEnv("dev", (c) => {
                    c["tacos:cluster"].kubernetesVersion = 1.35;
                    c["tacos:network"].zones[1].privateSubnetCidr = "10.20.128.0/28";
                    c["tacos:gatewayJwtSecret"] = "hunter2";
                }),
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
        const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
        assert.match(pkg.scripts.typecheck, /-p tsconfig\.json/);
        const checked = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "tsconfig.json"), "utf8"));
        assert.notStrictEqual(checked.compilerOptions.noCheck, true);
    });
});
