// Loads the program the way Pulumi's Node.js language host does, and prints how long that took.
// The host (pulumi-language-nodejs) starts `node <runtime.options.nodeargs> <sdk>/cmd/run`; cmd/run
// (@pulumi/pulumi 3.270.0) installs source-map-support, then, when runtime.options.typescript is
// true (its default), registers its vendored ts-node with the tsconfig that runtime.options.tsconfig
// names (transpile-only when that file's compilerOptions.noCheck is set), and requires the program.
// Pulumi.yaml sets typescript: false and nodeargs `--require tsx/cjs`, so tsx, preloaded by node,
// compiles the program. Run this script with the same nodeargs (tools/stack-files.ts
// hostStartArgs); it refuses to run without them. Resources register against mocks (no engine
// here), with the stack config from HOST_START_CONFIG (JSON, as pulumi.runtime.setAllConfig takes
// it). An error the program throws is reported as run.js's uncaught-error handler reports it: a
// RunError (such as a ConfigError) by its message alone, anything else with its stack; then the
// process exits 32, as the host does once it has logged the error (cmd/run/index.js,
// nodeJSProcessExitedAfterLoggingUserActionableMessage).
// usage: HOST_START_CONFIG='{...}' HOST_START_SECRET_KEYS='["tacos:..."]' node <nodeargs> scripts/host-start.js [stack]
// (prints JSON timings on stdout; on an error, `error: <what the host logs>` on stderr, exit 32)
"use strict";
const start = process.hrtime.bigint();
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
process.chdir(root);
const sdk = (m) =>
    require(require.resolve(m, { paths: [path.join(root, "node_modules", "@pulumi", "pulumi")] }));
const YAML = require("yaml");

const project = YAML.parse(fs.readFileSync("Pulumi.yaml", "utf8"));
const options = (project.runtime && project.runtime.options) || {};
// The host splits nodeargs as a shell would; Pulumi.yaml's hold no quotes, so spaces split them.
const nodeArgs = (options.nodeargs || "").split(/\s+/).filter(Boolean);
const missing = nodeArgs.filter((arg) => !process.execArgv.includes(arg));
if (missing.length > 0) {
    process.stderr.write(
        `host-start: run as node ${nodeArgs.join(" ")} scripts/host-start.js (Pulumi.yaml's nodeargs)\n`,
    );
    process.exit(2);
}
const typeScript = options.typescript !== false;
const tsConfigPath = options.tsconfig || "tsconfig.json";

// cmd/run/index.js, then run.js's TypeScript branch when the project asks for it.
sdk("source-map-support/register");
let transpileOnly;
if (typeScript) {
    const tsutils = sdk("./tsutils");
    const compilerOptions = tsutils.loadTypeScriptCompilerOptions(tsConfigPath);
    transpileOnly = process.env.PULUMI_NODEJS_TRANSPILE_ONLY
        ? process.env.PULUMI_NODEJS_TRANSPILE_ONLY === "true"
        : compilerOptions.noCheck;
    const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
    sdk(tsnodeRequire).register({
        compiler: typescriptRequire,
        transpileOnly,
        project: tsConfigPath,
        skipProject: !fs.existsSync(tsConfigPath),
        compilerOptions: {
            target: "ES2020",
            module: "nodenext",
            moduleResolution: "nodenext",
            sourceMap: "true",
            ...compilerOptions,
        },
    });
}

const pulumi = require("@pulumi/pulumi");
const stack = process.argv[2] || "dev";
// The @pulumi/eks components' outputs the program reads (a remote component's outputs are what the
// mocks return; tools/mock-state.ts gives the tests fuller ones).
const componentOutputs = (a) => {
    if (a.type === "eks:index:Cluster")
        return {
            eksCluster: {
                name: a.inputs.name,
                arn: `arn:aws:eks:us-east-1:111122223333:cluster/${a.inputs.name}`,
            },
            clusterSecurityGroupId: "sg-0c1a2b3c4d5e6f708",
            kubeconfigJson: "{}",
        };
    if (a.type === "eks:index:ManagedNodeGroup") return { nodeGroup: { nodeGroupName: a.name } };
    return {};
};
pulumi.runtime.setMocks(
    {
        newResource: (a) => ({ id: `${a.name}-id`, state: { ...a.inputs, ...componentOutputs(a) } }),
        call: (a) => a.inputs,
    },
    project.name,
    stack,
    true,
);
pulumi.runtime.setAllConfig(
    JSON.parse(process.env.HOST_START_CONFIG || "{}"),
    JSON.parse(process.env.HOST_START_SECRET_KEYS || "[]"),
);

// cmd/run/run.js's uncaughtHandler, its RunError branch and its fallback; log.error's text is
// what the CLI shows under "error:".
const { RunError } = sdk("./errors");
const { defaultErrorMessage } = sdk("./cmd/run/error");
const reportUncaught = (err) => {
    const message = RunError.isInstance(err)
        ? err.message
        : `Running program '${root}' failed with an unhandled exception:\n${defaultErrorMessage(err)}`;
    process.stderr.write(`error: ${message}\n`);
    process.exit(32);
};
process.on("uncaughtException", reportUncaught);
process.on("unhandledRejection", reportUncaught);

const before = process.hrtime.bigint();
try {
    require(path.join(root, "index.ts"));
} catch (err) {
    reportUncaught(err);
}
const end = process.hrtime.bigint();
process.stdout.write(
    JSON.stringify({
        loader: typeScript ? `Pulumi's ts-node (${tsConfigPath})` : `node ${nodeArgs.join(" ")}`,
        transpileOnly: typeScript ? Boolean(transpileOnly) : true,
        requireMs: Number(end - before) / 1e6,
        totalMs: Number(end - start) / 1e6,
    }) + "\n",
);
// Registrations finish asynchronously against the mocks (the transforms of the eks components
// through the SDK's callback server); the measurement is the load above.
pulumi.runtime.disconnect().then(() => process.exit(0), reportUncaught);
