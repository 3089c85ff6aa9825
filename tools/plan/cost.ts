/**
 * The cost model: a monthly cost line per priced resource (at minimum and maximum scale, spot
 * against on-demand), the traffic-driven items it cannot price, and compute per service.
 */
import type { PolicyResource } from "@pulumi/policy";
import {
    perNodeDaemonSets,
    platformFootprints,
    podAllocatable,
    stackDaemonSets,
    systemNodeGroup,
    systemPods,
} from "../../vocabulary/footprint";
import { INSTANCE_CAPACITY, nodeGroupNode } from "../../vocabulary/instances";
import { cores, gibibytes } from "../../vocabulary/quantity";
import {
    applicationNodeGroups,
    applicationNodePools,
    DeployedService,
    nodePoolAllows,
    nodePoolLimits,
    PlatformProfile,
    serviceDemand,
} from "../../vocabulary/stack";
import { daysOfStandardSupportLeft } from "../../vocabulary/versions";
import type { Amount } from "../../vocabulary/footprint";
import { WORKER_QUEUE } from "../../components/apps/values";
import type { ProgramRun, RecordedResource } from "../harness";
import { Prices } from "./pricing";
import type { CostLine } from "./report";

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
    "aws:ec2/vpc:Vpc",
    "aws:ec2/subnet:Subnet",
    "aws:ec2/routeTable:RouteTable",
    "aws:ec2/routeTableAssociation:RouteTableAssociation",
    "aws:ec2/internetGateway:InternetGateway",
    "aws:ec2/securityGroup:SecurityGroup",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    "aws:ec2/launchTemplate:LaunchTemplate",
    "aws:iam/role:Role",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:kms/alias:Alias",
    "aws:ec2/tag:Tag",
    "aws:sqs/queuePolicy:QueuePolicy",
    "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy",
    "aws:secretsmanager/secretVersion:SecretVersion",
    "aws:eks/podIdentityAssociation:PodIdentityAssociation",
    "aws:eks/addon:Addon",
    "aws:elasticache/subnetGroup:SubnetGroup",
    "aws:scheduler/scheduleGroup:ScheduleGroup",
    "aws:cloudwatch/eventBus:EventBus",
    "aws:cloudwatch/eventRule:EventRule",
    "aws:cloudwatch/eventTarget:EventTarget",
    "random:index/randomPassword:RandomPassword",
]);

/** Types priced below; every other AWS type is reported as unpriced. */
const PRICED_TYPES = new Set([
    "aws:eks/cluster:Cluster",
    "aws:eks/nodeGroup:NodeGroup",
    "aws:ec2/natGateway:NatGateway",
    "aws:ec2/eip:Eip",
    "aws:ec2/vpcEndpoint:VpcEndpoint",
    "aws:sqs/queue:Queue",
    "aws:dynamodb/table:Table",
    "aws:elasticache/replicationGroup:ReplicationGroup",
    "aws:kms/key:Key",
    "aws:secretsmanager/secret:Secret",
]);

/**
 * Whether a cluster is billed as extended support on `asOf`: past its version's end of standard
 * support and not on the STANDARD support type (which upgrades it instead). A version missing
 * from the table is treated as extended: the policy pack refuses it anyway.
 */
export function inExtendedSupport(version: string, supportType: string | undefined, asOf: Date): boolean {
    const left = daysOfStandardSupportLeft(version, asOf);
    return supportType !== "STANDARD" && (left === undefined || left < 0);
}

/** Storage assumed per table for the DynamoDB baseline (an empty table costs nothing). */
const ASSUMED_TABLE_GB = 1;

