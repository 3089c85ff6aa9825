/**
 * The load model's arithmetic: what an hour at a given RPS uses of each request-driven AWS
 * dimension, from the stack's tacos:load assumptions, the PerformanceProfile's shares and the
 * stack's own endpoints, priced per hour. load.ts turns the hours into a month.
 */
import type { LoadConfig } from "../../components/config/load";
import { SERVICE_NAMES, ServiceName } from "../../vocabulary/platform";
import { Prices } from "./pricing";

/** AWS bills bytes in GB of 2^30 bytes. */
export const GB = 2 ** 30;

/** The AWS APIs the services' requests reach, by their endpoint service name. */
export const LOAD_APIS = ["dynamodb", "sqs", "events", "scheduler", "logs", "xray"] as const;
export type LoadApi = (typeof LOAD_APIS)[number];

/** How traffic to an AWS API leaves the private subnets. */
export type Route = "gateway endpoint" | "interface endpoint" | "NAT";

/** What the load model reads of a stack besides tacos:load. */
export interface LoadInputs {
    load: LoadConfig;
    /** tacos:observability.tracing. */
    tracing: { headSamplePercent: number; keepPercent: number };
    /** Each service's shareOfTarget in the PerformanceProfile (0 for one it does not know). */
    shares: Record<ServiceName, number>;
    /** The route to each API: its endpoint if the stack has one, else the NAT gateways. */
    routes: Record<LoadApi, Route>;
    /** Whether the VPC's flow logs go to CloudWatch Logs. */
    flowLogs: boolean;
}

/** One request-driven line: its cost for an hour at `rps` and how it was reached. */
export interface HourlyLine {
    item: string;
    hourly: (rps: number) => { usd: number; basis: string };
}

/** Whole numbers with thousands separators, for a basis. */
const n = (x: number) => Math.round(x).toLocaleString("en-US");
/** Per-second rate to per-hour millions. */
const millionsPerHour = (perSecond: number) => (perSecond * 3600) / 1e6;

/** Requests per second each service serves at `rps` (the worker: messages). */
export function serviceRps(inputs: LoadInputs, rps: number): Record<ServiceName, number> {
    return Object.fromEntries(SERVICE_NAMES.map((s) => [s, rps * inputs.shares[s]])) as Record<
        ServiceName,
        number
    >;
}

/** Request units per second of each table, summed over the services that use it. */
function tableUnits(inputs: LoadInputs, rps: number): Map<string, { reads: number; writes: number }> {
    const perService = serviceRps(inputs, rps);
    const tables = new Map<string, { reads: number; writes: number }>();
    for (const [service, use] of Object.entries(inputs.load.dynamodb)) {
        for (const [table, units] of Object.entries(
            use as Record<string, { readUnits: number; writeUnits: number }>,
        )) {
            const t = tables.get(table) ?? { reads: 0, writes: 0 };
            t.reads += perService[service as ServiceName] * units.readUnits;
            t.writes += perService[service as ServiceName] * units.writeUnits;
            tables.set(table, t);
        }
    }
    return tables;
}

/** Per second: events put on the bus, schedules fired, schedule API calls, SQS requests. */
export function messageRates(inputs: LoadInputs, rps: number) {
    const s = serviceRps(inputs, rps);
    const { events, scheduler, sqs } = inputs.load;
    const eventsPut =
        s["reservation-api"] * events["reservation-api"] + s["payment-sim-api"] * events["payment-sim-api"];
    const messages = s["payment-sim-api"] * sqs.paymentWebhooksPerRequest + s["reservation-worker"];
    return {
        eventsPut,
        invocations: s["reservation-api"] * scheduler.invocationsPerRequest,
        schedulerCalls: s["reservation-api"] * scheduler.apiCallsPerRequest,
        sqsRequests: messages * sqs.requestsPerMessage,
    };
}

/**
 * Traces per second tail sampling keeps, of the head-sampled roots (gateway-api's requests and
 * the worker's calls to reservation-api); inventory-api's own traces are dropped by the collector.
 */
export function tracesRecorded(inputs: LoadInputs, rps: number): number {
    const s = serviceRps(inputs, rps);
    const head = inputs.tracing.headSamplePercent / 100;
    const keep = inputs.tracing.keepPercent / 100;
    const slow = inputs.load.traces.slowOrErrorPercent / 100;
    return (s["gateway-api"] + s["reservation-worker"]) * head * (keep + (1 - keep) * slow);
}

/** Bytes per second the services' logs put into CloudWatch Logs (flow logs included where on). */
export function logBytes(inputs: LoadInputs, rps: number): number {
    const s = serviceRps(inputs, rps);
    const { logs } = inputs.load;
    const services = SERVICE_NAMES.reduce((sum, name) => sum + s[name] * logs.bytesPerRequest[name], 0);
    return services + (inputs.flowLogs ? rps * logs.flowLogBytesPerRequest : 0);
}

/**
 * Bytes per second to each AWS API: one call per request unit, event, schedule call and SQS
 * request (a conservative count: EventBridge's own sends to reservation-events never cross the
 * VPC); logs and kept traces by their bytes.
 */
export function apiBytes(inputs: LoadInputs, rps: number): Record<LoadApi, number> {
    const call = inputs.load.awsApiCallBytes;
    const units = [...tableUnits(inputs, rps).values()].reduce((sum, t) => sum + t.reads + t.writes, 0);
    const m = messageRates(inputs, rps);
    return {
        dynamodb: units * call,
        sqs: m.sqsRequests * call,
        events: m.eventsPut * call,
        scheduler: m.schedulerCalls * call,
        logs: logBytes(inputs, rps),
        xray: tracesRecorded(inputs, rps) * inputs.load.traces.bytesPerTrace,
    };
}

