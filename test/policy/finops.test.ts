/** FinOps rules: cost tags and labels, quotas, sizing, Graviton and spot. */
import * as assert from "assert";
import { checkResource, checkStack } from "../../tools/policy-gate";
import * as finops from "../../policy/rules/finops";
import {
    c0,
    DEPLOYMENT,
    describeResourceCases,
    describeStackCases,
    nodeGroup,
    nodePool,
    ns,
    pod,
    profile,
    resource,
    ResourceCase,
    StackCase,
    tagged,
} from "./cases";

const RESOURCE_CASES: ResourceCase[] = [
    {
        policy: finops.awsCostTags,
        type: "aws:sqs/queue:Queue",
        good: { tags: tagged },
        bad: [
            {
                why: "a cost tag missing",
                expect: /must carry the cost tags .*; missing: CostCenter\./,
                change: (p) => delete p.tags.CostCenter,
            },
            {
                why: "no Component or Service",
                expect: /name what they belong to with a Component or Service tag/,
                change: (p) => delete p.tags.Component,
            },
        ],
    },
    {
        policy: finops.awsCostTags,
        type: "aws:ec2/launchTemplate:LaunchTemplate",
        good: {
            tags: tagged,
            tagSpecifications: [
                { resourceType: "instance", tags: tagged },
                { resourceType: "volume", tags: tagged },
            ],
        },
        bad: [
            {
                why: "volumes untagged",
                expect: /must tag the volumes they start with the cost tags/,
                change: (p) => p.tagSpecifications.pop(),
            },
        ],
    },
    {
        policy: finops.k8sCostLabels,
        type: "kubernetes:core/v1:Namespace",
        good: { metadata: { name: "tacos", labels: pod().spec.template.metadata.labels } },
        bad: [
            {
                why: "no cost-center label",
                expect: /must carry the cost labels; missing: cost\.tacos\.io\/cost-center/,
                change: (p) => delete p.metadata.labels["cost.tacos.io/cost-center"],
            },
        ],
    },
    {
        policy: finops.k8sCostLabels,
        type: DEPLOYMENT,
        good: pod(),
        bad: [
            {
                why: "an application pod without its service",
                expect: /must name its service in the cost\.tacos\.io\/service label/,
                change: (p) => delete p.spec.template.metadata.labels["cost.tacos.io/service"],
            },
        ],
    },
    {
        policy: finops.k8sRequestsAndLimits,
        type: DEPLOYMENT,
        good: pod(),
        bad: [
            {
                why: "no memory limit",
                expect: /must set limits\.memory/,
                change: (p) => delete c0(p).resources.limits.memory,
            },
            {
                why: "no requests",
                expect: /must set requests\.cpu, requests\.memory/,
                change: (p) => delete c0(p).resources.requests,
            },
        ],
    },
];

