import * as assert from "assert";
import { CONTROL_PLANE_LOG_TYPES } from "../components/aws/cluster";
import { TABLE_NAMES } from "../components/aws/data";
import { QUEUES, ROUTED_EVENT_TYPES } from "../components/aws/messaging";
import { REQUIRED_TAG_KEYS } from "../components/config";
import { findResource, ofType, RecordedResource, runProgram } from "../tools/harness";
import { sectionOf, STACKS, useStackRuns } from "./stacks";
import { isTaggable } from "./taggable";

describe("AWS layer", () => {
    const runs = useStackRuns();

    const cfg = (stack: string, key: string) => sectionOf(runs[stack], key);
    const policyOf = (r: RecordedResource) => JSON.parse(r.inputs.policy);

    describe("cost tags", () => {
        for (const stack of STACKS) {
            it(`${stack}: every taggable AWS resource carries every cost tag and an attribution`, () => {
                const taggable = runs[stack].resources.filter(
                    (r) => r.custom && !r.type.startsWith("pulumi:providers:") && isTaggable(r.type),
                );
                assert.ok(taggable.length > 40, `only ${taggable.length} taggable resources found`);
                const missing: string[] = [];
                for (const r of taggable) {
                    const tags = r.inputs.tags ?? {};
                    for (const key of REQUIRED_TAG_KEYS) {
                        if (!tags[key]) missing.push(`${r.type} ${r.name}: ${key}`);
                    }
                    if (!tags.Component && !tags.Service)
                        missing.push(`${r.type} ${r.name}: Component or Service`);
                }
                assert.deepStrictEqual(missing, []);
            });

            it(`${stack}: the AWS provider applies the cost tags as defaultTags`, () => {
                const [provider] = ofType(runs[stack], "pulumi:providers:aws");
                const defaults = JSON.parse(provider.inputs.defaultTags).tags;
                for (const key of REQUIRED_TAG_KEYS) assert.ok(defaults[key], `defaultTags.${key}`);
                assert.strictEqual(provider.inputs.region, runs[stack].config["aws:region"]);
                const awsResources = runs[stack].resources.filter(
                    (r) => r.custom && r.type.startsWith("aws:"),
                );
                assert.ok(
                    awsResources.every((r) => r.options.provider.includes("pulumi:providers:aws")),
                    "a resource bypasses the tagged provider",
                );
            });

            it(`${stack}: the cluster, node instances and volumes are tagged through the cluster and launch templates`, () => {
                const [cluster] = ofType(runs[stack], "aws:eks/cluster:Cluster");
                for (const key of REQUIRED_TAG_KEYS) {
                    assert.ok(cluster.inputs.tags[key], `cluster tag ${key}`);
                }
                const templates = ofType(runs[stack], "aws:ec2/launchTemplate:LaunchTemplate");
                assert.strictEqual(templates.length, Object.keys(cfg(stack, "cluster").nodeGroups).length);
                for (const lt of templates) {
                    const kinds = lt.inputs.tagSpecifications.map((s: any) => s.resourceType).sort();
                    assert.deepStrictEqual(kinds, ["instance", "network-interface", "volume"]);
                    for (const spec of lt.inputs.tagSpecifications) {
                        for (const key of [...REQUIRED_TAG_KEYS, "Component"])
                            assert.ok(spec.tags[key], `${lt.name} ${spec.resourceType} ${key}`);
                    }
                }
            });

            it(`${stack}: workload identities are attributed to their service`, () => {
                const role = ofType(runs[stack], "aws:iam/role:Role").find(
                    (r) => r.name === "identity-reservation-worker-role",
                )!;
                assert.strictEqual(role.inputs.tags.Service, "reservation-worker");
            });
        }
    });

    describe("network", () => {
        for (const stack of STACKS) {
            it(`${stack}: a public and a private subnet per configured zone, with load balancer tags`, () => {
                const zones = cfg(stack, "network").zones;
                const subnets = ofType(runs[stack], "aws:ec2/subnet:Subnet");
                assert.strictEqual(subnets.length, zones.length * 2);
                const publicSubnets = subnets.filter((s) => s.inputs.tags["kubernetes.io/role/elb"] === "1");
                const privateSubnets = subnets.filter(
                    (s) => s.inputs.tags["kubernetes.io/role/internal-elb"] === "1",
                );
                assert.deepStrictEqual(
                    publicSubnets.map((s) => s.inputs.availabilityZone).sort(),
                    zones.map((z: any) => z.name).sort(),
                );
                assert.deepStrictEqual(
                    privateSubnets.map((s) => s.inputs.cidrBlock).sort(),
                    zones.map((z: any) => z.privateSubnetCidr).sort(),
                );
                assert.ok(subnets.every((s) => s.inputs.mapPublicIpOnLaunch === false));
            });

            it(`${stack}: private route tables send internet traffic through NAT, and S3 through a gateway endpoint`, () => {
                const tables = ofType(runs[stack], "aws:ec2/routeTable:RouteTable").filter((t) =>
                    t.name.includes("private"),
                );
                assert.strictEqual(tables.length, cfg(stack, "network").zones.length);
                assert.ok(
                    tables.every((t) =>
                        t.inputs.routes.some((r: any) => r.cidrBlock === "0.0.0.0/0" && r.natGatewayId),
                    ),
                );
                const gateways = ofType(runs[stack], "aws:ec2/vpcEndpoint:VpcEndpoint").filter(
                    (e) => e.inputs.vpcEndpointType === "Gateway",
                );
                const region = runs[stack].config["aws:region"];
                assert.deepStrictEqual(gateways.map((g) => g.inputs.serviceName).sort(), [
                    `com.amazonaws.${region}.dynamodb`,
                    `com.amazonaws.${region}.s3`,
                ]);
                assert.ok(gateways.every((g) => g.inputs.routeTableIds.length === tables.length));
            });

            it(`${stack}: the configured interface endpoints, private DNS on, HTTPS from the VPC only`, () => {
                const region = runs[stack].config["aws:region"];
                const endpoints = ofType(runs[stack], "aws:ec2/vpcEndpoint:VpcEndpoint").filter(
                    (e) => e.inputs.vpcEndpointType === "Interface",
                );
                assert.deepStrictEqual(
                    endpoints.map((e) => e.inputs.serviceName).sort(),
                    cfg(stack, "network")
                        .interfaceEndpoints.map((s: string) => `com.amazonaws.${region}.${s}`)
                        .sort(),
                );
                assert.ok(endpoints.every((e) => e.inputs.privateDnsEnabled));
                for (const required of ["ecr.api", "ecr.dkr", "sts", "sqs"]) {
                    assert.ok(
                        endpoints.some((e) => e.inputs.serviceName.endsWith(`.${required}`)),
                        required,
                    );
                }
                const sg = findResource(
                    runs[stack],
                    "aws:ec2/securityGroup:SecurityGroup",
                    "network-endpoints",
                );
                assert.deepStrictEqual(
                    sg.inputs.ingress.map((i: any) => [i.fromPort, i.cidrBlocks]),
                    [[443, [cfg(stack, "network").cidr]]],
                );
            });

            it(`${stack}: the default security group has no rules`, () => {
                const [sg] = ofType(runs[stack], "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
                assert.ok(!sg.inputs.ingress?.length && !sg.inputs.egress?.length);
            });
        }

        it("prod spans 3 zones with a NAT gateway in each; dev 2 zones with one NAT", () => {
            assert.strictEqual(ofType(runs.prod, "aws:ec2/natGateway:NatGateway").length, 3);
            assert.strictEqual(cfg("prod", "network").zones.length, 3);
            assert.strictEqual(ofType(runs.dev, "aws:ec2/natGateway:NatGateway").length, 1);
            assert.strictEqual(cfg("dev", "network").zones.length, 2);
            const prodNatSubnets = new Set(
                ofType(runs.prod, "aws:ec2/natGateway:NatGateway").map((n) => n.inputs.subnetId),
            );
            assert.strictEqual(prodNatSubnets.size, 3, "one NAT per zone, each in its own public subnet");
        });

        it("prod writes VPC flow logs with a scoped delivery role; dev does not", () => {
            const [flowLog] = ofType(runs.prod, "aws:ec2/flowLog:FlowLog");
            assert.strictEqual(flowLog.inputs.trafficType, "ALL");
            const group = findResource(runs.prod, "aws:cloudwatch/logGroup:LogGroup", "network-flow-logs");
            assert.strictEqual(group.inputs.retentionInDays, 90);
            const policy = policyOf(
                findResource(runs.prod, "aws:iam/rolePolicy:RolePolicy", "network-flow-logs"),
            );
            assert.ok(policy.Statement.every((s: any) => s.Resource !== "*"));
            assert.strictEqual(ofType(runs.dev, "aws:ec2/flowLog:FlowLog").length, 0);
        });
    });

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
                const config = cfg(stack, "cluster").addons;
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

    describe("CI runner", () => {
        for (const stack of STACKS) {
            it(`${stack}: a GitHub Actions runner in the private subnets that reaches the private API endpoint, started by queued workflow jobs`, () => {
                const [project] = ofType(runs[stack], "aws:codebuild/project:Project");
                assert.strictEqual(project.inputs.name, `traffic-tacos-${stack}-gha-runner`);
                const privateIds = ofType(runs[stack], "aws:ec2/subnet:Subnet")
                    .filter((s) => s.inputs.tags.Tier === "private")
                    .map((s) => s.id);
                assert.deepStrictEqual([...project.inputs.vpcConfig.subnets].sort(), privateIds.sort());
                const runnerSg = findResource(
                    runs[stack],
                    "aws:ec2/securityGroup:SecurityGroup",
                    "ci-runner-sg",
                );
                assert.deepStrictEqual(project.inputs.vpcConfig.securityGroupIds, [runnerSg.id]);
                assert.deepStrictEqual(
                    runnerSg.inputs.egress.map((e: any) => [e.fromPort, e.toPort]),
                    [[443, 443]],
                    "HTTPS out only",
                );
                const [cluster] = ofType(runs[stack], "aws:eks/cluster:Cluster");
                const [toApi] = ofType(
                    runs[stack],
                    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
                );
                assert.deepStrictEqual(
                    [
                        toApi.inputs.securityGroupId,
                        toApi.inputs.referencedSecurityGroupId,
                        toApi.inputs.fromPort,
                        toApi.inputs.toPort,
                    ],
                    [cluster.state.vpcConfig.clusterSecurityGroupId, runnerSg.id, 443, 443],
                );
                assert.strictEqual(project.inputs.source.auth.type, "CODECONNECTIONS");
                assert.strictEqual(
                    project.inputs.source.auth.resource,
                    cfg(stack, "ci").runner.codeConnectionArn,
                );
                assert.strictEqual(project.inputs.environment.type, "ARM_CONTAINER");
                const [webhook] = ofType(runs[stack], "aws:codebuild/webhook:Webhook");
                const [group] = webhook.inputs.filterGroups;
                const filter = (type: string) => group.filters.find((f: any) => f.type === type)?.pattern;
                assert.strictEqual(filter("EVENT"), "WORKFLOW_JOB_QUEUED");
                assert.strictEqual(
                    filter("WORKFLOW_NAME"),
                    "^(main|pull-request)$",
                    "only the deploy and preview workflows",
                );
                const actors = new RegExp(filter("ACTOR_ACCOUNT_ID"));
                for (const id of cfg(stack, "ci").runner.allowedActorIds) assert.ok(actors.test(String(id)));
                assert.ok(
                    !actors.test("999999999") &&
                        !actors.test(`1${cfg(stack, "ci").runner.allowedActorIds[0]}`),
                    "nobody else, and no id that merely contains an allowed one",
                );
                const role = findResource(runs[stack], "aws:iam/role:Role", "ci-runner-role");
                const [trust] = JSON.parse(role.inputs.assumeRolePolicy).Statement;
                assert.deepStrictEqual(trust.Principal, { Service: "codebuild.amazonaws.com" });
                assert.match(
                    trust.Condition.ArnLike["aws:SourceArn"],
                    new RegExp(`:project/traffic-tacos-${stack}-gha-runner$`),
                );
            });
        }

        it("prod needs no public endpoint: CI reaches it from inside the VPC", () => {
            assert.strictEqual(cfg("prod", "cluster").endpoint.publicAccess, false);
            assert.strictEqual(ofType(runs.prod, "aws:codebuild/project:Project").length, 1);
        });

        it("bootstraps a stack's AWS layer alone, for its first deploy from outside the VPC", async () => {
            const run = await runProgram("prod", (c) => (c["tacos:ci"].bootstrap = true));
            assert.ifError(run.error);
            assert.ok(
                ofType(run, "aws:eks/cluster:Cluster").length === 1 &&
                    ofType(run, "aws:codebuild/project:Project").length === 1,
            );
            assert.deepStrictEqual(
                run.resources.filter((r) => r.type.startsWith("kubernetes:")).map((r) => r.type),
                [],
                "nothing that needs the cluster's endpoint",
            );
        });
    });

    describe("messaging", () => {
        for (const stack of STACKS) {
            it(`${stack}: each queue has an encrypted dead-letter queue with redrive after 3 receives, 30 s visibility, and a DLQ that outlives its messages`, () => {
                for (const queue of QUEUES) {
                    const main = findResource(runs[stack], "aws:sqs/queue:Queue", `messaging-${queue}`);
                    const dlq = findResource(runs[stack], "aws:sqs/queue:Queue", `messaging-${queue}-dlq`);
                    const redrive = JSON.parse(main.inputs.redrivePolicy);
                    assert.deepStrictEqual(redrive, {
                        deadLetterTargetArn: dlq.state.arn,
                        maxReceiveCount: 3,
                    });
                    assert.strictEqual(main.inputs.visibilityTimeoutSeconds, 30);
                    assert.strictEqual(main.inputs.messageRetentionSeconds, 4 * 86400);
                    // SQS counts a DLQ message's age from its first enqueue: the DLQ must keep it longer.
                    assert.ok(dlq.inputs.messageRetentionSeconds > main.inputs.messageRetentionSeconds);
                    assert.strictEqual(dlq.inputs.messageRetentionSeconds, 14 * 86400, "the SQS maximum");
                    assert.ok(
                        main.inputs.sqsManagedSseEnabled && dlq.inputs.sqsManagedSseEnabled,
                        "encrypted at rest",
                    );
                }
            });

            it(`${stack}: every queue policy denies access without TLS`, () => {
                const policies = ofType(runs[stack], "aws:sqs/queuePolicy:QueuePolicy");
                assert.strictEqual(
                    policies.length,
                    QUEUES.length * 2 + 1,
                    "each queue and dead-letter queue, and Karpenter's interruption queue",
                );
                for (const p of policies) {
                    const deny = policyOf(p).Statement.find((s: any) => s.Effect === "Deny");
                    assert.deepStrictEqual(
                        deny?.Condition,
                        { Bool: { "aws:SecureTransport": "false" } },
                        p.name,
                    );
                    assert.strictEqual(deny.Principal, "*");
                }
            });

            it(`${stack}: the bus routes reservation and payment outcomes to reservation-events, which admits only that rule`, () => {
                const [rule] = ofType(runs[stack], "aws:cloudwatch/eventRule:EventRule").filter((r) =>
                    r.name.startsWith("messaging-"),
                );
                assert.deepStrictEqual(JSON.parse(rule.inputs.eventPattern)["detail-type"], [
                    ...ROUTED_EVENT_TYPES,
                ]);
                const [target] = ofType(runs[stack], "aws:cloudwatch/eventTarget:EventTarget").filter((r) =>
                    r.name.startsWith("messaging-"),
                );
                const queue = findResource(
                    runs[stack],
                    "aws:sqs/queue:Queue",
                    "messaging-reservation-events",
                );
                assert.strictEqual(target.inputs.arn, queue.state.arn);
                const allow = policyOf(
                    findResource(
                        runs[stack],
                        "aws:sqs/queuePolicy:QueuePolicy",
                        "messaging-reservation-events",
                    ),
                ).Statement.find((s: any) => s.Effect === "Allow");
                assert.deepStrictEqual(allow.Condition, { ArnEquals: { "aws:SourceArn": rule.state.arn } });
                assert.deepStrictEqual(allow.Principal, { Service: "events.amazonaws.com" });
            });
        }
    });

    describe("data", () => {
        for (const stack of STACKS) {
            it(`${stack}: every table is on demand with point-in-time recovery and encryption`, () => {
                const tables = ofType(runs[stack], "aws:dynamodb/table:Table");
                assert.deepStrictEqual(
                    tables.map((t) => t.name.replace(/^data-/, "")).sort(),
                    [...TABLE_NAMES].sort(),
                );
                for (const t of tables) {
                    assert.strictEqual(t.inputs.billingMode, "PAY_PER_REQUEST");
                    assert.strictEqual(t.inputs.pointInTimeRecovery.enabled, true);
                    assert.strictEqual(t.inputs.serverSideEncryption.enabled, true);
                }
            });

            it(`${stack}: Redis has TLS, at-rest encryption with a rotating key, and a generated auth token kept in Secrets Manager`, () => {
                const [redis] = ofType(runs[stack], "aws:elasticache/replicationGroup:ReplicationGroup");
                assert.strictEqual(redis.inputs.transitEncryptionEnabled, true);
                assert.strictEqual(redis.inputs.atRestEncryptionEnabled, true);
                const key = findResource(runs[stack], "aws:kms/key:Key", "data-redis");
                assert.strictEqual(key.inputs.enableKeyRotation, true);
                assert.strictEqual(redis.inputs.kmsKeyId, key.state.arn);
                const [token] = ofType(runs[stack], "random:index/randomPassword:RandomPassword");
                assert.strictEqual(redis.inputs.authToken, token.state.result);
                assert.ok(redis.secretInputs.includes("authToken"), "the auth token is a secret in state");
                const [version] = ofType(runs[stack], "aws:secretsmanager/secretVersion:SecretVersion");
                assert.strictEqual(version.inputs.secretString, token.state.result);
                assert.ok(version.secretInputs.includes("secretString"));
                const [secret] = ofType(runs[stack], "aws:secretsmanager/secret:Secret");
                assert.strictEqual(secret.inputs.kmsKeyId, key.state.arn);
                assert.strictEqual(runs[stack].outputs.redisSecretName, secret.state.name);
            });

            it(`${stack}: Redis sits in private subnets behind a security group that admits only the cluster`, () => {
                const sg = findResource(runs[stack], "aws:ec2/securityGroup:SecurityGroup", "data-redis");
                const [cluster] = ofType(runs[stack], "aws:eks/cluster:Cluster");
                assert.deepStrictEqual(
                    sg.inputs.ingress.map((i: any) => [
                        i.fromPort,
                        i.toPort,
                        i.securityGroups,
                        i.cidrBlocks ?? [],
                    ]),
                    [[6379, 6379, [cluster.state.vpcConfig.clusterSecurityGroupId], []]],
                );
                const [group] = ofType(runs[stack], "aws:elasticache/subnetGroup:SubnetGroup");
                const privateIds = ofType(runs[stack], "aws:ec2/subnet:Subnet")
                    .filter((s) => s.inputs.tags.Tier === "private")
                    .map((s) => s.id);
                assert.deepStrictEqual([...group.inputs.subnetIds].sort(), privateIds.sort());
            });
        }

        it("prod Redis is Multi-AZ with automatic failover; dev is a single node", () => {
            const [prod] = ofType(runs.prod, "aws:elasticache/replicationGroup:ReplicationGroup");
            assert.deepStrictEqual(
                [prod.inputs.multiAzEnabled, prod.inputs.automaticFailoverEnabled],
                [true, true],
            );
            assert.ok(prod.inputs.numCacheClusters >= 2);
            const [dev] = ofType(runs.dev, "aws:elasticache/replicationGroup:ReplicationGroup");
            assert.deepStrictEqual(
                [dev.inputs.multiAzEnabled, dev.inputs.automaticFailoverEnabled, dev.inputs.numCacheClusters],
                [false, false, 1],
            );
        });
    });

    describe("protection of stateful resources", () => {
        const STATEFUL = [
            "aws:sqs/queue:Queue",
            "aws:dynamodb/table:Table",
            "aws:elasticache/replicationGroup:ReplicationGroup",
            "aws:kms/key:Key",
            "aws:secretsmanager/secret:Secret",
            "aws:eks/cluster:Cluster",
        ];

        it("prod protects every queue, table, Redis, KMS key, secret and the cluster; dev protects none", () => {
            // Karpenter's interruption queue keeps five minutes of AWS events: nothing to protect.
            const stateful = (stack: string, type: string) =>
                ofType(runs[stack], type).filter((r) => !r.name.startsWith("node-autoscaling-"));
            for (const type of STATEFUL) {
                const prod = stateful("prod", type);
                const dev = stateful("dev", type);
                assert.ok(prod.length > 0 && dev.length === prod.length, type);
                assert.deepStrictEqual(
                    prod.filter((r) => !r.options.protect).map((r) => r.name),
                    [],
                    `unprotected in prod: ${type}`,
                );
                assert.deepStrictEqual(
                    dev.filter((r) => r.options.protect).map((r) => r.name),
                    [],
                    `protected in dev: ${type}`,
                );
            }
        });

        it("prod turns on cloud-side deletion protection and long recovery windows; dev does not", () => {
            const tables = (stack: string) =>
                ofType(runs[stack], "aws:dynamodb/table:Table").map(
                    (t) => t.inputs.deletionProtectionEnabled,
                );
            assert.ok(tables("prod").every(Boolean));
            assert.ok(!tables("dev").some(Boolean));
            assert.strictEqual(
                ofType(runs.prod, "aws:eks/cluster:Cluster")[0].inputs.deletionProtection,
                true,
            );
            assert.strictEqual(
                ofType(runs.dev, "aws:eks/cluster:Cluster")[0].inputs.deletionProtection,
                false,
            );
            assert.ok(
                ofType(runs.prod, "aws:kms/key:Key").every((k) => k.inputs.deletionWindowInDays === 30),
            );
            assert.strictEqual(
                ofType(runs.prod, "aws:secretsmanager/secret:Secret")[0].inputs.recoveryWindowInDays,
                30,
            );
            assert.strictEqual(
                ofType(runs.dev, "aws:secretsmanager/secret:Secret")[0].inputs.recoveryWindowInDays,
                0,
            );
        });
    });

    describe("stack outputs", () => {
        for (const stack of STACKS) {
            it(`${stack}: cluster name, kubeconfig, queues, tables, roles, Redis endpoint and secret`, () => {
                const out = runs[stack].outputs as Record<string, any>;
                assert.strictEqual(out.clusterName, `traffic-tacos-${stack}`);
                assert.ok(typeof out.kubeconfig === "string" && out.kubeconfig.includes("Config"));
                assert.deepStrictEqual(Object.keys(out.queueUrls).sort(), [...QUEUES].sort());
                assert.ok(Object.values(out.queueArns).every((a: any) => a.startsWith("arn:aws:sqs:")));
                assert.deepStrictEqual(Object.keys(out.tableNames).sort(), [...TABLE_NAMES].sort());
                assert.ok(Object.values(out.roleArns).every((a: any) => a.startsWith("arn:aws:iam::")));
                assert.match(out.redisEndpoint, /cache\.amazonaws\.com$/);
                assert.strictEqual(out.redisSecretName, `traffic-tacos-${stack}/redis/auth-token`);
            });

            it(`${stack}: the kubeconfig output is a secret`, () => {
                assert.ok(runs[stack].secretOutputs.includes("kubeconfig"));
            });
        }
    });
});
