// npm run chart:pin -- --stack <name> [--revision <commit SHA or tag>] [--remote <name or URL>]
// Checks the chart revision the stack's Argo CD Applications pin (the stack file's
// argocd.chartRevision, or --revision: the commit a deploy pins): it is on the remote Argo CD
// reads (default origin), and the chart there renders every service's delivered values for the
// stack's Kubernetes version with only kinds the AppProject allows.
// Exits 1 when a check fails, 2 on any other error (a bad argument, a stack file that does not load).
import { parseArgs } from "util";
import { runCli } from "../tools/cli";
import { chartPinExitCode, checkChartPin, formatChartPin } from "../tools/chart-pin";

const USAGE = "npm run chart:pin -- --stack <name> [--revision <commit SHA or tag>] [--remote <name or URL>]";

runCli("chart:pin", USAGE, async (stack) => {
    const { values } = parseArgs({
        options: { stack: { type: "string" }, revision: { type: "string" }, remote: { type: "string" } },
    });
    const report = await checkChartPin(stack, { revision: values.revision, remote: values.remote });
    console.log(formatChartPin(report));
    return chartPinExitCode(report);
});
