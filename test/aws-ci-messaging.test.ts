/** The AWS layer of both stacks: the in-VPC CI runner, and the queues, bus and schedules. */
import * as assert from "assert";
import { QUEUES, ROUTED_EVENT_TYPES } from "../components/aws/messaging";
import { findResource, ofType, RecordedResource, runProgram } from "../tools/harness";
import { sectionOf, STACKS, useStackRuns } from "./stacks";

describe("AWS layer: CI runner and messaging", () => {
    const runs = useStackRuns();

    const cfg = (stack: string, key: string) => sectionOf(runs[stack], key);
    const policyOf = (r: RecordedResource) => JSON.parse(r.inputs.policy);

    describe("CI runner", () => {
        for (const stack of STACKS) {
            it(`${stack}: a GitHub Actions runner in the private subnets that reaches the private API endpoint, started by queued workflow jobs`, () => {
                const [project] = ofType(runs[stack], "aws:codebuild/project:Project");
                assert.strictEqual(project.inputs.name, `traffic-tacos-${stack}-gha-runner`);
                const privateIds = ofType(runs[stack], "aws:ec2/subnet:Subnet")
                    .filter((s) => s.inputs.tags.Tier === "private")
                    .map((s) => s.id);
                assert.deepStrictEqual([...project.inputs.vpcConfig.subnets].sort(), privateIds.sort());
                const runnerSg = findResource(
                    runs[stack],
                    "aws:ec2/securityGroup:SecurityGroup",
                    "ci-runner-sg",
                );
                assert.deepStrictEqual(project.inputs.vpcConfig.securityGroupIds, [runnerSg.id]);
                assert.deepStrictEqual(
                    runnerSg.inputs.egress.map((e: any) => [e.fromPort, e.toPort]),
                    [[443, 443]],
                    "HTTPS out only",
                );
                const [cluster] = ofType(runs[stack], "eks:index:Cluster");
                const [toApi] = ofType(
                    runs[stack],
                    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
                );
                assert.deepStrictEqual(
                    [
                        toApi.inputs.securityGroupId,
                        toApi.inputs.referencedSecurityGroupId,
                        toApi.inputs.fromPort,
                        toApi.inputs.toPort,
                    ],
                    [cluster.state.clusterSecurityGroupId, runnerSg.id, 443, 443],
                );
                assert.strictEqual(project.inputs.source.auth.type, "CODECONNECTIONS");
                assert.strictEqual(
                    project.inputs.source.auth.resource,
                    cfg(stack, "ci").runner.codeConnectionArn,
                );
                assert.strictEqual(project.inputs.environment.type, "ARM_CONTAINER");
                const [webhook] = ofType(runs[stack], "aws:codebuild/webhook:Webhook");
                const [group] = webhook.inputs.filterGroups;
                const filter = (type: string) => group.filters.find((f: any) => f.type === type)?.pattern;
                assert.strictEqual(filter("EVENT"), "WORKFLOW_JOB_QUEUED");
                assert.strictEqual(
                    filter("WORKFLOW_NAME"),
                    "^(main|pull-request)$",
                    "only the deploy and preview workflows",
                );
                const actors = new RegExp(filter("ACTOR_ACCOUNT_ID"));
                for (const id of cfg(stack, "ci").runner.allowedActorIds) assert.ok(actors.test(String(id)));
                assert.ok(
                    !actors.test("999999999") &&
                        !actors.test(`1${cfg(stack, "ci").runner.allowedActorIds[0]}`),
                    "nobody else, and no id that merely contains an allowed one",
                );
                const role = findResource(runs[stack], "aws:iam/role:Role", "ci-runner-role");
                const [trust] = JSON.parse(role.inputs.assumeRolePolicy).Statement;
                assert.deepStrictEqual(trust.Principal, { Service: "codebuild.amazonaws.com" });
                assert.match(
                    trust.Condition.ArnLike["aws:SourceArn"],
                    new RegExp(`:project/traffic-tacos-${stack}-gha-runner$`),
                );
            });
        }

        it("prod needs no public endpoint: CI reaches it from inside the VPC", () => {
            assert.strictEqual(cfg("prod", "cluster").endpoint.publicAccess, false);
            assert.strictEqual(ofType(runs.prod, "aws:codebuild/project:Project").length, 1);
        });

        it("bootstraps a stack's AWS layer alone, for its first deploy from outside the VPC", async () => {
            const run = await runProgram("prod", (c) => (c["tacos:ci"].bootstrap = true));
            assert.ifError(run.error);
            assert.ok(
                ofType(run, "eks:index:Cluster").length === 1 &&
                    ofType(run, "aws:codebuild/project:Project").length === 1,
            );
            assert.deepStrictEqual(
                run.resources.filter((r) => r.type.startsWith("kubernetes:")).map((r) => r.type),
                [],
                "nothing that needs the cluster's endpoint",
            );
        });
    });

    describe("messaging", () => {
        for (const stack of STACKS) {
            it(`${stack}: each queue has an encrypted dead-letter queue with redrive after 3 receives, 30 s visibility, and a DLQ that outlives its messages`, () => {
                for (const queue of QUEUES) {
                    const main = findResource(runs[stack], "aws:sqs/queue:Queue", `messaging-${queue}`);
                    const dlq = findResource(runs[stack], "aws:sqs/queue:Queue", `messaging-${queue}-dlq`);
                    const redrive = JSON.parse(main.inputs.redrivePolicy);
                    assert.deepStrictEqual(redrive, {
                        deadLetterTargetArn: dlq.state.arn,
                        maxReceiveCount: 3,
                    });
                    assert.strictEqual(main.inputs.visibilityTimeoutSeconds, 30);
                    assert.strictEqual(main.inputs.messageRetentionSeconds, 4 * 86400);
                    // SQS counts a DLQ message's age from its first enqueue: the DLQ must keep it longer.
                    assert.ok(dlq.inputs.messageRetentionSeconds > main.inputs.messageRetentionSeconds);
                    assert.strictEqual(dlq.inputs.messageRetentionSeconds, 14 * 86400, "the SQS maximum");
                    assert.ok(
                        main.inputs.sqsManagedSseEnabled && dlq.inputs.sqsManagedSseEnabled,
                        "encrypted at rest",
                    );
                }
            });

            it(`${stack}: every queue policy denies access without TLS`, () => {
                const policies = ofType(runs[stack], "aws:sqs/queuePolicy:QueuePolicy");
                assert.strictEqual(
                    policies.length,
                    QUEUES.length * 2 + 1,
                    "each queue and dead-letter queue, and Karpenter's interruption queue",
                );
                for (const p of policies) {
                    const deny = policyOf(p).Statement.find((s: any) => s.Effect === "Deny");
                    assert.deepStrictEqual(
                        deny?.Condition,
                        { Bool: { "aws:SecureTransport": "false" } },
                        p.name,
                    );
                    assert.strictEqual(deny.Principal, "*");
                }
            });

            it(`${stack}: the bus routes reservation and payment outcomes to reservation-events, which admits only that rule`, () => {
                const [rule] = ofType(runs[stack], "aws:cloudwatch/eventRule:EventRule").filter((r) =>
                    r.name.startsWith("messaging-"),
                );
                assert.deepStrictEqual(JSON.parse(rule.inputs.eventPattern)["detail-type"], [
                    ...ROUTED_EVENT_TYPES,
                ]);
                const [target] = ofType(runs[stack], "aws:cloudwatch/eventTarget:EventTarget").filter((r) =>
                    r.name.startsWith("messaging-"),
                );
                const queue = findResource(
                    runs[stack],
                    "aws:sqs/queue:Queue",
                    "messaging-reservation-events",
                );
                assert.strictEqual(target.inputs.arn, queue.state.arn);
                const allow = policyOf(
                    findResource(
                        runs[stack],
                        "aws:sqs/queuePolicy:QueuePolicy",
                        "messaging-reservation-events",
                    ),
                ).Statement.find((s: any) => s.Effect === "Allow");
                assert.deepStrictEqual(allow.Condition, { ArnEquals: { "aws:SourceArn": rule.state.arn } });
                assert.deepStrictEqual(allow.Principal, { Service: "events.amazonaws.com" });
            });
        }
    });
});