export function costLines(
    run: ProgramRun,
    prices: Prices,
    profile: PlatformProfile | undefined,
    services: DeployedService[],
    resources: PolicyResource[],
    asOf = new Date(),
): { lines: CostLine[]; unpriced: { item: string; why: string }[]; poolNodes: PoolNodes[] } {
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    const lines: CostLine[] = [];
    const unpriced: { item: string; why: string }[] = [];
    const fixed = (r: RecordedResource, item: string, monthly: number, basis: string) =>
        lines.push({ component: componentOf(r, byUrn), item, min: monthly, max: monthly, basis });
    const h = prices.hoursPerMonth;

    for (const r of run.resources.filter((x) => x.custom || x.remote)) {
        switch (r.type) {
            case "aws:eks/cluster:Cluster": {
                const extended = inExtendedSupport(
                    r.inputs.version,
                    r.inputs.upgradePolicy?.supportType,
                    asOf,
                );
                fixed(
                    r,
                    `EKS control plane (${extended ? "extended" : "standard"} support)`,
                    prices.monthly(extended ? "eks.cluster.extended" : "eks.cluster"),
                    `1 cluster x ${h} h`,
                );
                break;
            }
            case "aws:eks/nodeGroup:NodeGroup": {
                const type = r.inputs.instanceTypes[0];
                const spot = r.inputs.capacityType === "SPOT";
                const hourly = prices.row(`ec2.${type}.${spot ? "spot" : "ondemand"}`).usd;
                const { minSize, maxSize } = r.inputs.scalingConfig;
                const lt = run.resources.find(
                    (x) => x.type === "aws:ec2/launchTemplate:LaunchTemplate" && x.name === r.name,
                );
                const disk =
                    Number(lt?.inputs.blockDeviceMappings?.[0]?.ebs?.volumeSize ?? 0) *
                    prices.monthly("ebs.gp3");
                lines.push({
                    component: componentOf(r, byUrn),
                    item: `node group ${r.name.replace(/^cluster-/, "")} (${type}, ${spot ? "spot" : "on-demand"}, ${minSize}-${maxSize} nodes)`,
                    min: minSize * (hourly * h + disk),
                    max: maxSize * (hourly * h + disk),
                    onDemandMax: spot
                        ? maxSize * (prices.row(`ec2.${type}.ondemand`).usd * h + disk)
                        : undefined,
                    basis: `${type} ${spot ? "spot" : "on-demand"} $${hourly}/h + ${lt?.inputs.blockDeviceMappings?.[0]?.ebs?.volumeSize ?? 0} GiB gp3 per node`,
                });
                break;
            }
            case "aws:ec2/natGateway:NatGateway":
                fixed(
                    r,
                    `NAT gateway ${r.name}`,
                    prices.monthly("vpc.nat-gateway"),
                    `${h} h; data processing unpriced`,
                );
                break;
            case "aws:ec2/eip:Eip":
                fixed(r, `public IPv4 ${r.name}`, prices.monthly("vpc.public-ipv4"), `${h} h`);
                break;
            case "aws:ec2/vpcEndpoint:VpcEndpoint":
                if (r.inputs.vpcEndpointType === "Interface") {
                    const zones = r.inputs.subnetIds.length;
                    fixed(
                        r,
                        `interface endpoint ${r.inputs.serviceName.split(".").slice(3).join(".")}`,
                        prices.monthly("vpc.interface-endpoint", zones),
                        `${zones} AZ x ${h} h`,
                    );
                }
                break;
            case "aws:dynamodb/table:Table":
                fixed(
                    r,
                    `table ${r.inputs.name}`,
                    ASSUMED_TABLE_GB * (prices.monthly("dynamodb.storage") + prices.monthly("dynamodb.pitr")),
                    `${ASSUMED_TABLE_GB} GB stored with PITR (assumed); requests on demand, unpriced`,
                );
                break;
            case "aws:elasticache/replicationGroup:ReplicationGroup":
                fixed(
                    r,
                    `Redis ${r.inputs.nodeType} x ${r.inputs.numCacheClusters}`,
                    prices.monthly(`elasticache.${r.inputs.nodeType}`, r.inputs.numCacheClusters),
                    `${r.inputs.numCacheClusters} nodes x ${h} h`,
                );
                break;
            case "aws:kms/key:Key":
                fixed(r, `KMS key ${r.name}`, prices.monthly("kms.key"), "1 key-month");
                break;
            case "aws:secretsmanager/secret:Secret":
                fixed(
                    r,
                    `secret ${r.inputs.name}`,
                    prices.monthly("secretsmanager.secret"),
                    "1 secret-month",
                );
                break;
            default:
                if (r.type.startsWith("aws:") && !FREE_TYPES.has(r.type) && !PRICED_TYPES.has(r.type)) {
                    unpriced.push({ item: `${r.type} ${r.name}`, why: "no price rule" });
                }
        }
    }

    // SQS: KEDA polls the queue depth, and each minimum worker long-polls with its concurrency.
    const month = 30 * 24 * 3600;
    const allQueues = run.resources.filter((r) => r.type === "aws:sqs/queue:Queue");
    const interruption = allQueues.filter(
        (q) => byUrn.get(q.options.parent ?? "")?.type === "tacos:aws:KarpenterInfrastructure",
    );
    const queues = allQueues.filter((q) => !interruption.includes(q));
    for (const q of interruption) {
        // Karpenter long-polls its interruption queue without pause (20 s waits, karpenter-provider-aws 1.14.1 pkg/providers/sqs).
        const requests = month / 20;
        fixed(
            q,
            `SQS ${q.name} (Karpenter's long polls)`,
            (requests / 1e6) * prices.row("sqs.requests").usd,
            `${Math.round(requests / 1e3)}k requests/month`,
        );
    }
    if (queues.length > 0) {
        const worker = profile?.performanceProfile.services["reservation-worker"];
        const requests =
            month / WORKER_QUEUE.kedaPollingSeconds +
            (worker?.minReplicas ?? 0) * WORKER_QUEUE.concurrency * (month / WORKER_QUEUE.longPollSeconds);
        lines.push({
            component: componentOf(queues[0], byUrn),
            item: `SQS baseline (${queues.length} queues)`,
            min: (requests / 1e6) * prices.row("sqs.requests").usd,
            max: (requests / 1e6) * prices.row("sqs.requests").usd,
            basis: `${Math.round((requests / 1e6) * 10) / 10}M idle requests/month (KEDA polling, minimum workers' long polls)`,
        });
    }

    const pools = nodePoolLines(resources, prices, services, byUrn);
    lines.push(...pools.lines);

    // The Gateway's ALB, created by the load balancer controller.
    for (const gateway of resources.filter(
        (r) => r.type === "kubernetes:gateway.networking.k8s.io/v1:Gateway",
    )) {
        const r = byUrn.get(gateway.urn)!;
        fixed(r, "Application Load Balancer (Gateway)", prices.monthly("elb.alb"), `${h} h; LCUs unpriced`);
    }
    for (const traffic of [
        "NAT and endpoint data processing",
        "ALB LCUs",
        "DynamoDB and SQS requests under load",
        "CloudWatch log ingestion and storage",
        "data transfer",
    ]) {
        unpriced.push({ item: traffic, why: "traffic-driven, not a baseline" });
    }
    lines.sort((a, b) => a.component.localeCompare(b.component) || b.max - a.max);
    return { lines, unpriced, poolNodes: pools.nodes };
}

