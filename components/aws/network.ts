import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkConfig, Tags } from "../config";
import { costTags } from "../tags";
import { accountIdOf } from "./account";
import { createServiceRole } from "./service-role";

export interface NetworkArgs {
    /** AWS region, for endpoint service names. */
    region: string;
    /** VPC CIDR, zones with their subnets, NAT mode, endpoints and flow logs. */
    network: NetworkConfig;
    /** Base cost tags of the stack. */
    tags: Tags;
    /** Extra tags of the private subnets: how node autoscalers find where to launch nodes. @default {} */
    privateSubnetTags?: Record<string, string>;
}

/**
 * The VPC: a public and a private subnet per zone, NAT (one, or one per zone), route tables,
 * load balancer subnet tags, an S3 gateway endpoint, the configured interface endpoints, the
 * default security group emptied, and flow logs to CloudWatch Logs when enabled.
 */
export class Network extends pulumi.ComponentResource {
    public readonly vpcId: pulumi.Output<string>;
    public readonly vpcCidr: string;
    public readonly publicSubnetIds: pulumi.Output<string>[];
    public readonly privateSubnetIds: pulumi.Output<string>[];
    public readonly natGatewayCount: number;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tacos:aws:Network", name, {}, opts);
        const { network } = args;
        const parent = { parent: this };
        const tags = (resource: string, extra: Record<string, string> = {}) =>
            costTags(args.tags, { component: "network" }, { Name: `${name}-${resource}`, ...extra });

        const vpc = new aws.ec2.Vpc(
            `${name}-vpc`,
            {
                cidrBlock: network.cidr,
                enableDnsHostnames: true,
                enableDnsSupport: true,
                tags: tags("vpc"),
            },
            parent,
        );
        this.vpcId = vpc.id;
        this.vpcCidr = network.cidr;

        // No rules: nothing may use the default security group by accident (CIS AWS 5.4).
        new aws.ec2.DefaultSecurityGroup(
            `${name}-default-sg`,
            { vpcId: vpc.id, tags: tags("default-sg") },
            parent,
        );

