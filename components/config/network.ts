/**
 * The stack schema's network section: the VPC, its zones' subnets (inside the VPC, none
 * overlapping), NAT, endpoints and flow logs.
 */
import { z } from "zod";
import { cidrContains, cidrsOverlap, isValidCidr } from "./cidr";
import { cidr, INTERFACE_ENDPOINT_SERVICES, logRetention } from "./fields";

const zoneSchema = z.strictObject({
    name: z
        .string()
        .regex(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, "must be an availability zone name such as us-west-2a")
        .describe("Availability zone name."),
    publicSubnetCidr: cidr.describe("CIDR of the zone's public subnet (load balancers, NAT)."),
    privateSubnetCidr: cidr.describe("CIDR of the zone's private subnet (nodes, pods, data stores)."),
});

export const networkSchema = z
    .strictObject({
        cidr: cidr.describe("VPC CIDR block."),
        zones: z
            .array(zoneSchema)
            .min(2, "must list at least 2 availability zones")
            .max(3, "must list at most 3 availability zones")
            .describe("Availability zones with their subnets."),
        natGateways: z
            .enum(["single", "perZone"])
            .default("single")
            .describe("One NAT gateway for the VPC, or one per zone."),
        interfaceEndpoints: z
            .array(z.enum(INTERFACE_ENDPOINT_SERVICES))
            .default(["ecr.api", "ecr.dkr", "sts", "sqs", "eks-auth"])
            .describe("Interface VPC endpoints to create (an S3 gateway endpoint is always created)."),
        flowLogs: z
            .strictObject({
                enabled: z.boolean().default(false).describe("Whether VPC flow logs go to CloudWatch Logs."),
                retentionDays: logRetention.default(30).describe("Flow log retention in days."),
            })
            .prefault({})
            .describe("VPC flow logs."),
    })
    .superRefine((net, ctx) => {
        const subnets = net.zones
            .flatMap((zone, i) => [
                { path: ["zones", i, "publicSubnetCidr"], cidr: zone.publicSubnetCidr },
                { path: ["zones", i, "privateSubnetCidr"], cidr: zone.privateSubnetCidr },
            ])
            .filter((s) => isValidCidr(s.cidr));
        if (isValidCidr(net.cidr)) {
            for (const s of subnets.filter((s) => !cidrContains(net.cidr, s.cidr))) {
                ctx.addIssue({
                    code: "custom",
                    path: s.path,
                    message: `must lie inside the VPC CIDR ${net.cidr}`,
                });
            }
        }
        subnets.forEach((a, i) => {
            for (const b of subnets.slice(i + 1)) {
                if (cidrsOverlap(a.cidr, b.cidr)) {
                    ctx.addIssue({
                        code: "custom",
                        path: b.path,
                        message: `overlaps ${a.path.join(".")} (${a.cidr})`,
                    });
                }
            }
        });
        net.zones.forEach((zone, i) => {
            if (net.zones.findIndex((z2) => z2.name === zone.name) !== i) {
                ctx.addIssue({
                    code: "custom",
                    path: ["zones", i, "name"],
                    message: `repeats availability zone ${zone.name}`,
                });
            }
        });
    });
