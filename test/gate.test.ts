/**
 * The offline policy gate: the real program for each stack, the chart rendered by the real
 * helm, every policy over both. Our stacks pass; deliberately broken stack files fail on the
 * policies that guard what they break.
 */
import * as assert from "assert";
import { usePlans } from "./plans";
import { STACKS } from "./stacks";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readStackConfig, REPO_ROOT } from "../tools/harness";
import { checkPackConfig, readPackConfig } from "../tools/pack-config";
import { formatResult, GateResult, runGate } from "../tools/policy-gate";

const failing = (result: GateResult) => [...new Set(result.mandatory.map((v) => v.policy))].sort();

describe("policy gate", function () {
    this.timeout(120000);
    const plans = usePlans();

    for (const stack of STACKS) {
        it(`passes ${stack} with no mandatory violation, over the program and the rendered chart`, async () => {
            const result = plans[stack].gate;
            assert.deepStrictEqual(result.mandatory, [], formatResult(result));
            // With every layer there, every stack rule judges (a bootstrap run's are in gate-bootstrap.test.ts).
            assert.deepStrictEqual(result.notApplicable, [], formatResult(result));
            const types = new Set(result.resources.map((r) => r.type));
            // A stack without canaries (review: the rollouts add-on off) rolls Deployments instead.
            const canary = (readStackConfig(stack)["tacos:delivery"] as any).canary !== undefined;
            const workload = canary
                ? "kubernetes:argoproj.io/v1alpha1:Rollout"
                : "kubernetes:apps/v1:Deployment";
            for (const type of [
                "eks:index:Cluster",
                "aws:sqs/queue:Queue",
                "kubernetes:core/v1:Namespace",
                workload,
                "kubernetes:keda.sh/v1alpha1:ScaledObject",
                "tacos:index:PlatformProfile",
            ]) {
                assert.ok(types.has(type), `the gate saw no ${type}`);
            }
            assert.strictEqual(
                result.resources.filter((r) => r.type === "kubernetes:argoproj.io/v1alpha1:Rollout").length,
                canary ? 5 : 0,
                "one rendered Rollout per service in a canary stack, none otherwise",
            );
        });
    }

    it("refuses a policy config key that names no policy of the pack, naming it", () => {
        assert.throws(
            () =>
                checkPackConfig(
                    {
                        all: "mandatory",
                        "capacity-fits-node-groups": "advisory",
                        "capacity-fits-node-pools": "advisory",
                    },
                    "policy/dev.json",
                ),
            /policy\/dev\.json names no policy of the pack at capacity-fits-node-groups$/,
        );
        for (const stack of STACKS) assert.doesNotThrow(() => readPackConfig(stack), stack);
    });

    const broken: {
        name: string;
        stack: string;
        edit: (c: Record<string, any>) => void;
        policies: string[];
    }[] = [
        {
            name: "a public API endpoint in prod",
            stack: "prod",
            edit: (c) =>
                (c["tacos:cluster"].endpoint = { publicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] }),
            policies: ["eks-endpoint-not-public"],
        },
        {
            name: "a maxReplicas too low for the target RPS",
            stack: "prod",
            edit: (c) => (c["tacos:performanceProfile"].services["gateway-api"].maxReplicas = 50),
            policies: ["capacity-covers-target-rps", "capacity-survives-zone-loss"],
        },
        {
            // 100 x 400 RPS covers 30k + 30%, but the 66 pods a lost zone leaves carry 26,400.
            name: "a maxReplicas that covers the target only with every zone up",
            stack: "prod",
            edit: (c) => (c["tacos:performanceProfile"].services["gateway-api"].maxReplicas = 100),
            policies: ["capacity-survives-zone-loss"],
        },
        {
            name: "an x86 node group where Graviton is required",
            stack: "prod",
            edit: (c) =>
                Object.assign(c["tacos:cluster"].nodeGroups.system, { instanceTypes: ["m7i.xlarge"] }),
            policies: ["node-groups-graviton-and-spot"],
        },
        {
            name: "a system node group too small for the platform's pods",
            stack: "prod",
            edit: (c) =>
                Object.assign(c["tacos:cluster"].nodeGroups.system, { instanceTypes: ["m7g.large"] }),
            policies: ["system-nodes-hold-platform"],
        },
        {
            // What review does (policy/review.json makes the canary rule advisory), prod's config refuses.
            name: "Argo Rollouts switched off in prod, so no canaries",
            stack: "prod",
            edit: (c) => {
                c["tacos:addons"] = { ...c["tacos:addons"], enabled: { rollouts: false } };
                delete c["tacos:delivery"].canary;
            },
            policies: ["releases-canary-with-analysis"],
        },
        {
            name: "no spot capacity for applications",
            stack: "dev",
            edit: (c) => (c["tacos:karpenter"].nodePools.apps.capacityTypes = ["on-demand"]),
            policies: ["node-groups-graviton-and-spot"],
        },
        {
            name: "NodePools too small for the services at max scale",
            stack: "prod",
            edit: (c) => {
                c["tacos:karpenter"].nodePools.spot.limits = { cpu: 48, memoryGiB: 192 };
                c["tacos:karpenter"].nodePools["on-demand"].limits = { cpu: 16, memoryGiB: 64 };
            },
            policies: ["capacity-fits-node-pools", "capacity-survives-zone-loss"],
        },
        {
            name: "a scale-up slower than its objective",
            stack: "prod",
            edit: (c) => (c["tacos:performanceProfile"].timeline = { objectiveSeconds: 60 }),
            policies: ["scale-up-within-objective"],
        },
        {
            name: "services released as Deployments, without canaries",
            stack: "prod",
            edit: (c) => delete c["tacos:delivery"].canary,
            policies: ["releases-canary-with-analysis"],
        },
        {
            name: "namespaces without default deny",
            stack: "dev",
            edit: (c) => (c["tacos:securityPolicy"] = { defaultDenyNetworkPolicies: false }),
            policies: ["k8s-default-deny-network-policy"],
        },
    ];
    for (const b of broken) {
        it(`fails ${b.stack} with ${b.name}, naming ${b.policies.join(", ")}`, async () => {
            const result = await runGate(b.stack, b.edit);
            assert.deepStrictEqual(failing(result), b.policies, formatResult(result));
        });
    }

    it("judges the program's own Argo CD route: dev open to 0.0.0.0/0 is an advisory violation", async () => {
        const result = await runGate("dev", (c) => (c["tacos:argocd"].sourceRanges = ["0.0.0.0/0"]));
        assert.deepStrictEqual(failing(result), [], formatResult(result));
        assert.deepStrictEqual(
            result.violations.filter((v) => v.policy === "argocd-not-open-to-internet").map((v) => v.message),
            [
                "HTTPRoute argocd/argocd-server rule 0 admits 0.0.0.0/0: Argo CD must answer named source ranges only.",
            ],
        );
    });

    it("stops with the config error where the stack file breaks what config validation guards (a missing cost tag, an unpinned image)", async () => {
        await assert.rejects(
            runGate("dev", (c) => delete c["tacos:tags"].CostCenter),
            /tags\.CostCenter is required/,
        );
        await assert.rejects(
            runGate("dev", (c) => (c["tacos:images"].tags["gateway-api"] = "latest")),
            /images\.tags\.gateway-api must be the immutable git short SHA/,
        );
    });

    it("refuses an unknown stack by name", async () => {
        await assert.rejects(runGate("staging"), /Unknown stack "staging": the gate knows dev, prod, review/);
    });

    it("refuses an unreadable stack file with a clear error", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tacos-stack-"));
        try {
            fs.writeFileSync(path.join(dir, "Pulumi.broken.yaml"), "config: [unclosed\n");
            assert.throws(
                () => readStackConfig("broken", dir),
                /Cannot read the stack file Pulumi\.broken\.yaml/,
            );
            fs.writeFileSync(path.join(dir, "Pulumi.list.yaml"), "config: [a, b]\n");
            assert.throws(() => readStackConfig("list", dir), /it must be a mapping with a config: mapping/);
        } finally {
            fs.rmSync(dir, { recursive: true });
        }
    });

    it("reads a stack file again once its text changes, and hands each caller its own copy", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tacos-stack-"));
        try {
            const file = path.join(dir, "Pulumi.edit.yaml");
            fs.writeFileSync(file, "config:\n  tacos:data:\n    nodes: 2\n");
            const first = readStackConfig("edit", dir) as Record<string, any>;
            first["tacos:data"].nodes = 9;
            assert.deepStrictEqual(readStackConfig("edit", dir), { "tacos:data": { nodes: 2 } });
            fs.writeFileSync(file, "config:\n  tacos:data:\n    nodes: 3\n");
            assert.deepStrictEqual(readStackConfig("edit", dir), { "tacos:data": { nodes: 3 } });
        } finally {
            fs.rmSync(dir, { recursive: true });
        }
    });

    it("npm run policy:gate exits 0 on a passing stack, gates its bootstrap run, and 2 on an unknown one", () => {
        const cli = (stack: string, ...flags: string[]) =>
            spawnSync("npx", ["tsx", "scripts/policy-gate.ts", "--stack", stack, ...flags], {
                cwd: REPO_ROOT,
                encoding: "utf8",
            });
        const ok = cli("dev");
        assert.strictEqual(ok.status, 0, ok.stdout + ok.stderr);
        assert.match(ok.stdout, /0 mandatory, \d+ advisory violation\(s\): PASS/);
        assert.doesNotMatch(ok.stdout, /Not applicable/);
        const bootstrap = cli("prod", "--bootstrap");
        assert.strictEqual(bootstrap.status, 0, bootstrap.stdout + bootstrap.stderr);
        assert.match(bootstrap.stdout, /Not applicable to this run: .*capacity-covers-target-rps/);
        const unknown = cli("nope");
        assert.strictEqual(unknown.status, 2);
        assert.match(unknown.stderr, /Unknown stack "nope"/);
    });
});
