/**
 * Karpenter's AWS side as each stack builds it: the interruption queue and the rules that feed it,
 * the node role and its access entry, and the discovery tags on subnets and the security group.
 * Expectations come from upstream's CloudFormation and docs at v1.14.1, not from the code.
 */
import { runSimulation } from "@cloud-copilot/iam-simulate";
import * as assert from "assert";
import { findResource, MOCK_ACCOUNT, ofType } from "../tools/harness";
import { sectionOf, STACKS, useStackRuns } from "./stacks";

/** The five rules of upstream's CloudFormation (v1.14.1): source and detail-type of each. */
const UPSTREAM_RULES = [
    ["aws.health", "AWS Health Event"],
    ["aws.ec2", "EC2 Spot Instance Interruption Warning"],
    ["aws.ec2", "EC2 Instance Rebalance Recommendation"],
    ["aws.ec2", "EC2 Instance State-change Notification"],
    ["aws.ec2", "EC2 Capacity Reservation Instance Interruption Warning"],
];

describe("Karpenter: the AWS side", () => {
    const runs = useStackRuns();

    for (const stack of STACKS) {
        describe(stack, () => {
            const queue = () =>
                findResource(runs[stack], "aws:sqs/queue:Queue", "node-autoscaling-interruption");

            it("feeds every interruption event upstream lists to an encrypted queue that keeps them five minutes", () => {
                const rules = ofType(runs[stack], "aws:cloudwatch/eventRule:EventRule").filter((r) =>
                    r.name.startsWith("node-autoscaling-"),
                );
                const patterns = rules
                    .map((r) => JSON.parse(r.inputs.eventPattern))
                    .map((p) => [p.source[0], p["detail-type"][0]]);
                assert.deepStrictEqual(patterns.sort(), [...UPSTREAM_RULES].sort());
                for (const rule of rules) {
                    const targets = ofType(runs[stack], "aws:cloudwatch/eventTarget:EventTarget").filter(
                        (t) => t.inputs.rule === rule.state.name,
                    );
                    assert.deepStrictEqual(
                        targets.map((t) => t.inputs.arn),
                        [queue().state.arn],
                        `${rule.name} targets the queue`,
                    );
                }
                assert.strictEqual(queue().inputs.sqsManagedSseEnabled, true);
                assert.strictEqual(queue().inputs.messageRetentionSeconds, 300);
            });

            it("admits to the queue only this cluster's rules (EventBridge) and SQS, over TLS (IAM simulator)", async () => {
                const policy = JSON.parse(
                    findResource(
                        runs[stack],
                        "aws:sqs/queuePolicy:QueuePolicy",
                        "node-autoscaling-interruption",
                    ).inputs.policy,
                );
                const ruleArns = ofType(runs[stack], "aws:cloudwatch/eventRule:EventRule")
                    .filter((r) => r.name.startsWith("node-autoscaling-"))
                    .map((r) => r.state.arn as string);
                const send = async (principal: string, context: Record<string, string>) => {
                    const result = await runSimulation(
                        {
                            request: {
                                principal,
                                action: "sqs:SendMessage",
                                resource: { resource: queue().state.arn, accountId: MOCK_ACCOUNT },
                                contextVariables: { "aws:SecureTransport": "true", ...context },
                            },
                            identityPolicies: [],
                            serviceControlPolicies: [],
                            resourceControlPolicies: [],
                            resourcePolicy: policy,
                        },
                        {},
                    );
                    if (result.resultType === "error") throw new Error(JSON.stringify(result.errors));
                    return result.overallResult;
                };
                for (const arn of ruleArns)
                    assert.strictEqual(
                        await send("events.amazonaws.com", { "aws:SourceArn": arn }),
                        "Allowed",
                        arn,
                    );
                assert.notStrictEqual(
                    await send("events.amazonaws.com", {
                        "aws:SourceArn": `arn:aws:events:ap-northeast-2:${MOCK_ACCOUNT}:rule/someone-elses`,
                    }),
                    "Allowed",
                    "another rule",
                );
                assert.strictEqual(await send("sqs.amazonaws.com", {}), "Allowed");
                assert.notStrictEqual(await send("sns.amazonaws.com", {}), "Allowed", "another service");
                assert.notStrictEqual(
                    await send(`arn:aws:iam::${MOCK_ACCOUNT}:role/someone`, {}),
                    "Allowed",
                    "an account's role (no identity policy involved)",
                );
                assert.strictEqual(
                    await send("sqs.amazonaws.com", { "aws:SecureTransport": "false" }),
                    "ExplicitlyDenied",
                    "plain HTTP",
                );
            });

            it("runs its nodes with their own role, joined by an EC2_LINUX access entry before the cluster layer starts", () => {
                const role = findResource(runs[stack], "aws:iam/role:Role", "node-autoscaling-node");
                assert.deepStrictEqual(
                    JSON.parse(role.inputs.assumeRolePolicy).Statement.map((s: any) => s.Principal.Service),
                    ["ec2.amazonaws.com"],
                );
                const attached = ofType(runs[stack], "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
                    .filter((a) => a.inputs.role === role.state.name)
                    .map((a) => a.inputs.policyArn.split("/").pop())
                    .sort();
                assert.deepStrictEqual(attached, [
                    "AmazonEC2ContainerRegistryPullOnly",
                    "AmazonEKSWorkerNodePolicy",
                    "AmazonEKS_CNI_Policy",
                ]);
                const entry = ofType(runs[stack], "aws:eks/accessEntry:AccessEntry").find(
                    (e) => e.inputs.principalArn === role.state.arn,
                )!;
                assert.strictEqual(entry.inputs.type, "EC2_LINUX");
                const provider = ofType(runs[stack], "pulumi:providers:kubernetes")[0];
                assert.ok(
                    provider.options.dependsOn.includes(entry.urn),
                    "the cluster layer waits for the node access entry",
                );
            });

            it("finds subnets and the security group by one discovery tag: the private subnets and the cluster security group carry it", () => {
                const [nodeClass] = ofType(runs[stack], "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass");
                const [term] = nodeClass.inputs.spec.subnetSelectorTerms;
                assert.deepStrictEqual(nodeClass.inputs.spec.securityGroupSelectorTerms, [term]);
                const [[key, value]] = Object.entries(term.tags as Record<string, string>);
                assert.deepStrictEqual([key, value], ["karpenter.sh/discovery", `traffic-tacos-${stack}`]);
                const subnets = ofType(runs[stack], "aws:ec2/subnet:Subnet");
                const tagged = subnets.filter((s) => s.inputs.tags[key] === value);
                assert.ok(
                    tagged.length === sectionOf(runs[stack], "network").zones.length &&
                        tagged.every((s) => s.inputs.tags.Tier === "private"),
                    "every private subnet, no public one",
                );
                const sgTag = ofType(runs[stack], "aws:ec2/tag:Tag").find((t) => t.inputs.key === key)!;
                const cluster = findResource(runs[stack], "eks:index:Cluster", "cluster-eks");
                assert.deepStrictEqual(
                    [sgTag.inputs.resourceId, sgTag.inputs.value],
                    [cluster.state.clusterSecurityGroupId, value],
                );
            });
        });
    }
});
