/**
 * Rules scoped to the layers they judge: a stack rule runs the checks of the layers the stack's
 * resources show, and a check that is not applicable leaves the others' reports standing.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import * as assert from "assert";
import * as finops from "../../policy/rules/finops";
import { hasClusterLayer, scopeToLayers, stackRule } from "../../policy/rules/layers";
import { k8sNamespaceQuotaAndLimits } from "../../policy/rules/finops";
import { latencyObjectiveWithinMission } from "../../policy/rules/performance-latency";
import { checkStack } from "../../tools/policy-gate";
import { nodeGroup, nodePool, ns, performance, profile, resource } from "./cases";

const messages = async (policy: StackValidationPolicy, resources: ReturnType<typeof resource>[]) => {
    const found = await checkStack(policy, resources);
    return found === "not-applicable" ? found : found.map((f) => f.message);
};

/** Why `rule` finds itself not applicable to an empty stack, as the runtime hears it; undefined when it applies. */
async function notApplicableReason(rule: StackValidationPolicy): Promise<string | undefined> {
    let reason: string | undefined;
    const notApplicable = (why?: string): never => {
        reason = why;
        throw new Error(`not applicable: ${why}`);
    };
    await Promise.resolve(
        rule.validateStack(
            { resources: [], getConfig: () => ({}) as never, stackTags: new Map(), notApplicable },
            () => assert.fail("an empty stack has nothing to report"),
        ),
    ).catch(() => undefined);
    return reason;
}

/** prod's bootstrap in small: its only managed group on-demand and tainted for the system, no NodePool. */
const systemGroup = (amiType = "AL2023_ARM_64_STANDARD") =>
    nodeGroup({ amiType, capacityType: "ON_DEMAND", taints: [{ key: "CriticalAddonsOnly" }] });
const onDemandPool = () =>
    nodePool({
        template: {
            spec: {
                requirements: [
                    { key: "kubernetes.io/arch", operator: "In", values: ["arm64"] },
                    { key: "karpenter.sh/capacity-type", operator: "In", values: ["on-demand"] },
                ],
            },
        },
    });

describe("policy pack: rules scoped to layers", () => {
    const graviton = scopeToLayers(finops.nodeGroupsGravitonAndSpot);

    it("reads the cluster layer from a Kubernetes provider or object, by type alone", () => {
        assert.strictEqual(hasClusterLayer([profile(), systemGroup()]), false);
        assert.strictEqual(hasClusterLayer([systemGroup(), ns("tacos")]), true);
        assert.strictEqual(hasClusterLayer([{ type: "pulumi:providers:kubernetes" }]), true);
        assert.strictEqual(hasClusterLayer([{ type: "pulumi:providers:aws" }]), false);
    });

    it("judges a stack without its cluster layer by the AWS checks alone: no NodePool is no missing spot", async () => {
        assert.deepStrictEqual(await messages(graviton, [profile(), systemGroup()]), []);
    });

    it("still refuses an x86 managed group in a stack without its cluster layer", async () => {
        const found = await messages(graviton, [profile(), systemGroup("AL2023_x86_64_STANDARD")]);
        assert.ok(Array.isArray(found) && found.length === 1, JSON.stringify(found));
        assert.match(found[0], /must run on Graviton .*; it uses AL2023_x86_64_STANDARD/);
    });

    it("judges the cluster checks once the cluster layer is there", async () => {
        const found = await messages(graviton, [profile(), systemGroup(), onDemandPool()]);
        assert.deepStrictEqual(found, [
            "Application capacity must include spot: a NodePool allowing karpenter.sh/capacity-type spot, or a spot application node group.",
        ]);
    });

    it("makes a cluster-only rule not applicable without the cluster layer, and judges it with it", async () => {
        const quota = scopeToLayers(k8sNamespaceQuotaAndLimits);
        assert.strictEqual(await messages(quota, [profile(), systemGroup()]), "not-applicable");
        const found = await messages(quota, [ns("tacos")]);
        assert.deepStrictEqual(found, [
            "Application namespace tacos must have a ResourceQuota.",
            "Application namespace tacos must have a LimitRange.",
        ]);
    });

    it("judges the profile in every run", async () => {
        const loose = profile({ performanceProfile: performance({ p95LatencyMs: 500 }) });
        const found = await messages(scopeToLayers(latencyObjectiveWithinMission), [loose]);
        assert.ok(
            Array.isArray(found) && /at most 200 ms; it is 500 ms/.test(found[0]),
            JSON.stringify(found),
        );
    });

    it("keeps one check's reports when another is not applicable, and is not applicable only when all are", async () => {
        const rule = stackRule({
            name: "two-checks",
            description: "Checks whether both checks pass.",
            aws: (_args, report) => report("the AWS check reports"),
            cluster: (args) => args.notApplicable("no NodePool to judge"),
        });
        assert.deepStrictEqual(await messages(rule, [ns("tacos")]), ["the AWS check reports"]);
        const neither = stackRule({
            name: "neither",
            description: "Checks whether nothing applies.",
            aws: (args) => args.notApplicable("no queue"),
            cluster: (args) => args.notApplicable("no NodePool"),
        });
        assert.strictEqual(await notApplicableReason(neither), "no queue; no NodePool");
    });

    it("refuses a stack rule with no check", () => {
        assert.throws(
            () => stackRule({ name: "empty", description: "Checks whether nothing." }),
            /stack rule empty has no check of any layer/,
        );
    });
});
