/**
 * The policy pack, rule by rule: a passing case and, per way the rule can fail, a failing case
 * made from the passing one by one change. Arguments are built as the CrossGuard runtime builds
 * them (props behind unknownCheckingProxy; getConfig, notApplicable, isType, asType, stackTags).
 */
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import * as assert from "assert";
import { ALL_POLICIES, POLICY_GROUPS } from "../policy/rules";
import * as finops from "../policy/rules/finops";
import * as perf from "../policy/rules/performance";
import * as sec from "../policy/rules/security";
import { checkResource, checkStack, makePolicyResource, PackConfig } from "../tools/policy-gate";

let serial = 0;
function resource(type: string, props: Record<string, any>, extra: Partial<PolicyResource> = {}): PolicyResource {
    const name = `r${++serial}`;
    return Object.assign(makePolicyResource({ type, name, urn: `urn:pulumi:test::p::${type}::${name}`, inputs: structuredClone(props) }), extra);
}
const tagged = { Project: "p", Environment: "dev", CostCenter: "c", Owner: "o", ManagedBy: "pulumi", Component: "x" };

interface ResourceCase {
    policy: ResourceValidationPolicy;
    type: string;
    good: Record<string, any>;
    config?: PackConfig;
    bad: { why: string; change: (p: any) => void; type?: string }[];
}

const pod = () => ({
    metadata: { name: "api", namespace: "tacos" },
    spec: {
        template: {
            metadata: { labels: { "app.kubernetes.io/name": "api", "cost.tacos.io/project": "p", "cost.tacos.io/environment": "dev", "cost.tacos.io/cost-center": "c", "cost.tacos.io/owner": "o", "cost.tacos.io/service": "api" } },
            spec: {
                securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
                containers: [{
                    name: "api",
                    image: "111122223333.dkr.ecr.ap-northeast-2.amazonaws.com/api:1a2b3c4",
                    ports: [{ name: "http", containerPort: 8000 }],
                    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "1", memory: "256Mi" } },
                    livenessProbe: { httpGet: { path: "/healthz", port: "http" } },
                    readinessProbe: { httpGet: { path: "/readyz", port: "http" } },
                    securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } },
                }],
                volumes: [{ name: "tmp", emptyDir: {} }],
            },
        },
    },
});
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const c0 = (p: any) => p.spec.template.spec.containers[0];

const eks = () => ({
    version: "1.33",
    encryptionConfigKeyArn: "arn:aws:kms:ap-northeast-2:111122223333:key/x",
    enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
    endpointPublicAccess: false,
    tags: tagged,
});
const policyDoc = (statements: object[]) => ({ policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) });

