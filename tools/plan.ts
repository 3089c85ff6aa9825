/**
 * The plan report: what a stack will create, what it will cost per month and what it can carry,
 * offline. It reads the one list the harness records (the program under mocks with the real
 * stack file), the policy gate's verdicts and the pricing table in pricing/aws-prices.json.
 */
import type { PolicyResource } from "@pulumi/policy";
import * as fs from "fs";
import * as path from "path";
import { applicationNodeGroups, cores, deployedServices, DeployedService, findProfile, gibibytes, INSTANCE_CAPACITY, nodeGroupCapacity, PlatformProfile, serviceDemand } from "../policy/shared";
import { ProgramRun, RecordedResource, REPO_ROOT, runProgram } from "./harness";
import { evaluate, GateResult, readPackConfig, requireKnownStack } from "./policy-gate";

export const PRICING_FILE = path.join(REPO_ROOT, "pricing", "aws-prices.json");

export interface PriceRow {
    key: string;
    region: string;
    unit: string;
    usd: number;
    source: string;
    date: string;
}

export interface PricingTable {
    currency: string;
    hoursPerMonth: number;
    rows: PriceRow[];
}

/** Raised when the pricing table has no row for a dimension the stack uses. */
export class MissingPriceError extends Error {}

export function readPricing(file = PRICING_FILE): PricingTable {
    return JSON.parse(fs.readFileSync(file, "utf8"));
}

/** Price lookups for one region; a missing row is an error, never a zero. */
export class Prices {
    constructor(private readonly table: PricingTable, private readonly region: string) {}
    get hoursPerMonth(): number {
        return this.table.hoursPerMonth;
    }
    row(key: string): PriceRow {
        const row = this.table.rows.find((r) => r.key === key && r.region === this.region);
        if (!row) {
            throw new MissingPriceError(`The pricing table (pricing/aws-prices.json) has no row ${key} for ${this.region}: add it with its source and date`);
        }
        return row;
    }
    /** Monthly cost of `count` units of an hourly-priced dimension. */
    monthly(key: string, count = 1): number {
        const row = this.row(key);
        return row.unit === "hour" ? row.usd * this.table.hoursPerMonth * count : row.usd * count;
    }
}

export interface CostLine {
    component: string;
    item: string;
    /** Monthly USD at the minimum and at the maximum scale. */
    min: number;
    max: number;
    /** For spot capacity: the same capacity on demand. */
    onDemandMax?: number;
    basis: string;
}

export interface ServiceCapacity {
    service: string;
    maxReplicas: number;
    rpsPerPod: number;
    capacityRps: number;
    neededRps: number;
    headroomPercent: number;
}

export interface PlanReport {
    stack: string;
    region: string;
    inventory: { total: number; byComponent: Record<string, Record<string, number>> };
    policy: { mandatory: number; advisory: number; byPolicy: Record<string, { enforcementLevel: string; violations: number }> };
    cost: {
        currency: string;
        lines: CostLine[];
        byComponent: Record<string, { min: number; max: number }>;
        byService: Record<string, { min: number; max: number }>;
        totalMin: number;
        totalMax: number;
        unpriced: { item: string; why: string }[];
    };
    capacity: {
        targetRps: number;
        headroomPercent: number;
        services: ServiceCapacity[];
        cluster: { requestedVcpu: number; requestedMemoryGiB: number; nodeVcpu: number; nodeMemoryGiB: number };
        worker: { drainPerSecond: number; expectedEventsPerSecond: number };
    };
}

/** The top-level component a resource belongs to (its outermost parent). */
export function componentOf(resource: RecordedResource, byUrn: Map<string, RecordedResource>): string {
    let current = resource;
    while (current.options.parent && byUrn.has(current.options.parent)) {
        current = byUrn.get(current.options.parent)!;
    }
    return current.name;
}

