/**
 * Shared by the policy suites: resources built as the CrossGuard runtime builds them (props
 * behind unknownCheckingProxy; getConfig, notApplicable, isType, asType, stackTags), fixtures,
 * and the runners. A rule has a passing case and, per way it can fail, a failing case made from
 * the passing one by one change; each failing case names the violation message it expects.
 */
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import * as assert from "assert";
import type { PackConfig } from "../../tools/pack-config";
import { checkResource, checkStack } from "../../tools/policy-gate";
import { makePolicyResource } from "../../tools/policy-resources";

/** Names of the rules some suite has cases for. */
export const TESTED_POLICIES = new Set<string>();

let serial = 0;
export function resource(
    type: string,
    props: Record<string, any>,
    extra: Partial<PolicyResource> = {},
): PolicyResource {
    const name = `r${++serial}`;
    return Object.assign(
        makePolicyResource({
            type,
            name,
            urn: `urn:pulumi:test::p::${type}::${name}`,
            inputs: structuredClone(props),
        }),
        extra,
    );
}
export const tagged = {
    Project: "p",
    Environment: "dev",
    CostCenter: "c",
    Owner: "o",
    ManagedBy: "pulumi",
    Component: "x",
};

export const pod = () => ({
    metadata: { name: "api", namespace: "tacos" },
    spec: {
        template: {
            metadata: {
                labels: {
                    "app.kubernetes.io/name": "api",
                    "cost.tacos.io/project": "p",
                    "cost.tacos.io/environment": "dev",
                    "cost.tacos.io/cost-center": "c",
                    "cost.tacos.io/owner": "o",
                    "cost.tacos.io/service": "api",
                },
            },
            spec: {
                securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
                containers: [
                    {
                        name: "api",
                        image: "111122223333.dkr.ecr.ap-northeast-2.amazonaws.com/api:1a2b3c4",
                        ports: [{ name: "http", containerPort: 8000 }],
                        resources: {
                            requests: { cpu: "100m", memory: "128Mi" },
                            limits: { cpu: "1", memory: "256Mi" },
                        },
                        livenessProbe: { httpGet: { path: "/healthz", port: "http" } },
                        readinessProbe: { httpGet: { path: "/readyz", port: "http" } },
                        securityContext: {
                            runAsNonRoot: true,
                            allowPrivilegeEscalation: false,
                            readOnlyRootFilesystem: true,
                            capabilities: { drop: ["ALL"] },
                            seccompProfile: { type: "RuntimeDefault" },
                        },
                    },
                ],
                volumes: [{ name: "tmp", emptyDir: {} }],
            },
        },
    },
});
export const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
export const c0 = (p: any) => p.spec.template.spec.containers[0];

export const ns = (name: string) => resource("kubernetes:core/v1:Namespace", { metadata: { name } });
export const hpaFor = (name: string, max = 10) =>
    resource("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", {
        metadata: { name, namespace: "tacos" },
        spec: { scaleTargetRef: { name }, maxReplicas: max },
    });
export const profile = (overrides: Record<string, any> = {}) =>
    resource("tacos:index:PlatformProfile", {
        stack: "prod",
        securityPolicy: {
            podSecurityLevel: "restricted",
            defaultDenyNetworkPolicies: true,
            allowedNamespaces: ["tacos"],
        },
        costOptimization: { requireGraviton: true, spotForApps: true, quotaHeadroomPercent: 20 },
        performanceProfile: performance(),
        ...overrides,
    });
/** A PerformanceProfile for one service `api`: 1000 RPS at 100 per pod, the default scale-up behaviour and timeline. */
export function performance(overrides: Record<string, any> = {}) {
    return {
        targetRps: 1000,
        p95LatencyMs: 200,
        headroomPercent: 0,
        scaleUp: SCALE_UP,
        timeline: {
            objectiveSeconds: 180,
            metricsDelaySeconds: 45,
            nodeLaunchSeconds: 60,
            nodeLostDetectionSeconds: 50,
            nodeAgentsReadySeconds: 0,
        },
        services: {
            api: { minReplicas: 1, maxReplicas: 10, rpsPerPod: 100, shareOfTarget: 1, podStartupSeconds: 15 },
        },
        ...overrides,
    };
}
/** The HPAs' scale-up behaviour the program delivers by default. */
export const SCALE_UP = { periodSeconds: 15, percent: 100, pods: 4, stabilizationWindowSeconds: 0 };
/**
 * A delivered service `api`: 1 to maxReplicas, CPU target 50% under a 5-core limit (so one HPA
 * decision may multiply its ready pods by 5 / cpu / 0.5), the default scale-up behaviour unless
 * `scaleUp` is null.
 */
