/**
 * The plan's load model: prod's month under load against hand-computed figures, an override,
 * the routes, the free types.
 */
import * as assert from "assert";
import { CATALOGUE } from "../components/apps/catalogue";
import { loadSchema } from "../components/config/load";
import { loadCostOf } from "../tools/plan/load";
import { Prices } from "../tools/plan";
import { readPricing } from "../tools/plan";
import { findProfile } from "../vocabulary/stack";
import { itRejects } from "./config-problems";
import { usePlans } from "./plans";
import { STACKS } from "./stacks";

/** AWS's GB: 2^30 bytes. */
const GB = 2 ** 30;
/** Hand-computed from prod's defaults: 30,000 RPS for 150 h, 3,000 RPS (10%) for the other 580 h of 730. */
const PEAK = 150;
const OFF = 580;
/** Every line but the control plane's logs grows with the RPS: a month is 150 h + 580 h x 10% at target. */
const TARGET_HOURS = PEAK + OFF * 0.1;
/** Seoul's prices as pricing/aws-prices.json holds them. */
const RRU = 0.1355 / 1e6;
const WRU = 0.68 / 1e6;

describe("plan report: load", function () {
    this.timeout(120000);
    const plans = usePlans();
    const lineOf = (stack: string, item: string) => {
        const line = plans[stack].report.cost.load!.lines.find((l) => l.item === item);
        assert.ok(line, `no load line ${item}`);
        return line;
    };
    const near = (actual: number, expected: number, what: string) =>
        assert.ok(Math.abs(actual - expected) < 0.01, `${what}: ${actual} is not ${expected}`);

    it("prices prod's DynamoDB requests per table from each service's share of 30,000 RPS", () => {
        // inventory-api (15,000 RPS): ticket-events 1 RRU + 1 WRU, tickets 0.5 RRU + 0.5 WRU;
        // reservation-api (15,000 RPS) and inventory-api: idempotency 0.5 RRU + 0.5 WRU each.
        const hour = (rru: number, wru: number) => 3600 * (rru * RRU + wru * WRU);
        near(
            lineOf("prod", "DynamoDB ticket-events requests").monthly,
            hour(15_000, 15_000) * TARGET_HOURS,
            "ticket-events",
        );
        near(
            lineOf("prod", "DynamoDB tickets requests").monthly,
            hour(7_500, 7_500) * TARGET_HOURS,
            "tickets",
        );
        near(
            lineOf("prod", "DynamoDB idempotency requests").monthly,
            hour(15_000, 15_000) * TARGET_HOURS,
            "idempotency",
        );
        near(
            lineOf("prod", "DynamoDB reservations requests").monthly,
            hour(7_500, 15_000) * TARGET_HOURS,
            "reservations",
        );
        near(lineOf("prod", "DynamoDB outbox requests").monthly, hour(0, 15_000) * TARGET_HOURS, "outbox");
        near(lineOf("prod", "DynamoDB orders requests").monthly, hour(1_500, 3_000) * TARGET_HOURS, "orders");
        near(lineOf("prod", "DynamoDB users requests").monthly, hour(3_000, 0) * TARGET_HOURS, "users");
        near(
            lineOf("prod", "DynamoDB tickets requests").peak,
            hour(7_500, 7_500) * PEAK,
            "tickets' peak hours",
        );
    });

    it("prices prod's events, expiries and SQS requests", () => {
        // reservation-api 15,000 x 0.5 + payment-sim-api 6,000 x 1 events/s; 1,500 expiries/s;
        // (6,000 webhooks + 3,000 worker messages) x 3 SQS requests.
        near(lineOf("prod", "EventBridge events").monthly, 13_500 * 3600 * 1e-6 * TARGET_HOURS, "events");
        near(
            lineOf("prod", "EventBridge Scheduler invocations").monthly,
            1_500 * 3600 * 1e-6 * TARGET_HOURS,
            "expiries",
        );
        near(lineOf("prod", "SQS requests").monthly, 27_000 * 3600 * 0.4e-6 * TARGET_HOURS, "SQS");
    });

    it("sends prod's DynamoDB through its gateway endpoint, SQS, events and logs through interface endpoints, the rest through NAT", () => {
        assert.deepStrictEqual(plans.prod.report.cost.load!.routes, {
            dynamodb: "gateway endpoint",
            sqs: "interface endpoint",
            events: "interface endpoint",
            scheduler: "NAT",
            logs: "interface endpoint",
            xray: "NAT",
        });
        // X-Ray: (30,000 gateway-api requests + 3,000 worker calls) x 10% head
        // x (10% + 90% x 5% slow) = 478.5 traces/s.
        const traces = 33_000 * 0.1 * (0.1 + 0.9 * 0.05);
        const nat = 7_500 * 3000 + traces * 8192; // schedule calls of 3,000 bytes, traces of 8 KiB
        near(
            lineOf("prod", "NAT gateway data processing").monthly,
            ((nat * 3600) / GB) * 0.059 * TARGET_HOURS,
            "NAT",
        );
        // Logs: 30,000 x 900 + (15,000 + 15,000 + 6,000) x 700 + 3,000 x 900, flow logs 30,000 x 20 bytes/s.
        const logs = 30_000 * 900 + 36_000 * 700 + 3_000 * 900 + 30_000 * 20;
        const endpoint = 27_000 * 3000 + 13_500 * 3000 + logs;
        near(
            lineOf("prod", "interface endpoint data processing").monthly,
            ((endpoint * 3600) / GB) * 0.01 * TARGET_HOURS,
            "interface endpoints",
        );
        near(
            lineOf("prod", "CloudWatch Logs ingestion").monthly,
            (((logs * 3600) / GB) * TARGET_HOURS + (730 * 1) / 24) * 0.76,
            "logs with 1 GiB a day of the control plane's",
        );
        near(
            lineOf("prod", "X-Ray traces").monthly,
            traces * 3600 * 1e-6 * (5 + 0.01 * 0.5) * TARGET_HOURS,
            "X-Ray",
        );
    });

    it("prices prod's ALB by its largest LCU dimension and its responses by the month's tiers", () => {
        // Processed bytes: 30,000 x (800 + 1,500) bytes x 3,600 s = 231 GB/h, above the 120 LCU
        // of new connections (3,000/s / 25).
        const lcu = (30_000 * 2300 * 3600) / GB;
        near(lineOf("prod", "ALB LCUs").monthly, lcu * 0.008 * TARGET_HOURS, "LCUs");
        const gb = (1500 * 3600 * (30_000 * PEAK + 3_000 * OFF)) / GB; // 31,382 GB
        near(
            lineOf("prod", "data transfer out to the internet").monthly,
            10_240 * 0.126 + (gb - 10_240) * 0.122,
            "egress",
        );
    });

    it("totals prod's month at minimum scale and at target load, with its five largest lines", () => {
        const { cost } = plans.prod.report;
        const load = cost.load!;
        near(load.minimumScale, cost.totalMin, "minimum scale is the lines at minimum");
        const compute = cost.lines.reduce((sum, l) => sum + l.min + ((l.max - l.min) * PEAK) / 730, 0);
        near(load.targetLoad, compute + load.lines.reduce((sum, l) => sum + l.monthly, 0), "target load");
        assert.strictEqual(load.largest.length, 5);
        assert.deepStrictEqual(
            load.largest.map((l) => l.monthly),
            [...load.largest.map((l) => l.monthly)].sort((a, b) => b - a),
        );
        assert.strictEqual(load.largest[0].item, "CloudWatch Logs ingestion");
    });

    it("follows an overridden assumption: 300 peak hours, two WRU per tickets call", () => {
        const { run, gate } = plans.prod;
        const config = {
            ...run.config,
            "tacos:load": {
                peakHoursPerMonth: 300,
                dynamodb: { "inventory-api": { tickets: { writeUnits: 2 } } },
            },
        };
        const prices = new Prices(readPricing(), "ap-northeast-2");
        const load = loadCostOf(
            { ...run, config },
            findProfile(gate.resources),
            prices,
            plans.prod.report.cost.lines,
        )!;
        const tickets = load.lines.find((l) => l.item === "DynamoDB tickets requests")!;
        // 15,000 x (0.5 x 0.1355 + 2 x 0.68) per million, over 300 h + 430 h x 10%.
        near(tickets.monthly, 15_000 * 3600 * (0.5 * RRU + 2 * WRU) * (300 + 430 * 0.1), "tickets");
        assert.strictEqual(load.offPeakHours, 430);
    });

    for (const stack of STACKS) {
        it(`${stack}: leaves no AWS resource without a price rule, and prices each alarm`, () => {
            const { report, run } = plans[stack];
            assert.deepStrictEqual(
                report.cost.unpriced.filter((u) => u.why === "no price rule"),
                [],
            );
            const alarms = run.resources.filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm");
            const lines = report.cost.lines.filter((l) => l.item.startsWith("alarm "));
            assert.strictEqual(lines.length, alarms.length);
            for (const l of lines) near(l.max, 0.1, l.item);
        });
    }

    it("sends dev's logs and events through NAT: it has no endpoint for them", () => {
        const { routes } = plans.dev.report.cost.load!;
        assert.strictEqual(routes.logs, "NAT");
        assert.strictEqual(routes.events, "NAT");
        assert.strictEqual(routes.dynamodb, "gateway endpoint");
    });

    it("assumes request units for exactly the tables each service's catalogue grants", () => {
        const assumed = loadSchema.parse({}).dynamodb as Record<string, Record<string, unknown>>;
        for (const [service, entry] of Object.entries(CATALOGUE)) {
            const granted = entry.aws.flatMap((g) => (g.kind === "dynamodb" ? g.tables : []));
            assert.deepStrictEqual(Object.keys(assumed[service] ?? {}).sort(), [...granted].sort(), service);
        }
    });

    describe("refuses a bad assumption", () => {
        itRejects([
            {
                name: "more peak hours than a month has",
                edit: (c) => (c["tacos:load"] = { peakHoursPerMonth: 800 }),
                expect: "load.peakHoursPerMonth",
            },
            {
                name: "a table its service does not use",
                edit: (c) =>
                    (c["tacos:load"] = { dynamodb: { "gateway-api": { orders: { readUnits: 1 } } } }),
                expect: "load.dynamodb.gateway-api",
            },
        ]);
    });
});
