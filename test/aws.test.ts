/** The AWS layer of both stacks: cost tags on everything taggable, and the network. */
import * as assert from "assert";
import { REQUIRED_TAG_KEYS } from "../components/config";
import { findResource, ofType, RecordedResource } from "../tools/harness";
import { sectionOf, STACKS, useStackRuns } from "./stacks";
import { isTaggable } from "./taggable";

describe("AWS layer: cost tags and network", () => {
    const runs = useStackRuns();

    const cfg = (stack: string, key: string) => sectionOf(runs[stack], key);
    const policyOf = (r: RecordedResource) => JSON.parse(r.inputs.policy);

    describe("cost tags", () => {
        for (const stack of STACKS) {
            it(`${stack}: every taggable AWS resource carries every cost tag and an attribution`, () => {
                const taggable = runs[stack].resources.filter(
                    (r) => r.custom && !r.type.startsWith("pulumi:providers:") && isTaggable(r.type),
                );
                // Every resource given tags is among those checked: the SDK reading behind isTaggable sees them all.
                assert.deepStrictEqual(
                    runs[stack].resources
                        .filter((r) => r.custom && r.type.startsWith("aws:") && r.inputs.tags !== undefined)
                        .filter((r) => !taggable.includes(r))
                        .map((r) => `${r.type} ${r.name}`),
                    [],
                );
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
                const [cluster] = ofType(runs[stack], "eks:index:Cluster");
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
});
