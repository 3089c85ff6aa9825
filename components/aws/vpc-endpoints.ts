/**
 * The VPC's endpoints: the free gateway endpoints on the private route tables, and the configured
 * interface endpoints in the private subnets, children of the network component.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkConfig } from "../config";

/** What the endpoints are made in: the VPC, its private side, and how its resources are tagged. */
export interface VpcEndpointsArgs {
    /** The VPC the endpoints serve. */
    vpc: aws.ec2.Vpc;
    /** AWS region, for endpoint service names. */
    region: string;
    /** The network's configuration: its CIDR and the interface endpoints to make. */
    network: NetworkConfig;
    /** The private subnets' route tables, which the gateway endpoints join. */
    privateRouteTables: aws.ec2.RouteTable[];
    /** The private subnets, where the interface endpoints live. */
    privateSubnetIds: pulumi.Output<string>[];
    /** The cost tags of one of the network's resources, named after it. */
    tags: (resource: string) => Record<string, string>;
}

/** The gateway endpoints, then the interface endpoints when any are configured, as children of `parent`. */
export function createVpcEndpoints(name: string, args: VpcEndpointsArgs, parent: pulumi.Resource): void {
    createGatewayEndpoints(name, args, parent);
    if (args.network.interfaceEndpoints.length > 0) {
        createInterfaceEndpoints(name, args, parent);
    }
}

/** Gateway endpoints cost nothing and keep S3 (image layers) and DynamoDB traffic off NAT. */
function createGatewayEndpoints(name: string, args: VpcEndpointsArgs, parent: pulumi.Resource): void {
    for (const service of ["s3", "dynamodb"]) {
        new aws.ec2.VpcEndpoint(
            `${name}-${service}`,
            {
                vpcId: args.vpc.id,
                serviceName: `com.amazonaws.${args.region}.${service}`,
                vpcEndpointType: "Gateway",
                routeTableIds: args.privateRouteTables.map((rt) => rt.id),
                tags: args.tags(`${service}-endpoint`),
            },
            { parent },
        );
    }
}

/** The configured interface endpoints, behind a security group open to HTTPS from the VPC only. */
function createInterfaceEndpoints(name: string, args: VpcEndpointsArgs, parent: pulumi.Resource): void {
    const endpointSg = new aws.ec2.SecurityGroup(
        `${name}-endpoints`,
        {
            vpcId: args.vpc.id,
            description: "HTTPS from inside the VPC to interface endpoints",
            ingress: [
                {
                    protocol: "tcp",
                    fromPort: 443,
                    toPort: 443,
                    cidrBlocks: [args.network.cidr],
                    description: "HTTPS from the VPC",
                },
            ],
            egress: [],
            tags: args.tags("endpoints-sg"),
        },
        { parent },
    );
    for (const service of args.network.interfaceEndpoints) {
        new aws.ec2.VpcEndpoint(
            `${name}-${service.replace(/\./g, "-")}`,
            {
                vpcId: args.vpc.id,
                serviceName: `com.amazonaws.${args.region}.${service}`,
                vpcEndpointType: "Interface",
                privateDnsEnabled: true,
                subnetIds: args.privateSubnetIds,
                securityGroupIds: [endpointSg.id],
                tags: args.tags(`${service}-endpoint`),
            },
            { parent },
        );
    }
}