/** How a NodePool is priced: the cheapest type per vCPU it allows, at spot price where it allows spot. */
interface PoolRate {
    name: string;
    weight: number;
    type: string;
    spot: boolean;
    hourly: number;
    vcpu: number;
    memoryGiB: number;
    limitVcpu: number;
    limitMemoryGiB: number;
    urn: string;
}

function poolRates(resources: PolicyResource[], prices: Prices): PoolRate[] {
    return applicationNodePools(resources).flatMap((pool) => {
        const limits = nodePoolLimits(pool);
        const types = (nodePoolAllows(pool, "node.kubernetes.io/instance-type") ?? []).filter(
            (t) => INSTANCE_CAPACITY[t],
        );
        if (types.length === 0 || limits.vcpu === undefined || limits.memoryGiB === undefined) return [];
        const spot = nodePoolAllows(pool, "karpenter.sh/capacity-type")?.includes("spot") ?? false;
        const hourlyOf = (t: string) => prices.row(`ec2.${t}.${spot ? "spot" : "ondemand"}`).usd;
        const type = types.reduce((best, t) =>
            hourlyOf(t) / INSTANCE_CAPACITY[t].vcpu < hourlyOf(best) / INSTANCE_CAPACITY[best].vcpu
                ? t
                : best,
        );
        return [
            {
                name: limits.name,
                weight: Number(pool.props.spec?.weight ?? 0),
                type,
                spot,
                hourly: hourlyOf(type),
                vcpu: INSTANCE_CAPACITY[type].vcpu,
                memoryGiB: INSTANCE_CAPACITY[type].memoryGiB,
                limitVcpu: limits.vcpu,
                limitMemoryGiB: limits.memoryGiB,
                urn: pool.urn,
            },
        ];
    });
}

