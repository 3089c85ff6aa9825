/** Monitoring's AWS side: the alert topic and alarms, the namespaces' log groups, the budget and the anomaly monitor. */
import * as assert from "assert";
import { findResource, ofType, runProgram } from "../tools/harness";
import { addonNamespacesOf } from "./addon-expectations";
import { installedAddons, sectionOf, STACKS, useStackRuns } from "./stacks";

describe("monitoring: the AWS side", () => {
    const runs = useStackRuns();

    for (const stack of STACKS) {
        describe(stack, () => {
            it("alarms on every dead-letter queue and on reservation-events' oldest message, into the encrypted alert topic", () => {
                const topic = findResource(runs[stack], "aws:sns/topic:Topic", "observability-alerts");
                assert.strictEqual(
                    topic.inputs.kmsMasterKeyId,
                    findResource(runs[stack], "aws:kms/key:Key", "observability-key").state.arn,
                );
                const alarms = ofType(runs[stack], "aws:cloudwatch/metricAlarm:MetricAlarm");
                const dlqs = ofType(runs[stack], "aws:sqs/queue:Queue")
                    .filter((q) => q.name.endsWith("-dlq"))
                    .map((q) => q.state.name);
                const watched = alarms
                    .filter((a) => a.inputs.metricName === "ApproximateNumberOfMessagesVisible")
                    .map((a) => a.inputs.dimensions.QueueName);
                assert.deepStrictEqual(watched.sort(), dlqs.sort());
                const age = alarms.find((a) => a.inputs.metricName === "ApproximateAgeOfOldestMessage")!;
                // Neither stack file sets the age: the schema's default, five minutes.
                assert.strictEqual(
                    sectionOf(runs[stack], "observability").alerts?.oldestMessageAgeSeconds,
                    undefined,
                );
                assert.strictEqual(age.inputs.threshold, 300);
                for (const alarm of alarms)
                    assert.deepStrictEqual(alarm.inputs.alarmActions, [topic.state.arn]);
            });

            it("alarms on the alert topic when Alertmanager's heartbeat topic receives nothing for ten minutes", () => {
                const alerts = findResource(runs[stack], "aws:sns/topic:Topic", "observability-alerts");
                const heartbeat = findResource(runs[stack], "aws:sns/topic:Topic", "observability-heartbeat");
                assert.strictEqual(
                    heartbeat.inputs.kmsMasterKeyId,
                    findResource(runs[stack], "aws:kms/key:Key", "observability-key").state.arn,
                );
                const alarm = findResource(
                    runs[stack],
                    "aws:cloudwatch/metricAlarm:MetricAlarm",
                    "observability-heartbeat-missing",
                ).inputs;
                assert.deepStrictEqual(
                    [alarm.namespace, alarm.metricName, alarm.dimensions, alarm.statistic],
                    ["AWS/SNS", "NumberOfMessagesPublished", { TopicName: heartbeat.state.name }, "Sum"],
                );
                // Silence is the failure: no data breaches, and fewer than one message per period fires.
                assert.deepStrictEqual(
                    [alarm.treatMissingData, alarm.comparisonOperator, alarm.threshold],
                    ["breaching", "LessThanThreshold", 1],
                );
                assert.strictEqual(alarm.period * alarm.evaluationPeriods, 600);
                assert.deepStrictEqual(
                    [alarm.alarmActions, alarm.okActions],
                    [[alerts.state.arn], [alerts.state.arn]],
                );
                const policy = JSON.parse(
                    findResource(runs[stack], "aws:sns/topicPolicy:TopicPolicy", "observability-heartbeat")
                        .inputs.policy,
                );
                assert.deepStrictEqual(
                    policy.Statement.map((st: any) => [st.Effect, st.Condition]),
                    [["Deny", { Bool: { "aws:SecureTransport": "false" } }]],
                );
            });

            it("gives every namespace a log group encrypted with the observability key, cost-tagged, at the stack's retention", () => {
                const groups = ofType(runs[stack], "aws:cloudwatch/logGroup:LogGroup").filter((g) =>
                    String(g.inputs.name).startsWith("/aws/containers/"),
                );
                // One per add-on namespace, the services' and EKS's own.
                assert.deepStrictEqual(
                    groups.map((g) => g.inputs.tags.Namespace).sort(),
                    [...addonNamespacesOf(installedAddons(stack)), "tacos", "kube-system"].sort(),
                );
                const key = findResource(runs[stack], "aws:kms/key:Key", "observability-key").state.arn;
                // Both stack files set the retention (the schema's default, 30 days, is not what they run).
                const { retentionDays } = sectionOf(runs[stack], "observability").logs;
                for (const g of groups) {
                    assert.strictEqual(g.inputs.retentionInDays, retentionDays, g.name);
                    assert.strictEqual(g.inputs.kmsKeyId, key, g.name);
                    assert.strictEqual(g.inputs.tags.Component, "observability");
                }
            });

            it("budgets the stack's month with forecast and actual alerts to the topic, and watches its spend for anomalies", () => {
                const obs = sectionOf(runs[stack], "observability");
                const budget = ofType(runs[stack], "aws:budgets/budget:Budget")[0];
                assert.strictEqual(Number(budget.inputs.limitAmount), obs.budget.monthlyUsd);
                assert.deepStrictEqual(budget.inputs.costFilters, [
                    {
                        name: "TagKeyValue",
                        values: [`user:Environment$${sectionOf(runs[stack], "tags").Environment}`],
                    },
                ]);
                const kinds = budget.inputs.notifications.map(
                    (n: any) => `${n.notificationType}:${n.threshold}`,
                );
                // prod's stack file names the schema's defaults, which dev's leaves to it.
                assert.deepStrictEqual(kinds, ["FORECASTED:80", "FORECASTED:100", "ACTUAL:100"]);
                const subscription = ofType(
                    runs[stack],
                    "aws:costexplorer/anomalySubscription:AnomalySubscription",
                )[0];
                assert.deepStrictEqual(
                    [subscription.inputs.frequency, subscription.inputs.subscribers[0].type],
                    ["IMMEDIATE", "SNS"],
                    "SNS subscribers need IMMEDIATE",
                );
                // Both stacks live in a member account: the management account activates the tags.
                assert.strictEqual(obs.costAllocationTagActivation, "payer");
                assert.deepStrictEqual(
                    ofType(runs[stack], "aws:costexplorer/costAllocationTag:CostAllocationTag"),
                    [],
                );
            });
        });
    }

    it("activates every cost tag key when the stack may, and keeps them active when it is destroyed", async () => {
        const run = await runProgram(
            "dev",
            (c) => (c["tacos:observability"].costAllocationTagActivation = "stack"),
        );
        const activated = ofType(run, "aws:costexplorer/costAllocationTag:CostAllocationTag");
        assert.deepStrictEqual(
            activated.map((t) => [t.inputs.tagKey, t.inputs.status, t.options.retainOnDelete]),
            ["Project", "Environment", "CostCenter", "Owner", "ManagedBy", "Service", "Component"].map(
                (key) => [key, "Active", true],
            ),
        );
        // The budget's filter names a key that is activated.
        const budget = ofType(run, "aws:budgets/budget:Budget")[0];
        assert.match(budget.inputs.costFilters[0].values[0], /^user:Environment\$/);
    });

    it("makes a stack file say who activates the cost tags, naming the field", async () => {
        const run = await runProgram(
            "dev",
            (c) => delete c["tacos:observability"].costAllocationTagActivation,
        );
        assert.match(String(run.error?.message), /observability\.costAllocationTagActivation/);
    });
});