const RESOURCE_CASES: ResourceCase[] = [
    { policy: sec.eksSecretsEncryption, type: "eks:index:Cluster", good: eks(), bad: [{ why: "no KMS key", change: (p) => delete p.encryptionConfigKeyArn }] },
    { policy: sec.eksControlPlaneLogging, type: "eks:index:Cluster", good: eks(), bad: [{ why: "a log type missing", change: (p) => p.enabledClusterLogTypes.pop() }] },
    {
        policy: sec.eksEndpointNotPublic, type: "eks:index:Cluster", good: eks(),
        bad: [{ why: "a public endpoint where the stack forbids one", change: (p) => { p.endpointPublicAccess = true; p.publicAccessCidrs = ["203.0.113.0/24"]; } }],
    },
    {
        policy: sec.eksEndpointNotPublic, type: "eks:index:Cluster", config: { "eks-endpoint-not-public": { allowPublicEndpoint: true } },
        good: { ...eks(), endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] },
        bad: [
            { why: "open to the whole internet", change: (p) => (p.publicAccessCidrs = ["0.0.0.0/0"]) },
            { why: "public with no CIDRs", change: (p) => delete p.publicAccessCidrs },
        ],
    },
    {
        policy: sec.eksSecretsEncryption, type: "aws:eks/cluster:Cluster", good: { encryptionConfig: { provider: { keyArn: "k" }, resources: ["secrets"] } },
        bad: [{ why: "a raw cluster without encryption", change: (p) => delete p.encryptionConfig }],
    },
    { policy: sec.eksSupportedVersion, type: "eks:index:Cluster", good: eks(), bad: [{ why: "an old version", change: (p) => (p.version = "1.27") }, { why: "no version", change: (p) => delete p.version }] },
    { policy: sec.kmsKeyRotation, type: "aws:kms/key:Key", good: { enableKeyRotation: true }, bad: [{ why: "rotation off", change: (p) => (p.enableKeyRotation = false) }] },
    {
        policy: sec.sqsEncryption, type: "aws:sqs/queue:Queue", good: { sqsManagedSseEnabled: true },
        bad: [{ why: "no encryption", change: (p) => (p.sqsManagedSseEnabled = false) }],
    },
    {
        policy: sec.iamNoWildcardActions, type: "aws:iam/rolePolicy:RolePolicy", good: policyDoc([{ Effect: "Allow", Action: ["sqs:SendMessage"], Resource: "arn:aws:sqs:r:1:q" }]),
        bad: [
            { why: "a * action", change: (p) => (p.policy = p.policy.replace("sqs:SendMessage", "*")) },
            { why: "a service-wide action", change: (p) => (p.policy = p.policy.replace("sqs:SendMessage", "sqs:*")) },
            { why: "NotAction", change: (p) => (p.policy = JSON.stringify({ Statement: [{ Effect: "Allow", NotAction: "iam:*", Resource: "x" }] })) },
        ],
    },
    {
        policy: sec.iamNoWildcardResources, type: "aws:iam/rolePolicy:RolePolicy", good: policyDoc([{ Effect: "Allow", Action: ["ec2:DescribeSubnets"], Resource: "*" }, { Effect: "Allow", Action: ["sqs:SendMessage"], Resource: "arn:aws:sqs:r:1:q" }]),
        bad: [{ why: "a scopable action on *", change: (p) => (p.policy = p.policy.replace('"arn:aws:sqs:r:1:q"', '"*"')) }],
    },
    {
        policy: sec.iamTrustNotOpen, type: "aws:iam/role:Role", good: { assumeRolePolicy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: "sts:AssumeRole" }] }) },
        bad: [
            { why: "Principal *", change: (p) => (p.assumeRolePolicy = p.assumeRolePolicy.replace('{"Service":"pods.eks.amazonaws.com"}', '"*"')) },
            { why: "AWS *", change: (p) => (p.assumeRolePolicy = p.assumeRolePolicy.replace('{"Service":"pods.eks.amazonaws.com"}', '{"AWS":"*"}')) },
        ],
    },
    { policy: sec.nodeGroupNoSsh, type: "aws:eks/nodeGroup:NodeGroup", good: { capacityType: "SPOT" }, bad: [{ why: "remote access", change: (p) => (p.remoteAccess = { ec2SshKey: "k" }) }] },
    { policy: sec.nodeGroupNoSsh, type: "aws:ec2/launchTemplate:LaunchTemplate", good: { metadataOptions: { httpTokens: "required" } }, bad: [{ why: "an SSH key", change: (p) => (p.keyName = "ops") }] },
    {
        policy: sec.securityGroupNoOpenIngress, type: "aws:ec2/securityGroup:SecurityGroup", good: { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }, { protocol: "tcp", fromPort: 6379, toPort: 6379, securityGroups: ["sg-1"] }] },
        bad: [
            { why: "SSH open to the internet", change: (p) => (p.ingress[0].fromPort = p.ingress[0].toPort = 22) },
            { why: "a wide range open", change: (p) => (p.ingress[0].toPort = 8443) },
            { why: "IPv6 open on a database port", change: (p) => (p.ingress[1].ipv6CidrBlocks = ["::/0"]) },
        ],
    },
    {
        policy: sec.securityGroupNoOpenIngress, type: "aws:ec2/securityGroupRule:SecurityGroupRule", good: { type: "ingress", fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0"] },
        bad: [{ why: "a standalone open rule", change: (p) => (p.fromPort = p.toPort = 3306) }],
    },
    { policy: sec.k8sRunAsNonRoot, type: DEPLOYMENT, good: pod(), bad: [{ why: "runAsNonRoot unset", change: (p) => { delete c0(p).securityContext.runAsNonRoot; delete p.spec.template.spec.securityContext.runAsNonRoot; } }, { why: "runAsUser 0", change: (p) => (c0(p).securityContext.runAsUser = 0) }] },
    { policy: sec.k8sNoPrivilegeEscalation, type: DEPLOYMENT, good: pod(), bad: [{ why: "escalation allowed", change: (p) => (c0(p).securityContext.allowPrivilegeEscalation = true) }] },
    { policy: sec.k8sDropAllCapabilities, type: DEPLOYMENT, good: pod(), bad: [{ why: "nothing dropped", change: (p) => (c0(p).securityContext.capabilities.drop = []) }, { why: "NET_ADMIN added", change: (p) => (c0(p).securityContext.capabilities.add = ["NET_ADMIN"]) }] },
    { policy: sec.k8sSeccompRuntimeDefault, type: DEPLOYMENT, good: pod(), bad: [{ why: "Unconfined", change: (p) => { c0(p).securityContext.seccompProfile.type = "Unconfined"; } }] },
    { policy: sec.k8sReadOnlyRootFilesystem, type: DEPLOYMENT, good: pod(), bad: [{ why: "writable root", change: (p) => (c0(p).securityContext.readOnlyRootFilesystem = false) }] },
    {
        policy: sec.k8sNoHostAccess, type: DEPLOYMENT, good: pod(),
        bad: [
            { why: "hostNetwork", change: (p) => (p.spec.template.spec.hostNetwork = true) },
            { why: "hostPID", change: (p) => (p.spec.template.spec.hostPID = true) },
            { why: "a hostPath volume", change: (p) => p.spec.template.spec.volumes.push({ name: "docker", hostPath: { path: "/var/run" } }) },
            { why: "a host port", change: (p) => (c0(p).ports[0].hostPort = 8000) },
            { why: "a privileged container", change: (p) => (c0(p).securityContext.privileged = true) },
        ],
    },
    {
        policy: sec.k8sPinnedImages, type: DEPLOYMENT, good: pod(),
        bad: [
            { why: "latest", change: (p) => (c0(p).image = c0(p).image.replace(":1a2b3c4", ":latest")) },
            { why: "no tag", change: (p) => (c0(p).image = c0(p).image.replace(":1a2b3c4", "")) },
        ],
    },
    { policy: sec.k8sPinnedImages, type: "kubernetes:batch/v1:CronJob", good: { metadata: { name: "j" }, spec: { jobTemplate: { spec: { template: pod().spec.template } } } }, bad: [{ why: "a CronJob on latest", change: (p) => (p.spec.jobTemplate.spec.template.spec.containers[0].image = "busybox:latest") }] },
    {
        policy: sec.k8sNoExternalServicesInApps, type: "kubernetes:core/v1:Service", good: { metadata: { name: "api", namespace: "tacos" }, spec: { type: "ClusterIP" } },
        bad: [{ why: "NodePort", change: (p) => (p.spec.type = "NodePort") }, { why: "LoadBalancer", change: (p) => (p.spec.type = "LoadBalancer") }],
    },
    {
        policy: sec.k8sAllowedNamespaces, type: "kubernetes:core/v1:ConfigMap", config: { "k8s-allowed-namespaces": { allowedNamespaces: ["tacos"] } }, good: { metadata: { name: "c", namespace: "tacos" } },
        bad: [{ why: "another namespace", change: (p) => (p.metadata.namespace = "default") }],
    },
    {
        policy: sec.argocdProjectNoWildcards, type: "kubernetes:argoproj.io/v1alpha1:AppProject",
        good: { metadata: { name: "tacos", namespace: "argocd" }, spec: { sourceRepos: ["https://github.com/o/r.git"], destinations: [{ server: "https://kubernetes.default.svc", namespace: "tacos" }], clusterResourceWhitelist: [], namespaceResourceWhitelist: [{ group: "apps", kind: "Deployment" }] } },
        bad: [
            { why: "any repository", change: (p) => (p.spec.sourceRepos = ["*"]) },
            { why: "any namespace", change: (p) => (p.spec.destinations[0].namespace = "*") },
            { why: "any cluster-scoped kind", change: (p) => (p.spec.clusterResourceWhitelist = [{ group: "*", kind: "*" }]) },
            { why: "any namespaced kind", change: (p) => (p.spec.namespaceResourceWhitelist = [{ group: "*", kind: "*" }]) },
        ],
    },
    {
        policy: finops.awsCostTags, type: "aws:sqs/queue:Queue", good: { tags: tagged },
        bad: [
            { why: "a cost tag missing", change: (p) => delete p.tags.CostCenter },
            { why: "no Component or Service", change: (p) => delete p.tags.Component },
        ],
    },
    {
        policy: finops.awsCostTags, type: "aws:ec2/launchTemplate:LaunchTemplate", good: { tags: tagged, tagSpecifications: [{ resourceType: "instance", tags: tagged }, { resourceType: "volume", tags: tagged }] },
        bad: [{ why: "volumes untagged", change: (p) => p.tagSpecifications.pop() }],
    },
    { policy: finops.k8sCostLabels, type: "kubernetes:core/v1:Namespace", good: { metadata: { name: "tacos", labels: pod().spec.template.metadata.labels } }, bad: [{ why: "no cost-center label", change: (p) => delete p.metadata.labels["cost.tacos.io/cost-center"] }] },
    { policy: finops.k8sCostLabels, type: DEPLOYMENT, good: pod(), bad: [{ why: "an application pod without its service", change: (p) => delete p.spec.template.metadata.labels["cost.tacos.io/service"] }] },
    {
        policy: finops.k8sRequestsAndLimits, type: DEPLOYMENT, good: pod(),
        bad: [
            { why: "no memory limit", change: (p) => delete c0(p).resources.limits.memory },
            { why: "no requests", change: (p) => delete c0(p).resources.requests },
        ],
    },
    { policy: perf.k8sProbes, type: DEPLOYMENT, good: pod(), bad: [{ why: "no readiness probe", change: (p) => delete c0(p).readinessProbe }, { why: "no liveness probe", change: (p) => delete c0(p).livenessProbe }] },
];

