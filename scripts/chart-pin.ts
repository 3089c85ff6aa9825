// npm run chart:pin -- --stack <name> : renders charts/tacos-service at the stack's argocd.chartRevision
// (from the local Git; fetch tags first) with every service's delivered values, as Argo CD will.
// Exits 1 when the pinned chart refuses them or the revision is missing, 2 on any other error.
import { runCli } from "../tools/cli";
import { chartPinExitCode, checkChartPin, formatChartPin } from "../tools/chart-pin";

runCli("chart:pin", "npm run chart:pin -- --stack <dev|prod>", async (stack) => {
    const report = await checkChartPin(stack);
    console.log(formatChartPin(report));
    return chartPinExitCode(report);
});