/**
 * The ALB's LCUs for an hour at `rps` of gateway-api's: the largest of AWS's four dimensions, an
 * LCU being 25 new connections a second, 3,000 active connections, 1 GB an hour processed for
 * instance and IP targets, 1,000 rule evaluations a second beyond 10 free rules per request
 * (aws.amazon.com/elasticloadbalancing/pricing, Application Load Balancer).
 */
export function albLcus(inputs: LoadInputs, rps: number): { lcus: number; dimension: string } {
    const { alb } = inputs.load;
    const requests = serviceRps(inputs, rps)["gateway-api"];
    const newConnections = requests / alb.requestsPerConnection;
    const dimensions: [string, number][] = [
        ["new connections", newConnections / 25],
        ["active connections", (newConnections * alb.connectionSeconds) / 3000],
        ["processed bytes", (requests * (alb.requestBytes + alb.responseBytes) * 3600) / GB],
        ["rule evaluations", (requests * Math.max(0, alb.rulesPerRequest - 10)) / 1000],
    ];
    const [dimension, lcus] = dimensions.reduce((a, b) => (b[1] > a[1] ? b : a));
    return { lcus, dimension };
}

/** A line priced per million of a per-second rate. */
function perMillionLine(
    item: string,
    price: number,
    rate: (rps: number) => number,
    unit: string,
): HourlyLine {
    return {
        item,
        hourly: (rps) => ({ usd: millionsPerHour(rate(rps)) * price, basis: `${n(rate(rps))} ${unit}` }),
    };
}

/** The DynamoDB lines: each table's read and write request units. */
function dynamodbLines(inputs: LoadInputs, prices: Prices): HourlyLine[] {
    const rru = prices.row("dynamodb.read-request-units").usd;
    const wru = prices.row("dynamodb.write-request-units").usd;
    return [...tableUnits(inputs, 1).keys()].map((table) => ({
        item: `DynamoDB ${table} requests`,
        hourly: (rps: number) => {
            const t = tableUnits(inputs, rps).get(table)!;
            return {
                usd: millionsPerHour(t.reads) * rru + millionsPerHour(t.writes) * wru,
                basis: `${n(t.reads)} RRU/s, ${n(t.writes)} WRU/s`,
            };
        },
    }));
}

/** The data processing line of one route: the bytes to the APIs reached through it. */
function routeLine(inputs: LoadInputs, item: string, route: Route, price: number): HourlyLine {
    return {
        item,
        hourly: (rps) => {
            const bytes = apiBytes(inputs, rps);
            const apis = LOAD_APIS.filter((a) => inputs.routes[a] === route && bytes[a] > 0);
            const gb = (apis.reduce((sum, a) => sum + bytes[a], 0) * 3600) / GB;
            return { usd: gb * price, basis: `${gb.toFixed(1)} GB/h to ${apis.join(", ") || "nothing"}` };
        },
    };
}

/** Every request-driven line priced per hour (data transfer out, tiered by the month, is in load.ts). */
export function hourlyLines(inputs: LoadInputs, prices: Prices): HourlyLine[] {
    const usd = (key: string) => prices.row(key).usd;
    const rates = (rps: number) => messageRates(inputs, rps);
    const controlPlaneGb = inputs.load.logs.controlPlaneGiBPerDay / 24; // GiB is AWS's GB
    return [
        ...dynamodbLines(inputs, prices),
        perMillionLine(
            "EventBridge events",
            usd("events.custom-events"),
            (rps) => rates(rps).eventsPut,
            "events/s",
        ),
        perMillionLine(
            "EventBridge Scheduler invocations",
            usd("events.scheduler-invocations"),
            (rps) => rates(rps).invocations,
            "expiries/s",
        ),
        perMillionLine("SQS requests", usd("sqs.requests"), (rps) => rates(rps).sqsRequests, "requests/s"),
        routeLine(inputs, "NAT gateway data processing", "NAT", usd("vpc.nat-gateway-data")),
        routeLine(
            inputs,
            "interface endpoint data processing",
            "interface endpoint",
            usd("privatelink.interface-endpoint-data"),
        ),
        {
            item: "ALB LCUs",
            hourly: (rps) => {
                const { lcus, dimension } = albLcus(inputs, rps);
                return { usd: lcus * usd("elb.alb-lcu"), basis: `${lcus.toFixed(1)} LCU (${dimension})` };
            },
        },
        {
            item: "CloudWatch Logs ingestion",
            hourly: (rps) => {
                const gb = (logBytes(inputs, rps) * 3600) / GB + controlPlaneGb;
                return {
                    usd: gb * usd("cloudwatch.logs-ingestion"),
                    basis: `${gb.toFixed(1)} GB/h (control plane ${controlPlaneGb.toFixed(2)})`,
                };
            },
        },
        {
            item: "X-Ray traces",
            hourly: (rps) => {
                const recorded = tracesRecorded(inputs, rps);
                const retrieved = (recorded * inputs.load.traces.retrievedPercent) / 100;
                return {
                    usd:
                        millionsPerHour(recorded) * usd("xray.traces-recorded") +
                        millionsPerHour(retrieved) * usd("xray.traces-retrieved"),
                    basis: `${n(recorded)} traces/s recorded`,
                };
            },
        },
    ];
}