const STACK_CASES: StackCase[] = [
    {
        policy: finops.k8sNamespaceQuotaAndLimits,
        good: () => [
            ns("tacos"),
            resource("kubernetes:core/v1:ResourceQuota", { metadata: { name: "q", namespace: "tacos" } }),
            resource("kubernetes:core/v1:LimitRange", { metadata: { name: "l", namespace: "tacos" } }),
        ],
        bad: [
            {
                why: "no quota",
                expect: /must have a ResourceQuota/,
                resources: () => [
                    ns("tacos"),
                    resource("kubernetes:core/v1:LimitRange", {
                        metadata: { name: "l", namespace: "tacos" },
                    }),
                ],
            },
            {
                why: "no limit range",
                expect: /must have a LimitRange/,
                resources: () => [
                    ns("tacos"),
                    resource("kubernetes:core/v1:ResourceQuota", {
                        metadata: { name: "q", namespace: "tacos" },
                    }),
                ],
            },
        ],
    },
    {
        policy: finops.nodeGroupsGravitonAndSpot,
        good: () => [
            profile(),
            nodeGroup({}),
            nodeGroup({
                capacityType: "ON_DEMAND",
                taints: [{ key: "CriticalAddonsOnly", effect: "NO_SCHEDULE" }],
            }),
        ],
        bad: [
            {
                why: "an x86 node group",
                expect: /must run on Graviton .*; it uses AL2023_x86_64_STANDARD/,
                resources: () => [profile(), nodeGroup({ amiType: "AL2023_x86_64_STANDARD" })],
            },
            {
                why: "an x86 node group as an eks component",
                expect: /must run on Graviton .*; it uses AL2023_x86_64_STANDARD/,
                resources: () => [
                    profile(),
                    nodeGroup({ amiType: "AL2023_x86_64_STANDARD" }, "eks:index:ManagedNodeGroup"),
                ],
            },
            {
                why: "no spot application capacity, the eks component's AWS node group counted once",
                expect: /Application capacity must include spot/,
                resources: () => {
                    const group = nodeGroup({ capacityType: "ON_DEMAND" }, "eks:index:ManagedNodeGroup");
                    return [
                        profile(),
                        group,
                        nodeGroup({ capacityType: "SPOT" }, undefined, { parent: group }),
                    ];
                },
            },
            {
                why: "no spot application capacity",
                expect: /Application capacity must include spot/,
                resources: () => [
                    profile(),
                    nodeGroup({ capacityType: "ON_DEMAND" }),
                    nodeGroup({ taints: [{ key: "CriticalAddonsOnly" }] }),
                ],
            },
        ],
    },
    {
        policy: finops.nodeGroupsGravitonAndSpot,
        good: () => [
            profile(),
            nodeGroup({
                capacityType: "ON_DEMAND",
                taints: [{ key: "CriticalAddonsOnly", effect: "NO_SCHEDULE" }],
            }),
            nodePool(),
        ],
        bad: [
            {
                why: "a NodePool that allows x86",
                expect: /NodePool apps must require kubernetes\.io\/arch In \[arm64\]; it allows arm64, amd64/,
                resources: () => [
                    profile(),
                    nodePool({
                        template: {
                            spec: {
                                requirements: [
                                    { key: "kubernetes.io/arch", operator: "In", values: ["arm64", "amd64"] },
                                    { key: "karpenter.sh/capacity-type", operator: "In", values: ["spot"] },
                                ],
                            },
                        },
                    }),
                ],
            },
            {
                why: "a NodePool that leaves the architecture open",
                expect: /NodePool apps must require kubernetes\.io\/arch In \[arm64\]; it allows any architecture/,
                resources: () => [
                    profile(),
                    nodePool({
                        template: {
                            spec: {
                                requirements: [
                                    { key: "karpenter.sh/capacity-type", operator: "In", values: ["spot"] },
                                ],
                            },
                        },
                    }),
                ],
            },
            {
                why: "on-demand NodePools only",
                expect: /Application capacity must include spot/,
                resources: () => [
                    profile(),
                    nodePool({
                        template: {
                            spec: {
                                requirements: [
                                    { key: "kubernetes.io/arch", operator: "In", values: ["arm64"] },
                                    {
                                        key: "karpenter.sh/capacity-type",
                                        operator: "In",
                                        values: ["on-demand"],
                                    },
                                ],
                            },
                        },
                    }),
                ],
            },
        ],
    },
];

describeResourceCases("policy pack: FinOps: resource rules", RESOURCE_CASES);
describeStackCases("policy pack: FinOps: stack rules", STACK_CASES);

describe("policy pack: FinOps readings", () => {
    it("counts the provider's defaultTags toward a resource's cost tags", async () => {
        const provider = {
            type: "pulumi:providers:aws",
            name: "aws",
            urn: "urn:aws",
            props: { defaultTags: JSON.stringify({ tags: tagged }) },
        };
        assert.deepStrictEqual(
            await checkResource(
                finops.awsCostTags,
                resource("aws:iam/rolePolicy:RolePolicy", { policy: "{}" }, { provider }),
            ),
            [],
        );
        const found = await checkResource(
            finops.awsCostTags,
            resource("aws:iam/rolePolicy:RolePolicy", { policy: "{}" }),
        );
        assert.ok(Array.isArray(found) && found.some((f) => /must carry the cost tags/.test(f.message)));
    });

    it("is not applicable where the stack registers no PlatformProfile", async () => {
        assert.strictEqual(
            await checkStack(finops.nodeGroupsGravitonAndSpot, [nodeGroup({})]),
            "not-applicable",
        );
    });
});