/** Resource types that cost nothing by themselves (their use is priced elsewhere). */
const FREE_TYPES = new Set([
    "aws:ec2/vpc:Vpc", "aws:ec2/subnet:Subnet", "aws:ec2/routeTable:RouteTable", "aws:ec2/routeTableAssociation:RouteTableAssociation",
    "aws:ec2/internetGateway:InternetGateway", "aws:ec2/securityGroup:SecurityGroup", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    "aws:ec2/launchTemplate:LaunchTemplate", "aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy", "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:kms/alias:Alias", "aws:sqs/queuePolicy:QueuePolicy", "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy", "aws:secretsmanager/secretVersion:SecretVersion",
    "aws:eks/podIdentityAssociation:PodIdentityAssociation", "aws:eks/addon:Addon", "aws:elasticache/subnetGroup:SubnetGroup",
    "aws:scheduler/scheduleGroup:ScheduleGroup", "aws:cloudwatch/eventBus:EventBus", "aws:cloudwatch/eventRule:EventRule", "aws:cloudwatch/eventTarget:EventTarget",
    "random:index/randomPassword:RandomPassword",
]);

/** Types priced below; every other AWS type is reported as unpriced. */
const PRICED_TYPES = new Set([
    "eks:index:Cluster", "aws:eks/nodeGroup:NodeGroup", "aws:ec2/natGateway:NatGateway", "aws:ec2/eip:Eip", "aws:ec2/vpcEndpoint:VpcEndpoint",
    "aws:sqs/queue:Queue", "aws:dynamodb/table:Table", "aws:elasticache/replicationGroup:ReplicationGroup", "aws:kms/key:Key", "aws:secretsmanager/secret:Secret",
]);

/** Storage assumed per table for the DynamoDB baseline (an empty table costs nothing). */
const ASSUMED_TABLE_GB = 1;

