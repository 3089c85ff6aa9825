/** The AWS layer of both stacks: the EKS cluster, its node groups and its add-ons. */
import * as assert from "assert";
import { CONTROL_PLANE_LOG_TYPES } from "../components/aws/cluster";
import { findResource, ofType } from "../tools/harness";
import { defaultAddonVersion, EKS_ADDONS, KubernetesVersion } from "../vocabulary/versions";
import { sectionOf, STACKS, useStackRuns } from "./stacks";

describe("AWS layer: cluster", () => {
    const runs = useStackRuns();

    const cfg = (stack: string, key: string) => sectionOf(runs[stack], key);

    describe("cluster", () => {
        for (const stack of STACKS) {
            it(`${stack}: pinned version on standard support, API authentication, encrypted secrets, every log type`, () => {
                const [cluster] = ofType(runs[stack], "aws:eks/cluster:Cluster");
                const config = cfg(stack, "cluster");
                assert.strictEqual(cluster.inputs.version, config.kubernetesVersion);
                assert.deepStrictEqual(
                    cluster.inputs.upgradePolicy,
                    { supportType: "STANDARD" },
                    "never billed as extended support",
                );
                assert.deepStrictEqual(cluster.inputs.accessConfig, {
                    authenticationMode: "API",
                    bootstrapClusterCreatorAdminPermissions: false,
                });
                assert.deepStrictEqual(
                    [...cluster.inputs.enabledClusterLogTypes].sort(),
                    [...CONTROL_PLANE_LOG_TYPES].sort(),
                );
                const key = findResource(runs[stack], "aws:kms/key:Key", "cluster-secrets");
                assert.strictEqual(key.inputs.enableKeyRotation, true);
                assert.deepStrictEqual(cluster.inputs.encryptionConfig, {
                    provider: { keyArn: key.state.arn },
                    resources: ["secrets"],
                });
                assert.strictEqual(cluster.inputs.vpcConfig.endpointPrivateAccess, true);
                assert.strictEqual(
                    cluster.inputs.bootstrapSelfManagedAddons,
                    false,
                    "the managed add-ons replace the self-managed defaults",
                );
                assert.ok(
                    cluster.options.dependsOn.some((urn) => urn.endsWith("cluster-control-plane")),
                    "log group before cluster",
                );
            });

            it(`${stack}: an access entry per principal with its intended policy, and none implied for the creator`, () => {
                const access = cfg(stack, "cluster").access;
                const entries = ofType(runs[stack], "aws:eks/accessEntry:AccessEntry").filter(
                    (e) => e.inputs.type === "STANDARD",
                );
                const policies = ofType(
                    runs[stack],
                    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
                );
                const policyOf = (arn: string) =>
                    policies
                        .filter((p) => p.inputs.principalArn === arn)
                        .map((p) => [p.inputs.policyArn.split("/").pop(), p.inputs.accessScope.type]);
                assert.deepStrictEqual(
                    entries.map((e) => e.inputs.principalArn).sort(),
                    [access.adminRoleArn, access.deployRoleArn, access.previewRoleArn].sort(),
                );
                assert.deepStrictEqual(policyOf(access.adminRoleArn), [
                    ["AmazonEKSClusterAdminPolicy", "cluster"],
                ]);
                assert.deepStrictEqual(policyOf(access.deployRoleArn), [
                    ["AmazonEKSClusterAdminPolicy", "cluster"],
                ]);
                assert.deepStrictEqual(
                    policyOf(access.previewRoleArn),
                    [["AmazonEKSViewPolicy", "cluster"]],
                    "preview runs a pull request's code: it reads no Secrets and writes nothing",
                );
                const provider = ofType(runs[stack], "pulumi:providers:kubernetes")[0];
                for (const p of policies)
                    assert.ok(
                        provider.options.dependsOn.includes(p.urn),
                        "the Kubernetes provider waits for every access policy",
                    );
            });

            it(`${stack}: the managed add-ons at their pinned versions, the CNI enforcing NetworkPolicies, nodes after pod networking`, () => {
                // The stack files pin no add-on: each is the table's for the stack's version.
                const version = cfg(stack, "cluster").kubernetesVersion as KubernetesVersion;
                const config = Object.fromEntries(
                    EKS_ADDONS.map((a) => [a, defaultAddonVersion(version, a)]),
                );
                const addons = Object.fromEntries(
                    ofType(runs[stack], "aws:eks/addon:Addon").map((a) => [a.inputs.addonName, a]),
                );
                assert.deepStrictEqual(Object.keys(addons).sort(), [
                    "aws-ebs-csi-driver",
                    "coredns",
                    "eks-pod-identity-agent",
                    "kube-proxy",
                    "vpc-cni",
                ]);
                assert.deepStrictEqual(
                    ["vpc-cni", "kube-proxy", "coredns", "eks-pod-identity-agent", "aws-ebs-csi-driver"].map(
                        (n) => addons[n].inputs.addonVersion,
                    ),
                    [
                        config.vpcCni,
                        config.kubeProxy,
                        config.coreDns,
                        config.podIdentityAgent,
                        config.ebsCsiDriver,
                    ],
                );
                const ebs = addons["aws-ebs-csi-driver"];
                const ebsIdentity = ofType(
                    runs[stack],
                    "aws:eks/podIdentityAssociation:PodIdentityAssociation",
                ).find((a) => a.inputs.serviceAccount === "ebs-csi-controller-sa")!;
                assert.strictEqual(ebsIdentity.inputs.namespace, "kube-system");
                assert.ok(
                    ebs.options.dependsOn.some(
                        (urn: string) => urn === ebsIdentity.urn || urn === ebsIdentity.options.parent,
                    ),
                    "the driver starts after its Pod Identity exists",
                );
                assert.deepStrictEqual(JSON.parse(ebs.inputs.configurationValues).controller.nodeSelector, {
                    "tacos.io/node-group": "system",
                });
                assert.deepStrictEqual(JSON.parse(addons["vpc-cni"].inputs.configurationValues), {
                    enableNetworkPolicy: "true",
                });
                const dns = JSON.parse(addons.coredns.inputs.configurationValues);
                assert.deepStrictEqual(
                    dns.nodeSelector,
                    { "tacos.io/node-group": "system" },
                    "cluster DNS on the system nodes, never on spot",
                );
                assert.deepStrictEqual(
                    dns.tolerations.map((t: any) => t.key),
                    ["CriticalAddonsOnly"],
                );
                for (const group of ofType(runs[stack], "aws:eks/nodeGroup:NodeGroup")) {
                    assert.ok(
                        group.options.dependsOn.includes(addons["vpc-cni"].urn),
                        `${group.name} after the CNI`,
                    );
                }
            });

            it(`${stack}: managed node groups from config: encrypted gp3, IMDSv2, no SSH, private subnets`, () => {
                const groups = ofType(runs[stack], "aws:eks/nodeGroup:NodeGroup");
                const config = cfg(stack, "cluster").nodeGroups;
                assert.deepStrictEqual(
                    groups.map((g) => g.name.replace(/^cluster-/, "")).sort(),
                    Object.keys(config).sort(),
                );
                for (const group of groups) {
                    const own = config[group.name.replace(/^cluster-/, "")];
                    assert.deepStrictEqual(group.inputs.scalingConfig, {
                        minSize: own.minSize,
                        maxSize: own.maxSize,
                        desiredSize: own.desiredSize,
                    });
                    assert.strictEqual(group.inputs.capacityType, own.capacityType);
                    assert.strictEqual(group.inputs.remoteAccess, undefined, "no SSH");
                    assert.strictEqual(group.inputs.subnetIds.length, cfg(stack, "network").zones.length);
                    assert.deepStrictEqual(group.options.ignoreChanges, ["scalingConfig.desiredSize"]);
                    const lt = findResource(runs[stack], "aws:ec2/launchTemplate:LaunchTemplate", group.name);
                    assert.strictEqual(group.inputs.launchTemplate.id, lt.id);
                    const ebs = lt.inputs.blockDeviceMappings[0].ebs;
                    assert.deepStrictEqual([ebs.encrypted, ebs.volumeType], ["true", "gp3"]);
                    assert.strictEqual(lt.inputs.metadataOptions.httpTokens, "required");
                    assert.strictEqual(lt.inputs.keyName, undefined, "no SSH key");
                }
                const system = groups.find((g) => g.name === "cluster-system")!;
                assert.strictEqual(system.inputs.capacityType, "ON_DEMAND");
                assert.deepStrictEqual(
                    system.inputs.taints.map((t: any) => [t.key, t.effect]),
                    [["CriticalAddonsOnly", "NO_SCHEDULE"]],
                );
            });

            it(`${stack}: managed node groups only as configured (the system one, prod's on-demand floor), Graviton at the pinned AMI release`, () => {
                const groups = ofType(runs[stack], "aws:eks/nodeGroup:NodeGroup");
                assert.deepStrictEqual(
                    groups.map((g) => g.name.replace(/^cluster-/, "")).sort(),
                    Object.keys(cfg(stack, "cluster").nodeGroups).sort(),
                );
                for (const g of groups) {
                    assert.strictEqual(g.inputs.amiType, "AL2023_ARM_64_STANDARD");
                    assert.match(
                        g.inputs.releaseVersion,
                        new RegExp(
                            `^${cfg(stack, "cluster").kubernetesVersion.replace(".", "\\.")}\\.\\d+-\\d{8}$`,
                        ),
                    );
                }
            });
        }

        it("prod: the API endpoint is private; dev: public only to the configured CIDRs", () => {
            const [prod] = ofType(runs.prod, "aws:eks/cluster:Cluster");
            assert.strictEqual(prod.inputs.vpcConfig.endpointPublicAccess, false);
            assert.strictEqual(prod.inputs.vpcConfig.publicAccessCidrs, undefined);
            const [dev] = ofType(runs.dev, "aws:eks/cluster:Cluster");
            assert.strictEqual(dev.inputs.vpcConfig.endpointPublicAccess, true);
            assert.deepStrictEqual(
                dev.inputs.vpcConfig.publicAccessCidrs,
                cfg("dev", "cluster").endpoint.publicAccessCidrs,
            );
            assert.ok(!dev.inputs.vpcConfig.publicAccessCidrs.includes("0.0.0.0/0"));
        });
    });
});