/** Nodes a priced NodePool runs at minimum and maximum scale. */
export interface PoolNodes {
    name: string;
    min: number;
    max: number;
}

/**
 * Karpenter's nodes: at minimum scale, the nodes the services' minimum replicas need (their
 * requests over what a node leaves allocatable after kubelet and the DaemonSets) beyond the
 * application node groups' minimum, filled into the heaviest pools first as Karpenter does; at
 * maximum, every pool at its limits. Each pool is priced at its cheapest type per vCPU.
 */
function nodePoolLines(
    resources: PolicyResource[],
    prices: Prices,
    services: DeployedService[],
    byUrn: Map<string, RecordedResource>,
): { lines: CostLine[]; nodes: PoolNodes[] } {
    const rates = poolRates(resources, prices).sort((a, b) => b.weight - a.weight);
    const nodeClass = resources.find((r) => r.type === "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass");
    const diskGiB = gibibytes(
        String(nodeClass?.props.spec?.blockDeviceMappings?.[0]?.ebs?.volumeSize ?? "0"),
    );
    const disk = diskGiB * prices.monthly("ebs.gp3");
    const daemonSets = stackDaemonSets(resources);
    const atMin = serviceDemand(services, "minReplicas");
    // Application node groups (an on-demand floor) are always there: the pools carry what they cannot.
    const floor = applicationNodeGroups(resources).reduce(
        (sum, g) => {
            const node = nodeGroupNode(g);
            const nodes = Number(g.props.scalingConfig?.minSize ?? 0);
            const free = node && podAllocatable(node, daemonSets);
            return free
                ? { vcpu: sum.vcpu + nodes * free.vcpu, memoryGiB: sum.memoryGiB + nodes * free.memoryGiB }
                : sum;
        },
        { vcpu: 0, memoryGiB: 0 },
    );
    let cpuLeft = Math.max(0, atMin.vcpu - floor.vcpu);
    let memoryLeft = Math.max(0, atMin.memoryGiB - floor.memoryGiB);
    const h = prices.hoursPerMonth;
    const lines: CostLine[] = [];
    const nodes: PoolNodes[] = [];
    for (const rate of rates) {
        const maxNodes = Math.min(
            Math.floor(rate.limitVcpu / rate.vcpu),
            Math.floor(rate.limitMemoryGiB / rate.memoryGiB),
        );
        const free = podAllocatable(rate, daemonSets);
        const minNodes = Math.min(
            maxNodes,
            Math.max(0, Math.ceil(cpuLeft / free.vcpu - 1e-9), Math.ceil(memoryLeft / free.memoryGiB - 1e-9)),
        );
        cpuLeft = Math.max(0, cpuLeft - minNodes * free.vcpu);
        memoryLeft = Math.max(0, memoryLeft - minNodes * free.memoryGiB);
        const node = rate.hourly * h + disk;
        nodes.push({ name: rate.name, min: minNodes, max: maxNodes });
        lines.push({
            component: componentOf(byUrn.get(rate.urn)!, byUrn),
            item: `NodePool ${rate.name} (${rate.spot ? "spot" : "on-demand"}, priced as ${rate.type}, ${minNodes}-${maxNodes} nodes)`,
            min: minNodes * node,
            max: maxNodes * node,
            onDemandMax: rate.spot
                ? maxNodes * (prices.row(`ec2.${rate.type}.ondemand`).usd * h + disk)
                : undefined,
            basis: `${rate.type} ${rate.spot ? "spot" : "on-demand"} $${rate.hourly}/h + ${diskGiB} GiB gp3 per node; limits ${rate.limitVcpu} vCPU, ${rate.limitMemoryGiB} GiB`,
        });
    }
    return { lines, nodes };
}

/** A node's hourly price and size: what a pod on it costs by the share of it the pod requests. */
interface NodeRate {
    hourly: number;
    size: { vcpu: number; memoryGiB: number };
}

