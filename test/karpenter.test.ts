/**
 * Karpenter as each stack installs it: the AWS side (node role and its access entry, the
 * interruption queue and its rules, discovery tags), the controller's release, the EC2NodeClass
 * and NodePools from the stack config; and the scale-up timeline's arithmetic on hand-checked cases.
 * Expectations come from upstream's CloudFormation and docs at v1.14.1, not from the code.
 */
import { runSimulation } from "@cloud-copilot/iam-simulate";
import * as assert from "assert";
import { NeverScalesError, replicaSteps, scaleUpTimeline, serviceScaleUp } from "../vocabulary/scaling";
import { REQUIRED_TAG_KEYS } from "../vocabulary/tags";
import { KUBERNETES_VERSIONS } from "../vocabulary/versions";
import { findResource, MOCK_ACCOUNT, ofType, ProgramRun, RecordedResource } from "../tools/harness";
import { sectionOf, STACKS, useStackRuns } from "./stacks";

/** The five rules of upstream's CloudFormation (v1.14.1): source and detail-type of each. */
const UPSTREAM_RULES = [
    ["aws.health", "AWS Health Event"],
    ["aws.ec2", "EC2 Spot Instance Interruption Warning"],
    ["aws.ec2", "EC2 Instance Rebalance Recommendation"],
    ["aws.ec2", "EC2 Instance State-change Notification"],
    ["aws.ec2", "EC2 Capacity Reservation Instance Interruption Warning"],
];

const custom = (run: ProgramRun, kind: string) => ofType(run, `kubernetes:${kind}`);
const nodePools = (run: ProgramRun) => custom(run, "karpenter.sh/v1:NodePool");
const requirement = (pool: RecordedResource, key: string) =>
    pool.inputs.spec.template.spec.requirements.find((r: any) => r.key === key)?.values;