describe("policy pack: resource rules", () => {
    for (const c of RESOURCE_CASES) {
        describe(`${c.policy.name} (${c.type})`, () => {
            it("passes the good case", async () => {
                assert.deepStrictEqual(await checkResource(c.policy, resource(c.type, c.good), c.config), []);
            });
            for (const bad of c.bad) {
                it(`fails on ${bad.why}`, async () => {
                    const props = structuredClone(c.good);
                    bad.change(props);
                    const found = await checkResource(c.policy, resource(bad.type ?? c.type, props), c.config);
                    assert.ok(Array.isArray(found) && found.length > 0, `no violation for ${bad.why}`);
                });
            }
        });
    }

    it("counts the provider's defaultTags toward a resource's cost tags", async () => {
        const provider = { type: "pulumi:providers:aws", name: "aws", urn: "urn:aws", props: { defaultTags: JSON.stringify({ tags: tagged }) } };
        assert.deepStrictEqual(await checkResource(finops.awsCostTags, resource("aws:iam/rolePolicy:RolePolicy", { policy: "{}" }, { provider })), []);
        assert.ok(((await checkResource(finops.awsCostTags, resource("aws:iam/rolePolicy:RolePolicy", { policy: "{}" }))) as unknown[]).length > 0);
    });

    it("leaves other resource types alone", async () => {
        for (const c of RESOURCE_CASES) {
            assert.deepStrictEqual(await checkResource(c.policy, resource("random:index/randomPassword:RandomPassword", { length: 64 }), c.config), [], c.policy.name);
        }
    });
});

