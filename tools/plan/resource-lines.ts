/**
 * The cost line of each priced AWS resource the program registers, one pricer per type; an AWS
 * type that is neither priced nor free is reported as unpriced, never counted as free.
 */
import type { ProgramRun, RecordedResource } from "../harness";
import { clusterVersion, EKS_CLUSTER_TYPES, MANAGED_NODE_GROUP_TYPES } from "../../vocabulary/eks";
import { componentOf } from "./component";
import { inExtendedSupport } from "./extended-support";
import { FREE_TYPES } from "./free-types";
import { Prices } from "./pricing";
import type { CostLine } from "./report";

/** Types priced as a whole rather than per resource (the queues: see sqs-lines.ts). */
const PRICED_ELSEWHERE = new Set(["aws:sqs/queue:Queue"]);

/** Storage assumed per table for the DynamoDB baseline (an empty table costs nothing). */
const ASSUMED_TABLE_GB = 1;

/** What a pricer knows besides the resource it prices. */
interface PricingContext {
    run: ProgramRun;
    prices: Prices;
    asOf: Date;
    byUrn: Map<string, RecordedResource>;
}

/** A line's item, monthly cost at any scale, and basis: a resource that costs the same at minimum and maximum. */
type Fixed = { item: string; monthly: number; basis: string };

/** Prices one resource: a fixed monthly cost, a line of its own (node groups), or nothing. */
type Pricer = (r: RecordedResource, ctx: PricingContext) => Fixed | Omit<CostLine, "component"> | undefined;

/** One pricer for both shapes of the cluster or of a node group (vocabulary/eks.ts). */
const forEachShape = (types: Record<string, string>, pricer: Pricer): Record<string, Pricer> =>
    Object.fromEntries(Object.values(types).map((type) => [type, pricer]));

