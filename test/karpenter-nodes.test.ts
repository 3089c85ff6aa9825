/**
 * Karpenter in the cluster as each stack installs it: the EC2NodeClass and the NodePools from the
 * stack config, their disruption settings, the controller's release, and the capacity each
 * stack keeps beneath it. Expectations come from upstream's docs at v1.14.1, not from the code.
 */
import * as assert from "assert";
import { SYSTEM_TAINT } from "../vocabulary/placement";
import { KUBERNETES_VERSIONS } from "../vocabulary/versions";
import { findResource, ofType, ProgramRun, RecordedResource } from "../tools/harness";
import { sectionOf, STACKS, useStackRuns } from "./stacks";

const custom = (run: ProgramRun, kind: string) => ofType(run, `kubernetes:${kind}`);
const nodePools = (run: ProgramRun) => custom(run, "karpenter.sh/v1:NodePool");
const requirement = (pool: RecordedResource, key: string) =>
    pool.inputs.spec.template.spec.requirements.find((r: any) => r.key === key)?.values;

describe("Karpenter: node class, pools and controller", () => {
    const runs = useStackRuns();

    for (const stack of STACKS) {
        describe(stack, () => {
            it("launches AL2023 arm64 at the system nodes' pinned release, IMDSv2 with hop limit 1, an encrypted gp3 root, every cost tag", () => {
                const [nodeClass] = custom(runs[stack], "karpenter.k8s.aws/v1:EC2NodeClass");
                const spec = nodeClass.inputs.spec;
                const release = findResource(runs[stack], "eks:index:ManagedNodeGroup", "cluster-system")
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
                assert.deepStrictEqual(spec.tags, {
                    ...sectionOf(runs[stack], "tags"),
                    ManagedBy: "pulumi",
                    Component: "application-nodes",
                });
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
                    // Istio 1.30.3's untaint controller lifts `cni.istio.io/not-ready` (istio-discovery values.yaml
                    // taint.name) when the node's CNI agent is Ready; Karpenter (v1.14.1 NodePool CRD) does not make pods
                    // tolerate a startup taint to provision for them.
                    assert.deepStrictEqual(
                        pool.inputs.spec.template.spec.startupTaints,
                        [{ key: "cni.istio.io/not-ready", effect: "NoSchedule" }],
                        "no pod lands before the node's CNI agent is Ready",
                    );
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
                    assert.strictEqual(template.spec.expireAfter, config.expireAfter);
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
                // The chart's own class (charts/karpenter values.yaml at v1.14.1): what adds capacity is not preempted.
                assert.strictEqual(values.priorityClassName, "system-cluster-critical");
                // Admitted even where the API server limits the class to namespaces with a quota scoped to it.
                const critical = ofType(runs[stack], "kubernetes:core/v1:ResourceQuota").filter(
                    (q) =>
                        q.inputs.metadata.namespace === release.inputs.namespace &&
                        q.inputs.spec.scopeSelector?.matchExpressions?.some(
                            (e: any) =>
                                e.scopeName === "PriorityClass" &&
                                e.operator === "In" &&
                                e.values.includes("system-cluster-critical"),
                        ),
                );
                assert.strictEqual(critical.length, 1);
                assert.ok(
                    Number(critical[0].inputs.spec.hard.pods) > values.replicas,
                    "its replicas and a rolling update's surge",
                );
                assert.ok(release.options.dependsOn.includes(critical[0].urn), "the quota before the pods");
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
                    [
                        `traffic-tacos-${stack}`,
                        findResource(runs[stack], "aws:sqs/queue:Queue", "node-autoscaling-interruption")
                            .state.name,
                    ],
                );
            });
        });
    }

    it("prod: an on-demand floor no consolidation removes, spot preferred above it, on-demand when spot is short; dev: one pool, spot first", () => {
        const floor = ofType(runs.prod, "eks:index:ManagedNodeGroup").filter(
            (g) => !(g.inputs.taints ?? []).some((t: any) => t.key === SYSTEM_TAINT.key),
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
            ofType(runs.dev, "eks:index:ManagedNodeGroup").map((g) => g.name),
            ["cluster-system"],
        );
        assert.strictEqual(
            weightOf(runs.dev, "spot,on-demand").length,
            1,
            "Karpenter prefers spot within a pool that allows both",
        );
    });
});
