/** The AWS layer of both stacks: the EKS cluster (an @pulumi/eks component), its access and its add-ons. */
import * as assert from "assert";
import { CLUSTER_ACCESS } from "../components/aws/cluster";
import { clusterChildren } from "../components/aws/eks-children";
import { findResource, ofType } from "../tools/harness";
import {
    CONTROL_PLANE_LOG_TYPES,
    defaultAddonVersion,
    EKS_ADDONS,
    KubernetesVersion,
} from "../vocabulary/versions";
import { SERVICE_CIDR } from "../vocabulary/placement";
import { sectionOf, STACKS, useStackRuns } from "./stacks";

describe("AWS layer: cluster", () => {
    const runs = useStackRuns();

    const cfg = (stack: string, key: string) => sectionOf(runs[stack], key);
    const eksCluster = (stack: string) => findResource(runs[stack], "eks:index:Cluster", "cluster-eks");

    describe("cluster", () => {
        for (const stack of STACKS) {
            it(`${stack}: pinned version on standard support, API authentication, encrypted secrets, every log type, the service CIDR`, () => {
                const { inputs, options } = eksCluster(stack);
                const config = cfg(stack, "cluster");
                assert.strictEqual(ofType(runs[stack], "eks:index:Cluster").length, 1);
                assert.strictEqual(inputs.name, runs[stack].outputs.clusterName);
                assert.strictEqual(inputs.version, config.kubernetesVersion);
                assert.deepStrictEqual(inputs.upgradePolicy, { supportType: "STANDARD" }, "never extended");
                assert.strictEqual(inputs.authenticationMode, "API");
                assert.deepStrictEqual(
                    [...inputs.enabledClusterLogTypes].sort(),
                    [...CONTROL_PLANE_LOG_TYPES].sort(),
                );
                const key = findResource(runs[stack], "aws:kms/key:Key", "cluster-secrets");
                assert.strictEqual(key.inputs.enableKeyRotation, true);
                assert.strictEqual(inputs.encryptionConfigKeyArn, key.state.arn);
                assert.strictEqual(inputs.endpointPrivateAccess, true);
                assert.strictEqual(inputs.kubernetesServiceIpAddressRange, SERVICE_CIDR);
                assert.strictEqual(inputs.ipFamily, "ipv4");
                assert.strictEqual(
                    inputs.bootstrapSelfManagedAddons,
                    false,
                    "the managed add-ons replace the self-managed defaults",
                );
                const role = findResource(runs[stack], "aws:iam/role:Role", "cluster-control-plane-role");
                assert.strictEqual(inputs.serviceRole, role.id, "our control-plane role, not one of its own");
                assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Action, [
                    "sts:AssumeRole",
                    "sts:TagSession",
                ]);
                for (const dep of ["cluster-control-plane", "cluster-control-plane-role"])
                    assert.ok(
                        options.dependsOn.some((urn) => urn.endsWith(`::${dep}`)),
                        `${dep} before the cluster`,
                    );
                const log = findResource(
                    runs[stack],
                    "aws:cloudwatch/logGroup:LogGroup",
                    "cluster-control-plane",
                );
                assert.strictEqual(log.inputs.name, `/aws/eks/${inputs.name}/cluster`);
                assert.strictEqual(log.inputs.retentionInDays, config.logRetentionDays);
            });

            it(`${stack}: the component adds nothing of its own: no node group, security groups, OIDC provider, instance role or add-ons`, () => {
                const { inputs } = eksCluster(stack);
                // The stack's VPC, or the component would look up the account's default VPC.
                assert.strictEqual(
                    inputs.vpcId,
                    findResource(runs[stack], "aws:ec2/vpc:Vpc", "network-vpc").id,
                );
                assert.strictEqual(inputs.skipDefaultNodeGroup, true);
                assert.strictEqual(
                    inputs.skipDefaultSecurityGroups,
                    true,
                    "EKS's cluster security group only",
                );
                assert.strictEqual(inputs.createOidcProvider, false, "workloads use Pod Identity");
                assert.strictEqual(inputs.createInstanceRole, false);
                assert.strictEqual(inputs.useDefaultVpcCni, true, "no VPC CNI of the component's");
                assert.strictEqual(inputs.kubeProxyAddonOptions.enabled, false);
                assert.strictEqual(inputs.corednsAddonOptions.enabled, false);
                for (const absent of [
                    "storageClasses",
                    "roleMappings",
                    "userMappings",
                    "fargate",
                    "autoMode",
                ])
                    assert.strictEqual(inputs[absent], undefined, absent);
            });

            it(`${stack}: an access entry per principal with its intended policy, and none implied for the creator`, () => {
                const access = cfg(stack, "cluster").access;
                const { inputs, options, urn } = eksCluster(stack);
                assert.deepStrictEqual(
                    Object.keys(inputs.accessEntries).sort(),
                    Object.keys(CLUSTER_ACCESS).sort(),
                );
                const policyOf = (arn: string) =>
                    Object.values(inputs.accessEntries as Record<string, any>)
                        .filter((e) => e.principalArn === arn && e.type === "STANDARD")
                        .flatMap((e) => Object.values(e.accessPolicies as Record<string, any>))
                        .map((p) => [p.policyArn.split("/").pop(), p.accessScope.type]);
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
                // The component always asks EKS for the creator's admin entry; the transform takes it back.
                assert.strictEqual(options.transforms, 1);
                const child = {
                    type: "aws:eks/cluster:Cluster",
                    name: "cluster-eks-eksCluster",
                    custom: true,
                };
                const props = {
                    accessConfig: {
                        authenticationMode: "API",
                        bootstrapClusterCreatorAdminPermissions: true,
                    },
                };
                const changed = clusterChildren(stack === "prod")({ ...child, props, opts: {} }) as any;
                assert.deepStrictEqual(changed.props.accessConfig, {
                    authenticationMode: "API",
                    bootstrapClusterCreatorAdminPermissions: false,
                });
                const provider = ofType(runs[stack], "pulumi:providers:kubernetes")[0];
                assert.ok(
                    provider.options.dependsOn.includes(urn),
                    "the Kubernetes provider waits for the access policies",
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
                const { urn, state } = eksCluster(stack);
                for (const addon of Object.keys(addons).map((n) => addons[n])) {
                    assert.strictEqual(addon.inputs.clusterName, state.eksCluster.name);
                    assert.ok(addon.options.dependsOn.includes(urn), `${addon.name} after the cluster`);
                    assert.strictEqual(addon.inputs.resolveConflictsOnCreate, "OVERWRITE");
                }
                const ebs = addons["aws-ebs-csi-driver"];
                const ebsIdentity = ofType(
                    runs[stack],
                    "aws:eks/podIdentityAssociation:PodIdentityAssociation",
                ).find((a) => a.inputs.serviceAccount === "ebs-csi-controller-sa")!;
                assert.strictEqual(ebsIdentity.inputs.namespace, "kube-system");
                assert.ok(
                    ebs.options.dependsOn.some(
                        (u: string) => u === ebsIdentity.urn || u === ebsIdentity.options.parent,
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
                // The system nodes' taint, and the startup taint every node carries until the mesh's
                // node agents run: cluster DNS (and the EBS CSI controller) must be up before them.
                const beforeMesh = ["CriticalAddonsOnly", "cni.istio.io/not-ready"];
                assert.deepStrictEqual(
                    dns.tolerations.map((t: any) => t.key),
                    beforeMesh,
                );
                assert.deepStrictEqual(
                    JSON.parse(ebs.inputs.configurationValues).controller.tolerations.map((t: any) => t.key),
                    beforeMesh,
                );
                for (const group of ofType(runs[stack], "eks:index:ManagedNodeGroup")) {
                    for (const first of ["vpc-cni", "kube-proxy"])
                        assert.ok(
                            group.options.dependsOn.includes(addons[first].urn),
                            `${group.name} after ${first}`,
                        );
                    for (const after of ["coredns", "eks-pod-identity-agent"])
                        assert.ok(
                            addons[after].options.dependsOn.includes(group.urn),
                            `${after} after ${group.name}`,
                        );
                }
                const provider = ofType(runs[stack], "pulumi:providers:kubernetes")[0];
                assert.ok(
                    provider.options.dependsOn.includes(addons.coredns.urn),
                    "the provider waits for CoreDNS",
                );
            });

            it(`${stack}: the cluster's deletion protection and protect as the stack asks`, () => {
                const { inputs, options } = eksCluster(stack);
                const protection = cfg(stack, "protection");
                assert.strictEqual(inputs.deletionProtection, protection.deletionProtection);
                // Not the component: protect would reach every child of it (the access entries too).
                assert.strictEqual(options.protect, false);
                assert.strictEqual(
                    options.transforms,
                    1,
                    "the transform that protects the cluster's resource",
                );
                const child = {
                    type: "aws:eks/cluster:Cluster",
                    name: "cluster-eks-eksCluster",
                    custom: true,
                    props: {},
                };
                const changed = clusterChildren(protection.protectStatefulResources)({
                    ...child,
                    opts: {},
                }) as any;
                assert.strictEqual(changed.opts.protect, protection.protectStatefulResources);
                assert.strictEqual(
                    clusterChildren(true)({ ...child, type: "aws:eks/accessEntry:AccessEntry", opts: {} }),
                    undefined,
                    "the cluster's other children untouched",
                );
            });
        }

        it("prod: the API endpoint is private; dev: public only to the configured CIDRs", () => {
            const prod = eksCluster("prod").inputs;
            assert.strictEqual(prod.endpointPublicAccess, false);
            assert.strictEqual(prod.publicAccessCidrs, undefined);
            const dev = eksCluster("dev").inputs;
            assert.strictEqual(dev.endpointPublicAccess, true);
            assert.deepStrictEqual(dev.publicAccessCidrs, cfg("dev", "cluster").endpoint.publicAccessCidrs);
            assert.ok(!dev.publicAccessCidrs.includes("0.0.0.0/0"));
        });
    });
});
