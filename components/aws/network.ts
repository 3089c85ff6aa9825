import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkConfig, Tags } from "../config";
import { costTags } from "../tags";
import { accountIdOf } from "./account";
import { createServiceRole } from "./service-role";
import { createVpcEndpoints } from "./vpc-endpoints";

/** The cost tags of one of the network's resources, named after it, with extra tags. */
type TagsOf = (resource: string, extra?: Record<string, string>) => Record<string, string>;

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
        const tags: TagsOf = (resource, extra = {}) =>
            costTags(args.tags, { component: "network" }, { Name: `${name}-${resource}`, ...extra });

        const vpc = new aws.ec2.Vpc(
            `${name}-vpc`,
            {
                cidrBlock: network.cidr,
                enableDnsHostnames: true,
                enableDnsSupport: true,
                tags: tags("vpc"),
            },
            { parent: this },
        );
        this.vpcId = vpc.id;
        this.vpcCidr = network.cidr;

        // No rules: nothing may use the default security group by accident (CIS AWS 5.4).
        new aws.ec2.DefaultSecurityGroup(
            `${name}-default-sg`,
            { vpcId: vpc.id, tags: tags("default-sg") },
            { parent: this },
        );

        const { igw, publicSubnets } = this.createPublicSubnets(name, vpc, network, tags);
        const natGateways = this.createNatGateways(name, network, igw, publicSubnets, tags);
        this.natGatewayCount = natGateways.length;
        const { privateSubnets, privateRouteTables } = this.createPrivateSubnets(
            name,
            vpc,
            args,
            natGateways,
            tags,
        );
        this.publicSubnetIds = publicSubnets.map((s) => s.id);
        this.privateSubnetIds = privateSubnets.map((s) => s.id);

        createVpcEndpoints(
            name,
            {
                vpc,
                region: args.region,
                network,
                privateRouteTables,
                privateSubnetIds: this.privateSubnetIds,
                tags,
            },
            this,
        );

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

    /** The internet gateway, the public route table through it, and a public subnet per zone on that table. */
    private createPublicSubnets(name: string, vpc: aws.ec2.Vpc, network: NetworkConfig, tags: TagsOf) {
        const parent = { parent: this };
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
        return { igw, publicSubnets };
    }

    /** The NAT gateways, each with its Elastic IP in its zone's public subnet: one, or one per zone. */
    private createNatGateways(
        name: string,
        network: NetworkConfig,
        igw: aws.ec2.InternetGateway,
        publicSubnets: aws.ec2.Subnet[],
        tags: TagsOf,
    ): aws.ec2.NatGateway[] {
        const natZones = network.natGateways === "perZone" ? network.zones : network.zones.slice(0, 1);
        return natZones.map((zone) => {
            const eip = new aws.ec2.Eip(
                `${name}-nat-${zone.name}`,
                { domain: "vpc", tags: tags(`nat-${zone.name}`) },
                { parent: this },
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
    }

    /**
     * A private subnet per zone, each on its own route table out through its zone's NAT gateway
     * (or the last one, when there are fewer gateways than zones).
     */
    private createPrivateSubnets(
        name: string,
        vpc: aws.ec2.Vpc,
        args: NetworkArgs,
        natGateways: aws.ec2.NatGateway[],
        tags: TagsOf,
    ) {
        const parent = { parent: this };
        const privateRouteTables: aws.ec2.RouteTable[] = [];
        const privateSubnets = args.network.zones.map((zone, i) => {
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
        return { privateSubnets, privateRouteTables };
    }

    /** The VPC's flow logs into a CloudWatch log group, written through a role of their own. */
    private createFlowLogs(name: string, vpc: aws.ec2.Vpc, retentionDays: number, tags: TagsOf): void {
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