describe("Karpenter", () => {
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
                const [nodeClass] = custom(runs[stack], "karpenter.k8s.aws/v1:EC2NodeClass");
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
                const cluster = findResource(runs[stack], "aws:eks/cluster:Cluster", "cluster-eks");
                assert.deepStrictEqual(
                    [sgTag.inputs.resourceId, sgTag.inputs.value],
                    [cluster.state.vpcConfig.clusterSecurityGroupId, value],
                );
            });

            it("launches AL2023 arm64 at the system nodes' pinned release, IMDSv2 with hop limit 1, an encrypted gp3 root, every cost tag", () => {
                const [nodeClass] = custom(runs[stack], "karpenter.k8s.aws/v1:EC2NodeClass");
                const spec = nodeClass.inputs.spec;
                const release = findResource(runs[stack], "aws:eks/nodeGroup:NodeGroup", "cluster-system")
                    .inputs.releaseVersion as string;
                assert.strictEqual(
                    release,
                    KUBERNETES_VERSIONS[
                        sectionOf(runs[stack], "cluster")
                            .kubernetesVersion as keyof typeof KUBERNETES_VERSIONS
                    ].amiRelease,
                );
                assert.deepStrictEqual(spec.amiSelectorTerms, [
                    { alias: `al2023@v${release.split("-")[1]}` },
                ]);
                assert.deepStrictEqual(
                    [spec.metadataOptions.httpTokens, spec.metadataOptions.httpPutResponseHopLimit],
                    ["required", 1],
                );
                const [root] = spec.blockDeviceMappings;
                assert.deepStrictEqual(
                    [root.deviceName, root.rootVolume, root.ebs.volumeType, root.ebs.encrypted],
                    ["/dev/xvda", true, "gp3", true],
                );
                for (const key of REQUIRED_TAG_KEYS) assert.ok(spec.tags[key], `cost tag ${key}`);
                assert.strictEqual(spec.tags.Component, "application-nodes");
                assert.ok(
                    Object.keys(spec.tags).every(
                        (k) => !k.startsWith("kubernetes.io/cluster") && !/^(karpenter\.|eks:)/.test(k),
                    ),
                    "no tag the EC2NodeClass CRD refuses",
                );
                assert.strictEqual(
                    spec.role,
                    findResource(runs[stack], "aws:iam/role:Role", "node-autoscaling-node").state.name,
                );
            });

            it("makes one NodePool per configured pool: Graviton, its types, capacity types, weight and limits, in the stack's zones", () => {
                const config = sectionOf(runs[stack], "karpenter");
                const pools = nodePools(runs[stack]);
                assert.deepStrictEqual(
                    pools.map((p) => p.inputs.metadata.name).sort(),
                    Object.keys(config.nodePools).sort(),
                );
                for (const pool of pools) {
                    const cfg = config.nodePools[pool.inputs.metadata.name];
                    assert.deepStrictEqual(requirement(pool, "kubernetes.io/arch"), ["arm64"]);
                    assert.deepStrictEqual(
                        requirement(pool, "node.kubernetes.io/instance-type"),
                        cfg.instanceTypes,
                    );
                    assert.deepStrictEqual(
                        requirement(pool, "karpenter.sh/capacity-type"),
                        cfg.capacityTypes,
                    );
                    assert.deepStrictEqual(
                        requirement(pool, "topology.kubernetes.io/zone"),
                        sectionOf(runs[stack], "network").zones.map((z: any) => z.name),
                    );
                    assert.deepStrictEqual(pool.inputs.spec.limits, {
                        cpu: String(cfg.limits.cpu),
                        memory: `${cfg.limits.memoryGiB}Gi`,
                    });
                    assert.strictEqual(pool.inputs.spec.weight, cfg.weight);
                    assert.strictEqual(
                        pool.inputs.spec.template.spec.nodeClassRef.name,
                        custom(runs[stack], "karpenter.k8s.aws/v1:EC2NodeClass")[0].inputs.metadata.name,
                    );
                    assert.ok(
                        pool.options.dependsOn.some((urn) => urn.endsWith("::karpenter-crd")) &&
                            pool.options.dependsOn.some((urn) => urn.endsWith("::karpenter-release")),
                        "after its CRDs and controller",
                    );
                }
            });

            it("consolidates, replaces nodes before their maximum lifetime, and holds still through the peak window", () => {
                const config = sectionOf(runs[stack], "karpenter");
                for (const pool of nodePools(runs[stack])) {
                    const { disruption, template } = pool.inputs.spec;
                    assert.strictEqual(disruption.consolidationPolicy, "WhenEmptyOrUnderutilized");
                    assert.strictEqual(template.spec.expireAfter, config.expireAfter ?? "720h");
                    assert.ok(template.spec.terminationGracePeriod, "a bounded drain");
                    const frozen = disruption.budgets.filter((b: any) => b.nodes === "0");
                    if (config.peakWindow) {
                        assert.deepStrictEqual(
                            frozen,
                            [
                                {
                                    nodes: "0",
                                    schedule: config.peakWindow.schedule,
                                    duration: config.peakWindow.duration,
                                },
                            ],
                            "no reasons: drift, emptiness and consolidation all stop",
                        );
                    } else {
                        assert.deepStrictEqual(frozen, []);
                    }
                    assert.ok(
                        disruption.budgets.some((b: any) => b.nodes === "10%" && !b.schedule),
                        "at most 10% at once otherwise",
                    );
                }
            });

            it("runs the controller on the system nodes, two replicas in prod, named after its Pod Identity association, reading its queue", () => {
                const release = ofType(runs[stack], "kubernetes:helm.sh/v3:Release").find(
                    (r) => r.inputs.name === "karpenter",
                )!;
                const values = release.inputs.values;
                assert.strictEqual(values.replicas, stack === "prod" ? 2 : 1);
                assert.strictEqual(values.nodeSelector["tacos.io/node-group"], "system");
                assert.strictEqual(
                    release.inputs.skipCrds,
                    true,
                    "the CRDs come from the karpenter-crd release, which upgrades them",
                );
                const association = findResource(
                    runs[stack],
                    "aws:eks/podIdentityAssociation:PodIdentityAssociation",
                    "identity-karpenter-association",
                );
                assert.deepStrictEqual(
                    [association.inputs.namespace, association.inputs.serviceAccount],
                    [release.inputs.namespace, values.serviceAccount.name],
                );
                assert.deepStrictEqual(
                    [values.settings.clusterName, values.settings.interruptionQueue],
                    [`traffic-tacos-${stack}`, queue().state.name],
                );
            });
        });
    }

    it("prod: an on-demand floor no consolidation removes, spot preferred above it, on-demand when spot is short; dev: one pool, spot first", () => {
        const floor = ofType(runs.prod, "aws:eks/nodeGroup:NodeGroup").filter(
            (g) => !(g.inputs.taints ?? []).length,
        );
        assert.ok(
            floor.length > 0 &&
                floor.every(
                    (g) =>
                        g.inputs.capacityType === "ON_DEMAND" &&
                        g.inputs.scalingConfig.minSize > 0 &&
                        g.inputs.scalingConfig.minSize === g.inputs.scalingConfig.maxSize,
                ),
            "a fixed on-demand application group",
        );
        const weightOf = (run: ProgramRun, capacity: string) =>
            nodePools(run)
                .filter((p) => requirement(p, "karpenter.sh/capacity-type").join() === capacity)
                .map((p) => p.inputs.spec.weight);
        const [spot] = weightOf(runs.prod, "spot");
        const [onDemand] = weightOf(runs.prod, "on-demand");
        assert.ok(spot > onDemand, "Karpenter tries the spot pool first");
        assert.deepStrictEqual(
            ofType(runs.dev, "aws:eks/nodeGroup:NodeGroup").map((g) => g.name),
            ["cluster-system"],
        );
        assert.strictEqual(
            weightOf(runs.dev, "spot,on-demand").length,
            1,
            "Karpenter prefers spot within a pool that allows both",
        );
    });
});

