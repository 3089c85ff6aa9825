/**
 * Alertmanager's routing as Alertmanager reads it: the chart's inhibit rules kept (the
 * InfoInhibitor among them), info alerts paging nobody, the Watchdog to the heartbeat topic whose
 * silence a CloudWatch alarm reports (monitoring-aws.test.ts), every other alert to the alert topic.
 */
import * as assert from "assert";
import { HEARTBEAT_PERIOD_SECONDS } from "../components/aws/observability-heartbeat";
import { findResource, ProgramRun, resolve } from "../tools/harness";
import { STACKS, useStackRuns } from "./stacks";

const valuesOf = async (run: ProgramRun) =>
    (await resolve(
        findResource(run, "kubernetes:helm.sh/v3:Release", "monitoring-release").inputs.values,
    )) as any;

/** Whether an Alertmanager matcher (`name="v"`, `name=~"re"`) matches the labels, as Alertmanager reads it. */
function matches(matcher: string, labels: Record<string, string>): boolean {
    const m = /^(\w+)(=~|!=|=)"(.*)"$/.exec(matcher);
    if (!m) throw new Error(`unparsed matcher ${matcher}`);
    const value = labels[m[1]] ?? "";
    if (m[2] === "=~") return new RegExp(`^(?:${m[3]})$`).test(value);
    return m[2] === "=" ? value === m[3] : value !== m[3];
}

/** The receiver Alertmanager's routing tree gives an alert (first matching child, else the root's). */
const receiverOf = (route: any, labels: Record<string, string>): string =>
    route.routes.find((r: any) => r.matchers.every((m: string) => matches(m, labels)))?.receiver ??
    route.receiver;

describe("monitoring: alert routing", () => {
    const runs = useStackRuns();

    it("the matcher reads Alertmanager's forms, so the routing checks can fail", () => {
        assert.ok(matches('severity=~"warning|info"', { severity: "info" }));
        assert.ok(!matches('severity=~"warning|info"', { severity: "critical" }));
        assert.ok(!matches('alertname="Watchdog"', {}));
        assert.throws(() => matches("severity = info", {}), /unparsed/);
    });

    for (const stack of STACKS) {
        describe(stack, () => {
            it("routes the Watchdog to the heartbeat topic, info alerts nowhere, and the rest to the alert topic", async () => {
                const config = (await valuesOf(runs[stack])).alertmanager.config;
                const topic = (name: string) =>
                    findResource(runs[stack], "aws:sns/topic:Topic", `observability-${name}`).state.arn;
                const topicOf = (receiver: string) =>
                    config.receivers.find((r: any) => r.name === receiver).sns_configs?.[0]?.topic_arn;
                const cases: [Record<string, string>, string | undefined][] = [
                    [{ alertname: "Watchdog", severity: "none" }, topic("heartbeat")],
                    [{ alertname: "InfoInhibitor", severity: "none" }, undefined],
                    [{ alertname: "KubeQuotaAlmostFull", severity: "info", namespace: "tacos" }, undefined],
                    [{ alertname: "GatewayApiLatencyHigh", severity: "critical" }, topic("alerts")],
                    [{ alertname: "KubePodCrashLooping", severity: "warning" }, topic("alerts")],
                ];
                for (const [labels, expected] of cases)
                    assert.strictEqual(topicOf(receiverOf(config.route, labels)), expected, labels.alertname);
                const heartbeat = config.route.routes.find((r: any) => r.receiver === "heartbeat");
                // Several heartbeats in each of the alarm's periods (Alertmanager repeats at most once a group_interval).
                for (const interval of [heartbeat.group_interval, heartbeat.repeat_interval])
                    assert.ok(parseInt(interval) * 60 * 2 <= HEARTBEAT_PERIOD_SECONDS, interval);
            });

            it("keeps the chart's inhibit rules: the InfoInhibitor and severities silencing lower ones", async () => {
                const rules = (await valuesOf(runs[stack])).alertmanager.config.inhibit_rules;
                const inhibits = (source: Record<string, string>, target: Record<string, string>) =>
                    rules.some(
                        (r: any) =>
                            (r.source_matchers ?? []).length > 0 &&
                            r.source_matchers.every((m: string) => matches(m, source)) &&
                            r.target_matchers.every((m: string) => matches(m, target)) &&
                            r.equal.every((l: string) => source[l] === target[l]),
                    );
                const at = (alertname: string, severity: string) => ({
                    alertname,
                    severity,
                    namespace: "tacos",
                });
                assert.ok(inhibits(at("InfoInhibitor", "none"), at("KubeQuotaAlmostFull", "info")));
                assert.ok(inhibits(at("X", "critical"), at("X", "warning")));
                assert.ok(inhibits(at("X", "warning"), at("X", "info")));
                assert.ok(!inhibits(at("X", "critical"), at("Y", "warning")), "only the same alert");
                // The InfoInhibitor never silences itself: it would hide the info alerts' silencer.
                assert.ok(
                    rules.some(
                        (r: any) =>
                            !r.source_matchers && matches(r.target_matchers[0], at("InfoInhibitor", "none")),
                    ),
                );
            });
        });
    }
});