const ns = (name: string) => resource("kubernetes:core/v1:Namespace", { metadata: { name } });
const np = (namespace: string, spec: Record<string, any>) => resource("kubernetes:networking.k8s.io/v1:NetworkPolicy", { metadata: { name: "default-deny", namespace }, spec });
const denyAll = { podSelector: {}, policyTypes: ["Ingress", "Egress"] };
const hpaFor = (name: string, max = 10) => resource("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", { metadata: { name, namespace: "tacos" }, spec: { scaleTargetRef: { name }, maxReplicas: max } });
const pdbFor = () => resource("kubernetes:policy/v1:PodDisruptionBudget", { metadata: { name: "api", namespace: "tacos" }, spec: { selector: { matchLabels: { "app.kubernetes.io/name": "api" } } } });
const profile = (overrides: Record<string, any> = {}) => resource("tacos:index:PlatformProfile", {
    stack: "prod",
    costOptimization: { requireGraviton: true, spotForApps: true, quotaHeadroomPercent: 20 },
    performanceProfile: { targetRps: 1000, p95LatencyMs: 200, headroomPercent: 0, services: { api: { minReplicas: 1, maxReplicas: 10, rpsPerPod: 100, shareOfTarget: 1 } } },
    ...overrides,
});
const app = (maxReplicas: number, cpu = "500m", memory = "1Gi") => resource("kubernetes:argoproj.io/v1alpha1:Application", { metadata: { name: "api" }, spec: { source: { helm: { valuesObject: { name: "api", autoscaling: { maxReplicas }, resources: { requests: { cpu, memory } } } } } } });
const nodeGroup = (props: Record<string, any>) => resource("aws:eks/nodeGroup:NodeGroup", { amiType: "AL2023_ARM_64_STANDARD", capacityType: "SPOT", instanceTypes: ["m7g.xlarge"], scalingConfig: { minSize: 0, maxSize: 2, desiredSize: 1 }, ...props });