        const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: tags("igw") }, parent);
        const publicRoutes = new aws.ec2.RouteTable(
            `${name}-public-rt`,
            {
                vpcId: vpc.id,
                routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }],
                tags: tags("public-rt"),
            },
            parent,
        );

        const publicSubnets = network.zones.map((zone) => {
            const subnet = new aws.ec2.Subnet(
                `${name}-public-${zone.name}`,
                {
                    vpcId: vpc.id,
                    availabilityZone: zone.name,
                    cidrBlock: zone.publicSubnetCidr,
                    mapPublicIpOnLaunch: false,
                    tags: tags(`public-${zone.name}`, { "kubernetes.io/role/elb": "1", Tier: "public" }),
                },
                parent,
            );
            new aws.ec2.RouteTableAssociation(
                `${name}-public-${zone.name}`,
                { subnetId: subnet.id, routeTableId: publicRoutes.id },
                parent,
            );
            return subnet;
        });

        const natZones = network.natGateways === "perZone" ? network.zones : network.zones.slice(0, 1);
        const natGateways = natZones.map((zone) => {
            const eip = new aws.ec2.Eip(
                `${name}-nat-${zone.name}`,
                { domain: "vpc", tags: tags(`nat-${zone.name}`) },
                parent,
            );
            return new aws.ec2.NatGateway(
                `${name}-nat-${zone.name}`,
                {
                    allocationId: eip.id,
                    subnetId: publicSubnets[network.zones.indexOf(zone)].id,
                    connectivityType: "public",
                    tags: tags(`nat-${zone.name}`),
                },
                { parent: this, dependsOn: [igw] },
            );
        });
        this.natGatewayCount = natGateways.length;

        const privateRouteTables: aws.ec2.RouteTable[] = [];
        const privateSubnets = network.zones.map((zone, i) => {
            const nat = natGateways[Math.min(i, natGateways.length - 1)];
            const routes = new aws.ec2.RouteTable(
                `${name}-private-rt-${zone.name}`,
                {
                    vpcId: vpc.id,
                    routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }],
                    tags: tags(`private-rt-${zone.name}`),
                },
                parent,
            );
            privateRouteTables.push(routes);
            const subnet = new aws.ec2.Subnet(
                `${name}-private-${zone.name}`,
                {
                    vpcId: vpc.id,
                    availabilityZone: zone.name,
                    cidrBlock: zone.privateSubnetCidr,
                    mapPublicIpOnLaunch: false,
                    tags: tags(`private-${zone.name}`, {
                        "kubernetes.io/role/internal-elb": "1",
                        Tier: "private",
                        ...args.privateSubnetTags,
                    }),
                },
                parent,
            );
            new aws.ec2.RouteTableAssociation(
                `${name}-private-${zone.name}`,
                { subnetId: subnet.id, routeTableId: routes.id },
                parent,
            );
            return subnet;
        });
        this.publicSubnetIds = publicSubnets.map((s) => s.id);
        this.privateSubnetIds = privateSubnets.map((s) => s.id);

        // Gateway endpoints cost nothing and keep S3 (image layers) and DynamoDB traffic off NAT.
        for (const service of ["s3", "dynamodb"]) {
            new aws.ec2.VpcEndpoint(
                `${name}-${service}`,
                {
                    vpcId: vpc.id,
                    serviceName: `com.amazonaws.${args.region}.${service}`,
                    vpcEndpointType: "Gateway",
                    routeTableIds: privateRouteTables.map((rt) => rt.id),
                    tags: tags(`${service}-endpoint`),
                },
                parent,
            );
        }

        if (network.interfaceEndpoints.length > 0) {
            const endpointSg = new aws.ec2.SecurityGroup(
                `${name}-endpoints`,
                {
                    vpcId: vpc.id,
                    description: "HTTPS from inside the VPC to interface endpoints",
                    ingress: [
                        {
                            protocol: "tcp",
                            fromPort: 443,
                            toPort: 443,
                            cidrBlocks: [network.cidr],
                            description: "HTTPS from the VPC",
                        },
                    ],
                    egress: [],
                    tags: tags("endpoints-sg"),
                },
                parent,
            );
            for (const service of network.interfaceEndpoints) {
                new aws.ec2.VpcEndpoint(
                    `${name}-${service.replace(/\./g, "-")}`,
                    {
                        vpcId: vpc.id,
                        serviceName: `com.amazonaws.${args.region}.${service}`,
                        vpcEndpointType: "Interface",
                        privateDnsEnabled: true,
                        subnetIds: this.privateSubnetIds,
                        securityGroupIds: [endpointSg.id],
                        tags: tags(`${service}-endpoint`),
                    },
                    parent,
                );
            }
        }

        if (network.flowLogs.enabled) {
            this.createFlowLogs(name, vpc, network.flowLogs.retentionDays, tags);
        }

        this.registerOutputs({
            vpcId: this.vpcId,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
            natGatewayCount: this.natGatewayCount,
            vpcCidr: this.vpcCidr,
        });
    }

    private createFlowLogs(
        name: string,
        vpc: aws.ec2.Vpc,
        retentionDays: number,
        tags: (r: string) => Record<string, string>,
    ): void {
        const parent = { parent: this };
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-flow-logs`,
            {
                name: pulumi.interpolate`/aws/vpc/${vpc.id}/flow-logs`,
                retentionInDays: retentionDays,
                tags: tags("flow-logs"),
            },
            parent,
        );
        const { role } = createServiceRole(
            `${name}-flow-logs`,
            {
                service: "vpc-flow-logs.amazonaws.com",
                conditions: { StringEquals: { "aws:SourceAccount": vpc.arn.apply(accountIdOf) } },
                inlinePolicy: {
                    name: `${name}-flow-logs`,
                    statements: [
                        {
                            Sid: "WriteFlowLogs",
                            Effect: "Allow",
                            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                            Resource: [logGroup.arn, pulumi.interpolate`${logGroup.arn}:*`],
                        },
                    ],
                },
                tags: tags("flow-logs-role"),
            },
            this,
        );
        new aws.ec2.FlowLog(
            `${name}-flow-logs`,
            {
                vpcId: vpc.id,
                trafficType: "ALL",
                logDestinationType: "cloud-watch-logs",
                logDestination: logGroup.arn,
                iamRoleArn: role.arn,
                maxAggregationInterval: 60,
                tags: tags("flow-logs"),
            },
            parent,
        );
    }
}