function costLines(run: ProgramRun, prices: Prices, profile: PlatformProfile | undefined, resources: PolicyResource[]): { lines: CostLine[]; unpriced: { item: string; why: string }[] } {
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    const lines: CostLine[] = [];
    const unpriced: { item: string; why: string }[] = [];
    const fixed = (r: RecordedResource, item: string, monthly: number, basis: string) => lines.push({ component: componentOf(r, byUrn), item, min: monthly, max: monthly, basis });
    const h = prices.hoursPerMonth;

    for (const r of run.resources.filter((x) => x.custom || x.remote)) {
        switch (r.type) {
            case "eks:index:Cluster":
                fixed(r, "EKS control plane", prices.monthly("eks.cluster"), `1 cluster x ${h} h`);
                break;
            case "aws:eks/nodeGroup:NodeGroup": {
                const type = r.inputs.instanceTypes[0];
                const spot = r.inputs.capacityType === "SPOT";
                const hourly = prices.row(`ec2.${type}.${spot ? "spot" : "ondemand"}`).usd;
                const { minSize, maxSize } = r.inputs.scalingConfig;
                const lt = run.resources.find((x) => x.type === "aws:ec2/launchTemplate:LaunchTemplate" && x.name === r.name);
                const disk = Number(lt?.inputs.blockDeviceMappings?.[0]?.ebs?.volumeSize ?? 0) * prices.monthly("ebs.gp3");
                lines.push({
                    component: componentOf(r, byUrn),
                    item: `node group ${r.name.replace(/^cluster-/, "")} (${type}, ${spot ? "spot" : "on-demand"}, ${minSize}-${maxSize} nodes)`,
                    min: minSize * (hourly * h + disk),
                    max: maxSize * (hourly * h + disk),
                    onDemandMax: spot ? maxSize * (prices.row(`ec2.${type}.ondemand`).usd * h + disk) : undefined,
                    basis: `${type} ${spot ? "spot" : "on-demand"} $${hourly}/h + ${lt?.inputs.blockDeviceMappings?.[0]?.ebs?.volumeSize ?? 0} GiB gp3 per node`,
                });
                break;
            }
            case "aws:ec2/natGateway:NatGateway":
                fixed(r, `NAT gateway ${r.name}`, prices.monthly("vpc.nat-gateway"), `${h} h; data processing unpriced`);
                break;
            case "aws:ec2/eip:Eip":
                fixed(r, `public IPv4 ${r.name}`, prices.monthly("vpc.public-ipv4"), `${h} h`);
                break;
            case "aws:ec2/vpcEndpoint:VpcEndpoint":
                if (r.inputs.vpcEndpointType === "Interface") {
                    const zones = r.inputs.subnetIds.length;
                    fixed(r, `interface endpoint ${r.inputs.serviceName.split(".").slice(3).join(".")}`, prices.monthly("vpc.interface-endpoint", zones), `${zones} AZ x ${h} h`);
                }
                break;
            case "aws:dynamodb/table:Table":
                fixed(r, `table ${r.inputs.name}`, ASSUMED_TABLE_GB * (prices.monthly("dynamodb.storage") + prices.monthly("dynamodb.pitr")), `${ASSUMED_TABLE_GB} GB stored with PITR (assumed); requests on demand, unpriced`);
                break;
            case "aws:elasticache/replicationGroup:ReplicationGroup":
                fixed(r, `Redis ${r.inputs.nodeType} x ${r.inputs.numCacheClusters}`, prices.monthly(`elasticache.${r.inputs.nodeType}`, r.inputs.numCacheClusters), `${r.inputs.numCacheClusters} nodes x ${h} h`);
                break;
            case "aws:kms/key:Key":
                fixed(r, `KMS key ${r.name}`, prices.monthly("kms.key"), "1 key-month");
                break;
            case "aws:secretsmanager/secret:Secret":
                fixed(r, `secret ${r.inputs.name}`, prices.monthly("secretsmanager.secret"), "1 secret-month");
                break;
            default:
                if (r.type.startsWith("aws:") && !FREE_TYPES.has(r.type) && !PRICED_TYPES.has(r.type)) {
                    unpriced.push({ item: `${r.type} ${r.name}`, why: "no price rule" });
                }
        }
    }

    // SQS: KEDA polls the queue depth, and each minimum worker long-polls with its concurrency.
    const queues = run.resources.filter((r) => r.type === "aws:sqs/queue:Queue");
    if (queues.length > 0) {
        const worker = profile?.performanceProfile.services["reservation-worker"];
        const month = 30 * 24 * 3600;
        const requests = month / 30 + (worker?.minReplicas ?? 0) * 20 * (month / 20);
        lines.push({ component: componentOf(queues[0], byUrn), item: `SQS baseline (${queues.length} queues)`, min: (requests / 1e6) * prices.row("sqs.requests").usd, max: (requests / 1e6) * prices.row("sqs.requests").usd, basis: `${Math.round(requests / 1e6 * 10) / 10}M idle requests/month (KEDA polling, minimum workers' long polls)` });
    }

    // The Gateway's ALB, created by the load balancer controller.
    for (const gateway of resources.filter((r) => r.type === "kubernetes:gateway.networking.k8s.io/v1:Gateway")) {
        const r = byUrn.get(gateway.urn)!;
        fixed(r, "Application Load Balancer (Gateway)", prices.monthly("elb.alb"), `${h} h; LCUs unpriced`);
    }
    for (const traffic of ["NAT and endpoint data processing", "ALB LCUs", "DynamoDB and SQS requests under load", "CloudWatch log ingestion and storage", "data transfer"]) {
        unpriced.push({ item: traffic, why: "traffic-driven, not a baseline" });
    }
    lines.sort((a, b) => a.component.localeCompare(b.component) || b.max - a.max);
    return { lines, unpriced };
}

/** Per-service compute: pods priced at the first application node group's per-vCPU or per-GiB rate, whichever binds. */
function serviceCosts(run: ProgramRun, prices: Prices, services: DeployedService[], profile: PlatformProfile | undefined): Record<string, { min: number; max: number }> {
    const group = applicationNodeGroups(run.resources.map((r) => ({ ...r, props: r.inputs })))[0];
    if (!group) return {};
    const type = group.props.instanceTypes[0];
    const hourly = prices.row(`ec2.${type}.${group.props.capacityType === "SPOT" ? "spot" : "ondemand"}`).usd;
    const size = INSTANCE_CAPACITY[type];
    const podHourly = (s: DeployedService) => hourly * Math.max(cores(s.requests.cpu) / size.vcpu, gibibytes(s.requests.memory) / size.memoryGiB);
    return Object.fromEntries(services.map((s) => {
        const min = profile?.performanceProfile.services[s.name]?.minReplicas ?? 0;
        return [s.name, { min: podHourly(s) * min * prices.hoursPerMonth, max: podHourly(s) * s.maxReplicas * prices.hoursPerMonth }];
    }));
}