/** The pricer of each priced type. */
const PRICERS: Record<string, Pricer> = {
    ...forEachShape(EKS_CLUSTER_TYPES, (r, { prices, asOf }) => {
        const { version, supportType } = clusterVersion(r.type, r.inputs)!;
        const extended = inExtendedSupport(version ?? "", supportType, asOf);
        return {
            item: `EKS control plane (${extended ? "extended" : "standard"} support)`,
            monthly: prices.monthly(extended ? "eks.cluster.extended" : "eks.cluster"),
            basis: `1 cluster x ${prices.hoursPerMonth} h`,
        };
    }),
    ...forEachShape(MANAGED_NODE_GROUP_TYPES, (r, { run, prices, byUrn }) => {
        // The AWS node group inside a component is the component's group again.
        if (byUrn.get(r.options.parent)?.type === MANAGED_NODE_GROUP_TYPES.component) return undefined;
        const h = prices.hoursPerMonth;
        const type = r.inputs.instanceTypes[0];
        const spot = r.inputs.capacityType === "SPOT";
        const hourly = prices.row(`ec2.${type}.${spot ? "spot" : "ondemand"}`).usd;
        const { minSize, maxSize } = r.inputs.scalingConfig;
        const lt = run.resources.find(
            (x) => x.type === "aws:ec2/launchTemplate:LaunchTemplate" && x.name === r.name,
        );
        const volumeSize = lt?.inputs.blockDeviceMappings?.[0]?.ebs?.volumeSize;
        const disk = Number(volumeSize ?? 0) * prices.monthly("ebs.gp3");
        return {
            item: `node group ${r.name.replace(/^cluster-/, "")} (${type}, ${spot ? "spot" : "on-demand"}, ${minSize}-${maxSize} nodes)`,
            min: minSize * (hourly * h + disk),
            max: maxSize * (hourly * h + disk),
            onDemandMax: spot ? maxSize * (prices.row(`ec2.${type}.ondemand`).usd * h + disk) : undefined,
            basis: `${type} ${spot ? "spot" : "on-demand"} $${hourly}/h + ${volumeSize ?? 0} GiB gp3 per node`,
        };
    }),
    "aws:ec2/natGateway:NatGateway": (r, { prices }) => ({
        item: `NAT gateway ${r.name}`,
        monthly: prices.monthly("vpc.nat-gateway"),
        basis: `${prices.hoursPerMonth} h; data processing in the load lines`,
    }),
    "aws:ec2/eip:Eip": (r, { prices }) => ({
        item: `public IPv4 ${r.name}`,
        monthly: prices.monthly("vpc.public-ipv4"),
        basis: `${prices.hoursPerMonth} h`,
    }),
    "aws:ec2/vpcEndpoint:VpcEndpoint": (r, { prices }) => {
        if (r.inputs.vpcEndpointType !== "Interface") return undefined;
        const zones = r.inputs.subnetIds.length;
        return {
            item: `interface endpoint ${r.inputs.serviceName.split(".").slice(3).join(".")}`,
            monthly: prices.monthly("vpc.interface-endpoint", zones),
            basis: `${zones} AZ x ${prices.hoursPerMonth} h`,
        };
    },
    "aws:dynamodb/table:Table": (r, { prices }) => ({
        item: `table ${r.inputs.name}`,
        monthly: ASSUMED_TABLE_GB * (prices.monthly("dynamodb.storage") + prices.monthly("dynamodb.pitr")),
        basis: `${ASSUMED_TABLE_GB} GB stored with PITR (assumed); requests in the load lines`,
    }),
    "aws:elasticache/replicationGroup:ReplicationGroup": (r, { prices }) => ({
        item: `Redis ${r.inputs.nodeType} x ${r.inputs.numCacheClusters}`,
        monthly: prices.monthly(`elasticache.${r.inputs.nodeType}`, r.inputs.numCacheClusters),
        basis: `${r.inputs.numCacheClusters} nodes x ${prices.hoursPerMonth} h`,
    }),
    "aws:kms/key:Key": (r, { prices }) => ({
        item: `KMS key ${r.name}`,
        monthly: prices.monthly("kms.key"),
        basis: "1 key-month",
    }),
    "aws:cloudwatch/metricAlarm:MetricAlarm": (r, { prices }) => {
        // A period under 60 s makes a high-resolution alarm, three times the price: no row, so an error.
        const key = Number(r.inputs.period) < 60 ? "cloudwatch.alarm-high-resolution" : "cloudwatch.alarm";
        return { item: `alarm ${r.name}`, monthly: prices.monthly(key), basis: "1 alarm-month" };
    },
    "aws:secretsmanager/secret:Secret": (r, { prices }) => ({
        item: `secret ${r.inputs.name}`,
        monthly: prices.monthly("secretsmanager.secret"),
        basis: "1 secret-month",
    }),
};

/** A cost line that is the same at minimum and maximum scale. */
export function fixedLine(component: string, { item, monthly, basis }: Fixed): CostLine {
    return { component, item, min: monthly, max: monthly, basis };
}

/** The cost lines of the program's priced resources, in registration order, and the AWS resources with no price rule. */
export function resourceLines(
    run: ProgramRun,
    prices: Prices,
    asOf: Date,
): { lines: CostLine[]; unpriced: { item: string; why: string }[] } {
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    const lines: CostLine[] = [];
    const unpriced: { item: string; why: string }[] = [];
    for (const r of run.resources.filter((x) => x.custom || x.remote)) {
        const pricer = PRICERS[r.type];
        if (!pricer) {
            if (r.type.startsWith("aws:") && !(r.type in FREE_TYPES) && !PRICED_ELSEWHERE.has(r.type)) {
                unpriced.push({ item: `${r.type} ${r.name}`, why: "no price rule" });
            }
            continue;
        }
        const priced = pricer(r, { run, prices, asOf, byUrn });
        if (!priced) continue;
        const component = componentOf(r, byUrn);
        lines.push("monthly" in priced ? fixedLine(component, priced) : { component, ...priced });
    }
    return { lines, unpriced };
}
