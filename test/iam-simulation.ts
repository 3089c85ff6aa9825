/** Evaluating the program's IAM policies with a real IAM policy simulator (@cloud-copilot/iam-simulate), and the stack's resources as ARNs. */
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { findResource, MOCK_ACCOUNT, ProgramRun } from "../tools/harness";

export type Verdict = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";

/**
 * The key policy AWS gives a key created without one (as ours are): it delegates to IAM, so the
 * identity policy decides. KMS needs a key policy to allow at all, so the simulation includes it.
 */
export const DEFAULT_KEY_POLICY = {
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

export async function evaluate(
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
        throw new Error(`simulation of ${action} on ${resource} failed: ${JSON.stringify(result.errors)}`);
    }
    return result.overallResult as Verdict;
}

/** The request EKS Pod Identity makes for a pod: its session tags and the source account (EKS user guide). */
export const podIdentitySession = (
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
export async function trustVerdict(
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
export function arns(run: ProgramRun) {
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
        heartbeatTopic: arnOf("aws:sns/topic:Topic", "observability-heartbeat"),
        observabilityKey: arnOf("aws:kms/key:Key", "observability-key"),
        volume: `arn:aws:ec2:${region}:${MOCK_ACCOUNT}:volume/vol-0123456789abcdef0`,
        logGroup: (ns: string) =>
            `arn:aws:logs:${region}:${MOCK_ACCOUNT}:log-group:${findResource(run, "aws:cloudwatch/logGroup:LogGroup", `observability-logs-${ns}`).inputs.name}`,
        dataKey: arnOf("aws:kms/key:Key", "data-redis"),
        cluster: findResource(run, "eks:index:Cluster", "cluster-eks").state.eksCluster.name as string,
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
export type Arns = ReturnType<typeof arns>;

export interface Expectation {
    action: string;
    resource: (a: Arns) => string;
    context?: (a: Arns) => Record<string, string | string[]>;
}

/** The stack's tables and queues, and DynamoDB item access to some of them. */
export const ALL_TABLES = [
    "users",
    "tickets",
    "ticket-events",
    "reservations",
    "orders",
    "idempotency",
    "outbox",
];
export const QUEUES = ["reservation-events", "payment-webhooks"];
export const itemRw = (tables: string[]) =>
    tables.flatMap((t) =>
        ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"].map((action) => ({
            action,
            resource: (a: Arns) => a.table(t),
        })),
    );
export const itemAny = (tables: string[]) =>
    tables.flatMap((t) =>
        ["dynamodb:GetItem", "dynamodb:PutItem"].map((action) => ({
            action,
            resource: (a: Arns) => a.table(t),
        })),
    );
export const others = (mine: string[]) => ALL_TABLES.filter((t) => !mine.includes(t));
