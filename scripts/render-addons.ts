// npm run render:addons -- [--stack <name>]... [--charts <dir>] [--no-pull] [--json] : the add-on charts rendered
// with the real helm as the program installs them, checked against their schemas and their namespaces'
// Pod Security levels. Exits 1 on a render, schema or Pod Security failure, 2 on a usage or config error.
// (tools/cli.ts's runCli needs exactly one --stack; this tool takes any number, every stack by default.)
import { exitCode, formatReport, parseArguments, renderAddons, UsageError } from "../tools/render-addons";

const USAGE =
    "npm run render:addons -- [--stack <dev|prod|review>]... [--charts <dir, default .charts>] [--no-pull] [--json]";

async function main(): Promise<number> {
    const { json, ...options } = parseArguments(process.argv.slice(2));
    const report = await renderAddons(options);
    console.log(json ? JSON.stringify(report, null, 2) : formatReport(report));
    return exitCode(report);
}

main().then(
    (code) => process.exit(code),
    (e: Error) => {
        console.error(
            e instanceof UsageError
                ? `render:addons: ${e.message}\nusage: ${USAGE}`
                : `render:addons: ${e.message}`,
        );
        process.exit(2);
    },
);