/** Monthly cost of a pod requesting `amount`: its share of the node, by whichever of CPU and memory binds. */
const podMonthly = (node: NodeRate, amount: Amount, prices: Prices): number =>
    node.hourly *
    Math.max(amount.vcpu / node.size.vcpu, amount.memoryGiB / node.size.memoryGiB) *
    prices.hoursPerMonth;

/** The hourly rate of a managed node group's first type. */
function groupRate(group: { props: Record<string, any> }, prices: Prices): NodeRate {
    const type = group.props.instanceTypes[0];
    return {
        hourly: prices.row(`ec2.${type}.${group.props.capacityType === "SPOT" ? "spot" : "ondemand"}`).usd,
        size: INSTANCE_CAPACITY[type],
    };
}

/**
 * Per-service compute: pods priced at the per-vCPU or per-GiB rate of the node they fill, whichever
 * binds: the largest NodePool's priced type, or else the first application node group's.
 */
export function serviceCosts(
    run: ProgramRun,
    prices: Prices,
    services: DeployedService[],
    resources: PolicyResource[],
): Record<string, { min: number; max: number }> {
    const largest = poolRates(resources, prices).sort((a, b) => b.limitVcpu - a.limitVcpu)[0];
    const group = applicationNodeGroups(run.resources.map((r) => ({ ...r, props: r.inputs })))[0];
    const node: NodeRate | undefined = largest
        ? { hourly: largest.hourly, size: INSTANCE_CAPACITY[largest.type] }
        : group
          ? groupRate(group, prices)
          : undefined;
    if (!node) return {};
    const pod = (s: DeployedService) =>
        podMonthly(node, { vcpu: cores(s.requests.cpu), memoryGiB: gibibytes(s.requests.memory) }, prices);
    return Object.fromEntries(
        services.map((s) => [s.name, { min: pod(s) * s.minReplicas, max: pod(s) * s.maxReplicas }]),
    );
}

/**
 * Per-add-on compute (the EKS add-ons' pods included): its system pods at the system node group's
 * rate, its DaemonSet pods on every node at that node's rate, the nodes counted at minimum and
 * maximum scale (the system group at its desired and maximum size, application groups at their
 * minimum and maximum, each NodePool's nodes as the pool lines count them). A share of the node
 * lines, not a cost of its own.
 */
export function addonCosts(
    prices: Prices,
    resources: PolicyResource[],
    poolNodes: PoolNodes[],
): Record<string, { min: number; max: number }> {
    const records = platformFootprints(resources);
    const costs: Record<string, { min: number; max: number }> = {};
    const add = (addon: string, min: number, max: number) => {
        costs[addon] ??= { min: 0, max: 0 };
        costs[addon].min += min;
        costs[addon].max += max;
    };
    const system = systemNodeGroup(resources);
    const nodeSets: { rate: NodeRate; min: number; max: number }[] = [];
    if (system) {
        const rate = groupRate(system, prices);
        nodeSets.push({
            rate,
            min: Number(system.props.scalingConfig?.desiredSize ?? 0),
            max: Number(system.props.scalingConfig?.maxSize ?? 0),
        });
        for (const pod of systemPods(records)) {
            const monthly = podMonthly(rate, pod, prices);
            add(pod.addon, monthly, monthly);
        }
    }
    for (const group of applicationNodeGroups(resources)) {
        nodeSets.push({
            rate: groupRate(group, prices),
            min: Number(group.props.scalingConfig?.minSize ?? 0),
            max: Number(group.props.scalingConfig?.maxSize ?? 0),
        });
    }
    for (const rate of poolRates(resources, prices)) {
        const nodes = poolNodes.find((n) => n.name === rate.name);
        if (nodes)
            nodeSets.push({
                rate: { hourly: rate.hourly, size: INSTANCE_CAPACITY[rate.type] },
                min: nodes.min,
                max: nodes.max,
            });
    }
    for (const pod of perNodeDaemonSets(records).pods) {
        add(
            pod.addon,
            ...nodeSets.reduce<[number, number]>(
                ([min, max], set) => {
                    const monthly = podMonthly(set.rate, pod, prices);
                    return [min + monthly * set.min, max + monthly * set.max];
                },
                [0, 0],
            ),
        );
    }
    return costs;
}