/** Builds the report from a program run and its gate result. */
export function planFromRun(run: ProgramRun, gate: GateResult, pricing: PricingTable): PlanReport {
    const region = String(run.config["aws:region"]);
    const prices = new Prices(pricing, region);
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    const byComponent: Record<string, Record<string, number>> = {};
    for (const r of run.resources) {
        const component = componentOf(r, byUrn);
        byComponent[component] ??= {};
        byComponent[component][r.type] = (byComponent[component][r.type] ?? 0) + 1;
    }
    const byPolicy: PlanReport["policy"]["byPolicy"] = {};
    for (const v of gate.violations) {
        byPolicy[v.policy] ??= { enforcementLevel: v.enforcementLevel, violations: 0 };
        byPolicy[v.policy].violations++;
    }

    const profile = findProfile(gate.resources);
    const services = deployedServices(gate.resources);
    const { lines, unpriced } = costLines(run, prices, profile, gate.resources);
    const costByComponent: Record<string, { min: number; max: number }> = {};
    for (const line of lines) {
        costByComponent[line.component] ??= { min: 0, max: 0 };
        costByComponent[line.component].min += line.min;
        costByComponent[line.component].max += line.max;
    }

    const perf = profile?.performanceProfile;
    const capacityServices: ServiceCapacity[] = services.map((s) => {
        const assumption = perf?.services[s.name];
        const capacityRps = s.maxReplicas * (assumption?.rpsPerPod ?? 0);
        const neededRps = (perf?.targetRps ?? 0) * (assumption?.shareOfTarget ?? 0);
        return { service: s.name, maxReplicas: s.maxReplicas, rpsPerPod: assumption?.rpsPerPod ?? 0, capacityRps, neededRps, headroomPercent: neededRps > 0 ? Math.round((capacityRps / neededRps - 1) * 100) : 0 };
    });
    const demand = serviceDemand(services);
    const offered = nodeGroupCapacity(applicationNodeGroups(gate.resources));
    const worker = capacityServices.find((s) => s.service === "reservation-worker");
    return {
        stack: run.stack,
        region,
        inventory: { total: run.resources.length, byComponent },
        policy: { mandatory: gate.mandatory.length, advisory: gate.violations.length - gate.mandatory.length, byPolicy },
        cost: {
            currency: pricing.currency,
            lines,
            byComponent: costByComponent,
            byService: serviceCosts(run, prices, services, profile),
            totalMin: lines.reduce((sum, l) => sum + l.min, 0),
            totalMax: lines.reduce((sum, l) => sum + l.max, 0),
            unpriced,
        },
        capacity: {
            targetRps: perf?.targetRps ?? 0,
            headroomPercent: perf?.headroomPercent ?? 0,
            services: capacityServices,
            cluster: { requestedVcpu: demand.vcpu, requestedMemoryGiB: demand.memoryGiB, nodeVcpu: offered.vcpu, nodeMemoryGiB: offered.memoryGiB },
            worker: { drainPerSecond: worker?.capacityRps ?? 0, expectedEventsPerSecond: worker?.neededRps ?? 0 },
        },
    };
}

/** Runs the program for `stack`, the gate, and builds the report. */
export async function buildPlan(stack: string, editConfig?: (config: Record<string, any>) => void, pricing = readPricing()): Promise<{ report: PlanReport; run: ProgramRun }> {
    requireKnownStack(stack, "plan");
    const run = await runProgram(stack, editConfig);
    if (run.error) {
        throw run.error;
    }
    const gate = await evaluate(run, readPackConfig(stack));
    return { report: planFromRun(run, gate, pricing), run };
}

const usd = (n: number) => `$${n.toLocaleString("en-US", { maximumFractionDigits: 0 })}`;