export const app = (
    maxReplicas: number,
    cpu = "500m",
    memory = "1Gi",
    scaleUp: Record<string, number> | null = SCALE_UP,
    cpuLimit = "5",
) =>
    resource("kubernetes:argoproj.io/v1alpha1:Application", {
        metadata: { name: "api" },
        spec: {
            source: {
                helm: {
                    valuesObject: {
                        name: "api",
                        autoscaling: {
                            mode: "hpa",
                            minReplicas: 1,
                            maxReplicas,
                            hpa: { cpuUtilization: 50, ...(scaleUp ? { scaleUp } : {}) },
                        },
                        resources: { requests: { cpu, memory }, limits: { cpu: cpuLimit, memory } },
                    },
                },
            },
        },
    });
/** A Karpenter NodePool `apps`: arm64, spot and on-demand, Graviton types, 16 vCPU and 64 GiB at most. */
export const nodePool = (spec: Record<string, any> = {}) =>
    resource("kubernetes:karpenter.sh/v1:NodePool", {
        metadata: { name: "apps" },
        spec: {
            template: {
                spec: {
                    requirements: [
                        { key: "kubernetes.io/arch", operator: "In", values: ["arm64"] },
                        { key: "karpenter.sh/capacity-type", operator: "In", values: ["spot", "on-demand"] },
                        {
                            key: "node.kubernetes.io/instance-type",
                            operator: "In",
                            values: ["m7g.xlarge", "m6g.xlarge", "c7g.xlarge"],
                        },
                    ],
                },
            },
            limits: { cpu: "16", memory: "64Gi" },
            ...spec,
        },
    });
/** A managed node group: the AWS resource, or with `type` the @pulumi/eks component (same input names). */
export const nodeGroup = (
    props: Record<string, any>,
    type: "aws:eks/nodeGroup:NodeGroup" | "eks:index:ManagedNodeGroup" = "aws:eks/nodeGroup:NodeGroup",
    extra: Partial<PolicyResource> = {},
) =>
    resource(
        type,
        {
            amiType: "AL2023_ARM_64_STANDARD",
            capacityType: "SPOT",
            instanceTypes: ["m7g.xlarge"],
            scalingConfig: { minSize: 0, maxSize: 2, desiredSize: 1 },
            ...props,
        },
        extra,
    );

export interface ResourceCase {
    policy: ResourceValidationPolicy;
    type: string;
    good: Record<string, any>;
    config?: PackConfig;
    /** Each failing case: one change to `good`, and the message the rule must report. */
    bad: { why: string; change: (p: any) => void; expect: RegExp; type?: string }[];
}

export interface StackCase {
    policy: StackValidationPolicy;
    good: () => PolicyResource[];
    config?: PackConfig;
    bad: { why: string; resources: () => PolicyResource[]; expect: RegExp }[];
}

function assertReports(found: { message: string }[] | "not-applicable", expect: RegExp, why: string): void {
    assert.ok(Array.isArray(found), `${why}: the rule was not applicable`);
    assert.ok(
        found.some((f) => expect.test(f.message)),
        `${why}: expected a violation matching ${expect}, got ${JSON.stringify(found.map((f) => f.message))}`,
    );
}

/** Registers a suite per resource rule: the good case passes, each bad case reports its message. */
export function describeResourceCases(title: string, cases: ResourceCase[]): void {
    describe(title, () => {
        for (const c of cases) {
            TESTED_POLICIES.add(c.policy.name);
            describe(`${c.policy.name} (${c.type})`, () => {
                it("passes the good case", async () => {
                    assert.deepStrictEqual(
                        await checkResource(c.policy, resource(c.type, c.good), c.config),
                        [],
                    );
                });
                for (const bad of c.bad) {
                    it(`fails on ${bad.why}`, async () => {
                        const props = structuredClone(c.good);
                        bad.change(props);
                        assertReports(
                            await checkResource(c.policy, resource(bad.type ?? c.type, props), c.config),
                            bad.expect,
                            bad.why,
                        );
                    });
                }
            });
        }
        it("leaves other resource types alone", async () => {
            for (const c of cases) {
                assert.deepStrictEqual(
                    await checkResource(
                        c.policy,
                        resource("random:index/randomPassword:RandomPassword", { length: 64 }),
                        c.config,
                    ),
                    [],
                    c.policy.name,
                );
            }
        });
    });
}

/** Registers a suite per stack rule: the good stack passes, each bad stack reports its message. */
export function describeStackCases(title: string, cases: StackCase[]): void {
    describe(title, () => {
        for (const c of cases) {
            TESTED_POLICIES.add(c.policy.name);
            describe(c.policy.name, () => {
                it("passes the good case", async () => {
                    assert.deepStrictEqual(await checkStack(c.policy, c.good(), c.config), []);
                });
                for (const bad of c.bad) {
                    it(`fails on ${bad.why}`, async () => {
                        assertReports(
                            await checkStack(c.policy, bad.resources(), c.config),
                            bad.expect,
                            bad.why,
                        );
                    });
                }
            });
        }
    });
}
