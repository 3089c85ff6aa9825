/** The managed node groups of both stacks: @pulumi/eks ManagedNodeGroups on our launch templates. */
import * as assert from "assert";
import { NODE_GROUP_UPDATE, nodeGroupChildren } from "../components/aws/eks-children";
import { findResource, ofType } from "../tools/harness";
import { KUBERNETES_VERSIONS } from "../vocabulary/versions";
import { sectionOf, STACKS, useStackRuns } from "./stacks";

describe("AWS layer: managed node groups", () => {
    const runs = useStackRuns();

    const cfg = (stack: string, key: string) => sectionOf(runs[stack], key);
    const groupsOf = (stack: string) => ofType(runs[stack], "eks:index:ManagedNodeGroup");

    for (const stack of STACKS) {
        it(`${stack}: one component per configured group, joined to the cluster with the node role, in the private subnets`, () => {
            const groups = groupsOf(stack);
            const config = cfg(stack, "cluster").nodeGroups;
            assert.deepStrictEqual(
                groups.map((g) => g.name.replace(/^cluster-/, "")).sort(),
                Object.keys(config).sort(),
            );
            const cluster = findResource(runs[stack], "eks:index:Cluster", "cluster-eks");
            const nodeRole = findResource(runs[stack], "aws:iam/role:Role", "cluster-node");
            for (const group of groups) {
                const own = config[group.name.replace(/^cluster-/, "")];
                assert.strictEqual(group.inputs.cluster, cluster.urn);
                assert.strictEqual(group.inputs.nodeRoleArn, nodeRole.state.arn);
                assert.deepStrictEqual(group.inputs.scalingConfig, {
                    minSize: own.minSize,
                    maxSize: own.maxSize,
                    desiredSize: own.desiredSize,
                });
                assert.strictEqual(
                    group.inputs.ignoreScalingChanges,
                    true,
                    "a node autoscaler owns the desired size",
                );
                assert.strictEqual(group.inputs.capacityType, own.capacityType);
                assert.deepStrictEqual(group.inputs.instanceTypes, own.instanceTypes);
                assert.strictEqual(group.inputs.remoteAccess, undefined, "no SSH");
                assert.strictEqual(group.inputs.subnetIds.length, cfg(stack, "network").zones.length);
                assert.strictEqual(
                    group.inputs.tags.Component,
                    `node-group-${group.name.replace(/^cluster-/, "")}`,
                );
                assert.deepStrictEqual(
                    [
                        group.inputs.labels["tacos.io/node-group"],
                        group.inputs.labels["tacos.io/capacity-type"],
                    ],
                    [group.name.replace(/^cluster-/, ""), own.capacityType.toLowerCase()],
                );
                for (const absent of ["enableIMDSv2", "userData", "amiId", "kubeletExtraArgs", "diskSize"])
                    assert.strictEqual(
                        group.inputs[absent],
                        undefined,
                        `${absent}: the launch template is ours`,
                    );
            }
        });

        it(`${stack}: launch templates with encrypted gp3, IMDSv2 with hop limit 1, cost tags on instances, volumes and ENIs`, () => {
            for (const group of groupsOf(stack)) {
                const lt = findResource(runs[stack], "aws:ec2/launchTemplate:LaunchTemplate", group.name);
                assert.deepStrictEqual(group.inputs.launchTemplate, { id: lt.id, version: "1" });
                const ebs = lt.inputs.blockDeviceMappings[0].ebs;
                assert.deepStrictEqual([ebs.encrypted, ebs.volumeType], ["true", "gp3"]);
                assert.deepStrictEqual(lt.inputs.metadataOptions, {
                    httpEndpoint: "enabled",
                    httpTokens: "required",
                    httpPutResponseHopLimit: 1,
                });
                assert.strictEqual(lt.inputs.keyName, undefined, "no SSH key");
                assert.deepStrictEqual(
                    lt.inputs.tagSpecifications.map((s: any) => [s.resourceType, s.tags.Component]),
                    ["instance", "volume", "network-interface"].map((k) => [k, group.inputs.tags.Component]),
                );
            }
        });

        it(`${stack}: Graviton AL2023 at the cluster's version and pinned AMI release; every node tainted until the mesh runs on it, the system group also for the platform`, () => {
            const version = cfg(stack, "cluster").kubernetesVersion as keyof typeof KUBERNETES_VERSIONS;
            for (const g of groupsOf(stack)) {
                assert.strictEqual(g.inputs.amiType, "AL2023_ARM_64_STANDARD");
                assert.strictEqual(g.inputs.version, version);
                assert.strictEqual(g.inputs.releaseVersion, KUBERNETES_VERSIONS[version].amiRelease);
            }
            const system = groupsOf(stack).find((g) => g.name === "cluster-system")!;
            assert.strictEqual(system.inputs.capacityType, "ON_DEMAND");
            assert.deepStrictEqual(
                system.inputs.taints.map((t: any) => [t.key, t.effect]),
                [
                    ["CriticalAddonsOnly", "NO_SCHEDULE"],
                    ["cni.istio.io/not-ready", "NO_SCHEDULE"],
                ],
            );
            for (const g of groupsOf(stack).filter((g) => g !== system))
                assert.deepStrictEqual(
                    g.inputs.taints.map((t: any) => [t.key, t.effect]),
                    [["cni.istio.io/not-ready", "NO_SCHEDULE"]],
                    g.name,
                );
        });

        it(`${stack}: each group's node group replaces at most a third of its nodes at once`, () => {
            for (const g of groupsOf(stack)) assert.strictEqual(g.options.transforms, 1, g.name);
            const child = { name: "cluster-system", custom: true, props: { clusterName: "c" }, opts: {} };
            const changed = nodeGroupChildren({ ...child, type: "aws:eks/nodeGroup:NodeGroup" }) as any;
            assert.deepStrictEqual(changed.props, { clusterName: "c", updateConfig: NODE_GROUP_UPDATE });
            assert.strictEqual(
                nodeGroupChildren({ ...child, type: "aws:ec2/launchTemplate:LaunchTemplate" }),
                undefined,
            );
        });
    }
});