function table(header: string[], rows: string[][]): string {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const numeric = header.map((_, i) => rows.every((r) => /^[-$\d.,%]*$/.test(r[i])));
    const line = (cells: string[]) => cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ").trimEnd();
    return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** The report as a person reads it. */
export function formatPlan(report: PlanReport): string {
    const out: string[] = [`Plan for stack ${report.stack} (${report.region})`, ""];
    out.push(`Inventory: ${report.inventory.total} resources`);
    out.push(table(["component", "resources", "types"], Object.entries(report.inventory.byComponent)
        .map(([c, types]) => [c, String(Object.values(types).reduce((a, b) => a + b, 0)), Object.entries(types).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([t, n]) => `${t.split(":").pop()} x${n}`).join(", ")])));
    out.push("", `Policy: ${report.policy.mandatory} mandatory, ${report.policy.advisory} advisory violation(s)`);
    for (const [policy, v] of Object.entries(report.policy.byPolicy)) out.push(`  ${policy} [${v.enforcementLevel}]: ${v.violations}`);
    out.push("", `Cost (${report.cost.currency}/month): ${usd(report.cost.totalMin)} at minimum scale, ${usd(report.cost.totalMax)} at maximum`);
    out.push(table(["item", "min", "max", "on-demand max"], report.cost.lines.map((l) => [l.item, usd(l.min), usd(l.max), l.onDemandMax === undefined ? "" : usd(l.onDemandMax)])));
    out.push("", table(["component", "min", "max"], Object.entries(report.cost.byComponent).map(([c, v]) => [c, usd(v.min), usd(v.max)])));
    out.push("", table(["service (compute share)", "min", "max"], Object.entries(report.cost.byService).map(([s, v]) => [s, usd(v.min), usd(v.max)])));
    out.push("", "Not priced (never counted as free):");
    for (const u of report.cost.unpriced) out.push(`  - ${u.item}: ${u.why}`);
    const c = report.capacity;
    out.push("", `Capacity: target ${c.targetRps.toLocaleString("en-US")} RPS + ${c.headroomPercent}% headroom`);
    out.push(table(["service", "max pods", "RPS/pod", "capacity", "needed", "headroom"], c.services.map((s) => [s.service, String(s.maxReplicas), String(s.rpsPerPod), String(s.capacityRps), String(Math.round(s.neededRps)), `${s.headroomPercent}%`])));
    out.push(`Cluster at max scale: ${c.cluster.requestedVcpu.toFixed(1)} of ${c.cluster.nodeVcpu} vCPU, ${c.cluster.requestedMemoryGiB.toFixed(1)} of ${c.cluster.nodeMemoryGiB} GiB requested`);
    out.push(`Worker drain at max scale: ${c.worker.drainPerSecond} messages/s against ${Math.round(c.worker.expectedEventsPerSecond)} expected events/s`);
    return out.join("\n");
}

/** A Mermaid picture of the stack: top-level components and the dependencies between them. */
export function architectureMermaid(run: ProgramRun): string {
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    const components = new Map<string, { type: string; count: number }>();
    const links = new Set<string>();
    for (const r of run.resources) {
        const component = componentOf(r, byUrn);
        const top = byUrn.get(run.resources.find((x) => x.name === component && !x.options.parent)?.urn ?? "") ?? r;
        if (top.type.startsWith("pulumi:providers:")) continue;
        const entry = components.get(component) ?? { type: top.type.split(":").pop()!, count: 0 };
        entry.count++;
        components.set(component, entry);
        for (const dep of r.options.dependsOn) {
            const target = byUrn.get(dep);
            if (!target) continue;
            const other = componentOf(target, byUrn);
            if (other !== component && !target.type.startsWith("pulumi:providers:")) links.add(`${other}-->${component}`);
        }
    }
    const id = (name: string) => name.replace(/[^A-Za-z0-9]/g, "_");
    const lines = ["flowchart LR"];
    for (const [name, { type, count }] of [...components].sort()) lines.push(`  ${id(name)}["${name}<br/>${type}, ${count} resources"]`);
    for (const link of [...links].sort()) {
        const [from, to] = link.split("-->");
        lines.push(`  ${id(from)} --> ${id(to)}`);
    }
    return lines.join("\n");
}

/** Writes docs/architecture-<stack>.md: the stack's Mermaid picture. */
export function writeArchitecture(stack: string, mermaid: string): void {
    const docs = path.join(REPO_ROOT, "docs");
    fs.mkdirSync(docs, { recursive: true });
    fs.writeFileSync(path.join(docs, `architecture-${stack}.md`), `# Architecture of the ${stack} stack (generated by npm run plan)\n\n\`\`\`mermaid\n${mermaid}\n\`\`\`\n`);
}