describe("scale-up timeline arithmetic (hand-checked)", () => {
    const behaviour = { periodSeconds: 15, percent: 100, pods: 4, stabilizationWindowSeconds: 0 };
    const assumptions = { metricsDelaySeconds: 45, nodeLaunchSeconds: 60 };

    it("grows by the larger of the two policies each period, stopping at the target", () => {
        // 1 -> max(2, 5) = 5 -> max(10, 9) = 10.
        assert.deepStrictEqual(replicaSteps(1, 10, behaviour), [5, 10]);
        // 5 -> max(15, 9) = 15 -> 45 -> min(135, 98) = 98.
        assert.deepStrictEqual(replicaSteps(5, 98, { percent: 200, pods: 4 }), [15, 45, 98]);
        // ceil(r x 1.1) and r + 1: one pod at a time until 10 (9 steps).
        assert.deepStrictEqual(replicaSteps(1, 10, { percent: 10, pods: 1 }), [2, 3, 4, 5, 6, 7, 8, 9, 10]);
        assert.deepStrictEqual(replicaSteps(10, 10, behaviour), []);
    });

    const unbounded = { kind: "metrics" as const, maxGrowthPerDecision: 10 };

    it("times a service: first decision after the metrics delay and the stabilization window, then one per period, then a node and the pod's start", () => {
        const s = serviceScaleUp(
            {
                service: "api",
                fromReplicas: 1,
                toReplicas: 10,
                trigger: unbounded,
                scaleUp: { ...behaviour, stabilizationWindowSeconds: 30 },
                podStartupSeconds: 15,
            },
            assumptions,
        );
        // decisions at 45 + 30 = 75 (5, the policies' most) and 90 (10); Ready at 90 + 60 + 15 = 165.
        assert.deepStrictEqual(
            [s.steps, s.firstDecisionSeconds, s.lastDecisionSeconds, s.readySeconds],
            [[5, 10], 75, 90, 165],
        );
    });

    it("caps each decision at what the ready pods' CPU limit lets the HPA want, and waits for the new pods before the next", () => {
        // gateway-api in prod: 700m requested, 1200m limit, 75% target: at most x2.29 per decision.
        const s = serviceScaleUp(
            {
                service: "gateway-api",
                fromReplicas: 5,
                toReplicas: 98,
                trigger: { kind: "metrics", maxGrowthPerDecision: 1.2 / 0.7 / 0.75 },
                scaleUp: { ...behaviour, percent: 200 },
                podStartupSeconds: 15,
            },
            assumptions,
        );
        // 45 s: ceil(5 x 2.29) = 12; they are Ready at 45 + 75 = 120 and seen at 165: 28; then 285: 64; 405: 98. Ready at 405 + 75 = 480.
        assert.deepStrictEqual(
            [s.steps, s.firstDecisionSeconds, s.lastDecisionSeconds, s.readySeconds],
            [[12, 28, 64, 98], 45, 405, 480],
        );
    });

    it("refuses a service whose HPA target a pod at its CPU limit cannot reach", () => {
        assert.throws(
            () =>
                serviceScaleUp(
                    {
                        service: "x",
                        fromReplicas: 2,
                        toReplicas: 4,
                        trigger: { kind: "metrics", maxGrowthPerDecision: 1 },
                        scaleUp: behaviour,
                        podStartupSeconds: 15,
                    },
                    assumptions,
                ),
            NeverScalesError,
        );
    });

    it("activates a queue-driven service from zero at its first poll, then scales it as an HPA", () => {
        const s = serviceScaleUp(
            {
                service: "worker",
                fromReplicas: 0,
                toReplicas: 20,
                trigger: { kind: "queue", pollingSeconds: 30 },
                scaleUp: behaviour,
                podStartupSeconds: 10,
            },
            assumptions,
        );
        // 0 -> 1 at 30 s, then 5, 10, 20 at 45, 60, 75 s; Ready at 75 + 60 + 10 = 145.
        assert.deepStrictEqual(
            [s.steps, s.firstDecisionSeconds, s.lastDecisionSeconds, s.readySeconds],
            [[1, 5, 10, 20], 30, 75, 145],
        );
    });

    it("needs no time for a service whose minimum already carries the target, and reports the slowest service", () => {
        const t = scaleUpTimeline(
            [
                {
                    service: "idle",
                    fromReplicas: 10,
                    toReplicas: 8,
                    trigger: unbounded,
                    scaleUp: behaviour,
                    podStartupSeconds: 15,
                },
                {
                    service: "jvm",
                    fromReplicas: 2,
                    toReplicas: 4,
                    trigger: unbounded,
                    scaleUp: behaviour,
                    podStartupSeconds: 45,
                },
                {
                    service: "go",
                    fromReplicas: 1,
                    toReplicas: 10,
                    trigger: unbounded,
                    scaleUp: behaviour,
                    podStartupSeconds: 10,
                },
            ],
            assumptions,
        );
        // idle: 0; jvm: one step at 45, Ready 45 + 60 + 45 = 150; go: steps at 45 and 60, Ready 60 + 60 + 10 = 130.
        assert.deepStrictEqual(
            t.services.map((s) => s.readySeconds),
            [0, 150, 130],
        );
        assert.deepStrictEqual([t.totalSeconds, t.slowest], [150, "jvm"]);
    });
});