interface StackCase {
    policy: StackValidationPolicy;
    good: () => PolicyResource[];
    bad: { why: string; resources: () => PolicyResource[] }[];
}

const STACK_CASES: StackCase[] = [
    {
        policy: sec.sqsTlsOnly,
        good: () => {
            const queue = resource("aws:sqs/queue:Queue", {});
            const deny = { Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: "q", Condition: { Bool: { "aws:SecureTransport": "false" } } };
            return [queue, resource("aws:sqs/queuePolicy:QueuePolicy", { policy: JSON.stringify({ Statement: [deny] }) }, { dependencies: [queue] })];
        },
        bad: [
            { why: "no queue policy", resources: () => [resource("aws:sqs/queue:Queue", {})] },
            {
                why: "a policy that does not deny plain HTTP",
                resources: () => {
                    const queue = resource("aws:sqs/queue:Queue", {});
                    return [queue, resource("aws:sqs/queuePolicy:QueuePolicy", { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sqs:SendMessage", Resource: "q" }] }) }, { dependencies: [queue] })];
                },
            },
        ],
    },
    {
        policy: sec.k8sDefaultDenyNetworkPolicy,
        good: () => [ns("tacos"), np("tacos", denyAll)],
        bad: [
            { why: "no policy", resources: () => [ns("tacos")] },
            { why: "ingress only", resources: () => [ns("tacos"), np("tacos", { podSelector: {}, policyTypes: ["Ingress"] })] },
            { why: "a policy that allows something", resources: () => [ns("tacos"), np("tacos", { ...denyAll, egress: [{}] })] },
            { why: "the deny in another namespace", resources: () => [ns("tacos"), np("keda", denyAll)] },
        ],
    },
    {
        policy: finops.k8sNamespaceQuotaAndLimits,
        good: () => [ns("tacos"), resource("kubernetes:core/v1:ResourceQuota", { metadata: { name: "q", namespace: "tacos" } }), resource("kubernetes:core/v1:LimitRange", { metadata: { name: "l", namespace: "tacos" } })],
        bad: [
            { why: "no quota", resources: () => [ns("tacos"), resource("kubernetes:core/v1:LimitRange", { metadata: { name: "l", namespace: "tacos" } })] },
            { why: "no limit range", resources: () => [ns("tacos"), resource("kubernetes:core/v1:ResourceQuota", { metadata: { name: "q", namespace: "tacos" } })] },
        ],
    },
    {
        policy: finops.nodeGroupsGravitonAndSpot,
        good: () => [profile(), nodeGroup({}), nodeGroup({ capacityType: "ON_DEMAND", taints: [{ key: "CriticalAddonsOnly", effect: "NO_SCHEDULE" }] })],
        bad: [
            { why: "an x86 node group", resources: () => [profile(), nodeGroup({ amiType: "AL2023_x86_64_STANDARD" })] },
            { why: "no spot application capacity", resources: () => [profile(), nodeGroup({ capacityType: "ON_DEMAND" }), nodeGroup({ taints: [{ key: "CriticalAddonsOnly" }] })] },
        ],
    },
    {
        policy: perf.k8sAutoscaledDeployments,
        good: () => [resource(DEPLOYMENT, pod()), hpaFor("api")],
        bad: [
            { why: "no autoscaler", resources: () => [resource(DEPLOYMENT, pod())] },
            { why: "an HPA for another Deployment", resources: () => [resource(DEPLOYMENT, pod()), hpaFor("other")] },
        ],
    },
    {
        policy: perf.k8sPdbForMultiReplica,
        good: () => [resource(DEPLOYMENT, pod()), hpaFor("api"), pdbFor()],
        bad: [
            { why: "an autoscaled Deployment without a PDB", resources: () => [resource(DEPLOYMENT, pod()), hpaFor("api")] },
            { why: "three fixed replicas without a PDB", resources: () => [resource(DEPLOYMENT, { ...pod(), spec: { ...pod().spec, replicas: 3 } })] },
        ],
    },
    {
        policy: perf.capacityCoversTargetRps,
        good: () => [profile(), app(10)],
        bad: [
            { why: "maxReplicas too low for the target", resources: () => [profile(), app(9)] },
            { why: "a service without a capacity assumption", resources: () => [profile({ performanceProfile: { targetRps: 1000, headroomPercent: 0, services: {} } }), app(10)] },
        ],
    },
    {
        policy: perf.capacityFitsNodeGroups,
        good: () => [app(4, "500m", "1Gi"), nodeGroup({ scalingConfig: { maxSize: 1 } })],
        bad: [
            { why: "too little CPU", resources: () => [app(9, "500m", "1Gi"), nodeGroup({ scalingConfig: { maxSize: 1 } })] },
            { why: "too little memory", resources: () => [app(4, "500m", "5Gi"), nodeGroup({ scalingConfig: { maxSize: 1 } })] },
            { why: "an instance type missing from the capacity table", resources: () => [app(1), nodeGroup({ instanceTypes: ["x9z.huge"] })] },
        ],
    },
];

describe("policy pack: stack rules", () => {
    for (const c of STACK_CASES) {
        describe(c.policy.name, () => {
            it("passes the good case", async () => {
                assert.deepStrictEqual(await checkStack(c.policy, c.good()), []);
            });
            for (const bad of c.bad) {
                it(`fails on ${bad.why}`, async () => {
                    const found = await checkStack(c.policy, bad.resources());
                    assert.ok(Array.isArray(found) && found.length > 0, `no violation for ${bad.why}`);
                });
            }
        });
    }

    it("is not applicable where the stack registers no profile", async () => {
        assert.strictEqual(await checkStack(finops.nodeGroupsGravitonAndSpot, [nodeGroup({})]), "not-applicable");
        assert.strictEqual(await checkStack(perf.capacityCoversTargetRps, [app(1)]), "not-applicable");
    });
});

describe("policy pack conventions", () => {
    it("names every rule in kebab-case, once, and describes it with 'Checks whether'", () => {
        const names = ALL_POLICIES.map((p) => p.name);
        assert.deepStrictEqual([...new Set(names)], names, "unique names");
        for (const p of ALL_POLICIES) {
            assert.match(p.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
            assert.match(p.description, /^Checks whether /);
        }
    });

    it("groups every rule as security, finops or performance", () => {
        assert.deepStrictEqual(Object.keys(POLICY_GROUPS), ["security", "finops", "performance"]);
        assert.strictEqual(Object.values(POLICY_GROUPS).flat().length, ALL_POLICIES.length);
    });

    it("has a tested case for every rule", () => {
        const tested = new Set([...RESOURCE_CASES.map((c) => c.policy.name), ...STACK_CASES.map((c) => c.policy.name)]);
        assert.deepStrictEqual(ALL_POLICIES.map((p) => p.name).filter((n) => !tested.has(n)), []);
    });
});
