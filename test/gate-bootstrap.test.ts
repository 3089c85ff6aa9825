/**
 * The offline policy gate over each stack's bootstrap run (`tacos:ci.bootstrap: true`: the AWS
 * layer and the profile, no cluster layer), the first `pulumi up` of a private-endpoint stack.
 * The whole pack judges it: the AWS layer's rules in full, the cluster layer's not at all.
 */
import * as assert from "assert";
import { STACKS } from "./stacks";
import { bootstrapRun, formatResult, GateResult, runGate } from "../tools/policy-gate";
import { enforcementOf, readPackConfig } from "../tools/pack-config";
import { ALL_POLICIES } from "../policy/policies";

const failing = (result: GateResult) => [...new Set(result.mandatory.map((v) => v.policy))].sort();
const messagesOf = (result: GateResult, policy: string) =>
    result.violations.filter((v) => v.policy === policy).map((v) => v.message);

/** The stack rules that judge only what the cluster layer creates: nothing to judge in a bootstrap run. */
const CLUSTER_STACK_RULES = [
    "argocd-not-open-to-internet",
    "capacity-covers-target-rps",
    "capacity-fits-node-pools",
    "capacity-survives-zone-loss",
    "k8s-allowed-namespaces",
    "k8s-autoscaled-deployments",
    "k8s-default-deny-network-policy",
    "k8s-namespace-quota-and-limits",
    "k8s-pdb-for-multi-replica",
    "mesh-strict-mutual-tls",
    "releases-canary-with-analysis",
    "scale-up-within-objective",
    "services-monitored-and-alerted",
];

/** prod's only managed node group, the system group, on an x86 instance type. */
const x86SystemGroup = (c: Record<string, any>) =>
    Object.assign(c["tacos:cluster"].nodeGroups.system, { instanceTypes: ["m7i.xlarge"] });
/** dev's application NodePool allowing on-demand capacity only. */
const noSpotPool = (c: Record<string, any>) =>
    (c["tacos:karpenter"].nodePools.apps.capacityTypes = ["on-demand"]);

describe("policy gate: the bootstrap run", function () {
    this.timeout(120000);

    for (const stack of STACKS) {
        it(`passes ${stack}'s bootstrap run with no mandatory violation, judged by the whole pack`, async () => {
            const result = await runGate(stack, bootstrapRun());
            assert.deepStrictEqual(result.mandatory, [], formatResult(result));
            const types = new Set(result.resources.map((r) => r.type));
            assert.ok(types.has("eks:index:Cluster") && types.has("eks:index:ManagedNodeGroup"));
            assert.deepStrictEqual(
                [...types].filter((t) => t.startsWith("kubernetes:") || t === "pulumi:providers:kubernetes"),
                [],
                "a bootstrap run creates no cluster layer",
            );
            // A rule the stack's policy config disables is not run at all.
            const enabled = CLUSTER_STACK_RULES.filter(
                (name) =>
                    enforcementOf(
                        ALL_POLICIES.find((p) => p.name === name)!,
                        readPackConfig(stack),
                    ) !== "disabled",
            );
            assert.deepStrictEqual([...result.notApplicable].sort(), enabled);
            assert.match(
                formatResult(result),
                /Not applicable to this run: .*k8s-namespace-quota-and-limits/,
            );
        });
    }

    it("still refuses what the AWS layer gets wrong in a bootstrap run: an x86 managed group, a public endpoint", async () => {
        const result = await runGate(
            "prod",
            bootstrapRun((c) => {
                x86SystemGroup(c);
                c["tacos:cluster"].endpoint = { publicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] };
            }),
        );
        assert.deepStrictEqual(
            failing(result),
            ["eks-endpoint-not-public", "node-groups-graviton-and-spot"],
            formatResult(result),
        );
        const graviton = messagesOf(result, "node-groups-graviton-and-spot");
        assert.strictEqual(graviton.length, 1, graviton.join("\n"));
        assert.match(
            graviton[0],
            /must run on Graviton \(an ARM_64 AMI type\); it uses AL2023_x86_64_STANDARD/,
        );
    });

    it("skips a cluster-layer rule only where the cluster layer is absent", async () => {
        const edit = (c: Record<string, any>) => {
            noSpotPool(c);
            c["tacos:securityPolicy"] = { defaultDenyNetworkPolicies: false };
        };
        const full = await runGate("dev", edit);
        assert.deepStrictEqual(
            failing(full),
            ["k8s-default-deny-network-policy", "node-groups-graviton-and-spot"],
            formatResult(full),
        );
        assert.deepStrictEqual(messagesOf(full, "node-groups-graviton-and-spot"), [
            "Application capacity must include spot: a NodePool allowing karpenter.sh/capacity-type spot, or a spot application node group.",
        ]);
        const bootstrap = await runGate("dev", bootstrapRun(edit));
        assert.deepStrictEqual(bootstrap.mandatory, [], formatResult(bootstrap));
        assert.ok(bootstrap.notApplicable.includes("k8s-default-deny-network-policy"));
    });
});
