/**
 * The release rule: every delivered service released as an Argo Rollouts canary judged by its own
 * metrics at every step, with the controller installed and Argo CD leaving the canary's weights alone.
 */
import type { ServiceValues } from "../../vocabulary/chart-values";
import { ARGO_ROLLOUTS_CHART_NAME, CANARY_LATENCY_METRIC } from "../../vocabulary/platform";
import { deliveredValues } from "../../vocabulary/stack";
import { latencyAlerts } from "./performance-latency";
import { stackRule } from "./layers";

/** What is wrong with one service's `rollout` values: it must be a canary that judges every step and aborts by itself. */
export function canaryProblems(values: ServiceValues, latencyAlerted: boolean): string[] {
    const name = values.name;
    const r = values.rollout;
    if (r?.enabled !== true) {
        return [
            `Service ${name} must be released as a canary (rollout.enabled): a Deployment rolls a bad release out to every pod and nothing rolls it back.`,
        ];
    }
    const problems: string[] = [];
    const failureLimit = Number(r.analysis?.failureLimit ?? 0);
    const steps = r.steps ?? [];
    if (steps.length === 0) problems.push(`Service ${name}'s canary must have steps (rollout.steps).`);
    steps.forEach((step, i) => {
        if (!(Number(step.measurements) > failureLimit)) {
            problems.push(
                `Service ${name}'s rollout.steps[${i}] must take more measurements than analysis.failureLimit (${failureLimit}), or its analysis can never fail.`,
            );
        }
    });
    if (steps.length > 0 && Number(steps[steps.length - 1].weight) !== 100) {
        problems.push(
            `Service ${name}'s last canary step must have weight 100: the whole load must be judged before the old version goes.`,
        );
    }
    const metrics = r.analysis?.metrics ?? [];
    if (metrics.length === 0)
        problems.push(
            `Service ${name}'s canary must be judged by at least one analysis metric (rollout.analysis.metrics).`,
        );
    metrics
        .filter((m) => !m.successCondition || !m.provider)
        .forEach((m) =>
            problems.push(
                `Service ${name}'s analysis metric ${m.name} must have a successCondition and a provider.`,
            ),
        );
    metrics
        .filter((m) => /isNaN\(result\)\s*\|\|/.test(m.successCondition ?? ""))
        .forEach((m) =>
            problems.push(
                `Service ${name}'s analysis metric ${m.name} passes when its query returns no data (${m.successCondition}): a canary nobody measured would pass. Let no data match neither condition (a failureCondition too), so the measurement is inconclusive.`,
            ),
        );
    if (latencyAlerted && !metrics.some((m) => m.name === CANARY_LATENCY_METRIC)) {
        problems.push(
            `Service ${name} is alerted on its P95 latency, so its canary must be judged on it too (an analysis metric named ${CANARY_LATENCY_METRIC}).`,
        );
    }
    if (values.httpRoute?.enabled && r.trafficRouting !== true) {
        problems.push(
            `Service ${name} is reached through the Gateway: its canary must shift traffic by the HTTPRoute's weights (rollout.trafficRouting), not by replica count.`,
        );
    }
    return problems;
}

export const releasesCanaryWithAnalysis = stackRule({
    name: "releases-canary-with-analysis",
    description:
        "Checks whether every delivered service is released as an Argo Rollouts canary whose every step is gated by an analysis of its own metrics (none passing on no data) and aborts by itself, whether Argo CD leaves the weights Argo Rollouts owns alone, and whether the Argo Rollouts controller is installed.",
    cluster: (args, report) => {
        const values = deliveredValues(args.resources);
        if (values.length === 0) return;
        const { alerted } = latencyAlerts(args.resources);
        values
            .filter((v) => v.name)
            .flatMap((v) => canaryProblems(v, alerted.has(v.name)))
            .forEach((problem) => report(problem));
        if (
            values.some((v) => v.rollout?.enabled) &&
            !args.resources.some(
                (r) =>
                    r.type === "kubernetes:helm.sh/v3:Release" && r.props.chart === ARGO_ROLLOUTS_CHART_NAME,
            )
        ) {
            report(
                `The services are released as canaries, but the stack installs no Argo Rollouts controller (a ${ARGO_ROLLOUTS_CHART_NAME} Helm release): their Rollouts would never roll.`,
            );
        }
        for (const app of args.resources.filter(
            (r) => r.type === "kubernetes:argoproj.io/v1alpha1:Application",
        )) {
            const v = app.props.spec?.source?.helm?.valuesObject;
            if (!v?.rollout?.enabled || !v.rollout.trafficRouting) continue;
            const ignoresWeights = (app.props.spec?.ignoreDifferences ?? []).some(
                (d: any) =>
                    d.kind === "HTTPRoute" &&
                    (d.jqPathExpressions ?? []).some((e: string) => e.includes(".spec.rules")),
            );
            const respects = (app.props.spec?.syncPolicy?.syncOptions ?? []).includes(
                "RespectIgnoreDifferences=true",
            );
            if (!ignoresWeights || !respects) {
                report(
                    `Argo CD Application ${v.name} must leave its HTTPRoute's rules to Argo Rollouts while a canary runs (ignoreDifferences with a jqPathExpression on .spec.rules, and the sync option RespectIgnoreDifferences=true): a sync would otherwise reset a canary in flight.`,
                );
            }
        }
    },
});

/** The release rules, in the order the pack lists them. */
export const PERFORMANCE_RELEASE_POLICIES = [releasesCanaryWithAnalysis];
