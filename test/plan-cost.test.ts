/** The plan's cost model: lines from the pricing table, shares per component and service, what it cannot price. */
import * as assert from "assert";
import { buildPlan, inExtendedSupport, MissingPriceError, readPricing } from "../tools/plan";
import { usePlans } from "./plans";
import { QUEUES } from "../components/aws/messaging";
import { ofType } from "../tools/harness";
import { sectionOf, STACKS } from "./stacks";

describe("plan report: cost", function () {
    this.timeout(120000);
    const plans = usePlans();

    for (const stack of STACKS) {
        describe(stack, () => {
            it("prices the control plane, node groups at min and max (spot against on-demand), NAT, endpoints, the load balancer and the data baselines", () => {
                const { lines } = plans[stack].report.cost;
                const find = (re: RegExp) => lines.filter((l) => re.test(l.item));
                assert.strictEqual(find(/^EKS control plane \(standard support\)$/).length, 1);
                assert.ok(Math.abs(find(/^EKS control plane/)[0].max - 73) < 0.01, "0.10 USD/h x 730 h");
                const groups = find(/^node group /);
                assert.strictEqual(
                    groups.length,
                    Object.keys((plans[stack].run.config["tacos:cluster"] as any).nodeGroups).length,
                );
                for (const g of groups.filter((l) => /spot/.test(l.item))) {
                    assert.ok(g.onDemandMax! > g.max * 2, `${g.item}: spot is much cheaper than on-demand`);
                }
                assert.strictEqual(find(/^NAT gateway /).length, stack === "prod" ? 3 : 1);
                const { run } = plans[stack];
                const items = (re: RegExp) => find(re).map((l) => l.item);
                assert.deepStrictEqual(
                    items(/^interface endpoint /),
                    sectionOf(run, "network").interfaceEndpoints.map(
                        (e: string) => `interface endpoint ${e}`,
                    ),
                );
                assert.strictEqual(find(/^Application Load Balancer/).length, 1);
                // The services' queues with their dead-letter queues; Karpenter's is priced on a line of its own.
                assert.deepStrictEqual(items(/^SQS /), [
                    `SQS baseline (${QUEUES.length * 2} queues)`,
                    "SQS node-autoscaling-interruption (Karpenter's long polls)",
                ]);
                assert.deepStrictEqual(
                    items(/^table /),
                    ofType(run, "aws:dynamodb/table:Table").map((t) => `table ${t.inputs.name}`),
                );
                const { redis } = sectionOf(run, "data");
                assert.deepStrictEqual(items(/^Redis /), [
                    `Redis ${redis.nodeType} x ${redis.numCacheClusters}`,
                ]);
            });

            it("attributes cost to components and to each service", () => {
                const { byComponent, byService } = plans[stack].report.cost;
                assert.ok(
                    byComponent.cluster.max > byComponent.messaging.max,
                    "compute outweighs the queues",
                );
                assert.deepStrictEqual(Object.keys(byService).sort(), [
                    "gateway-api",
                    "inventory-api",
                    "payment-sim-api",
                    "reservation-api",
                    "reservation-worker",
                ]);
                assert.ok(
                    byService["gateway-api"].max > byService["payment-sim-api"].max,
                    "the biggest service costs most",
                );
            });

            it("lists the usage neither it nor the load model prices instead of counting it as free", () => {
                const items = plans[stack].report.cost.unpriced.map((u) => u.item);
                assert.ok(items.includes("data transfer between zones"));
                assert.ok(!items.includes("ALB LCUs"), "the load model prices the LCUs");
            });

            it("prices each NodePool: the minimum replicas' nodes in the heaviest pool first, each pool at its limits at most", () => {
                const lines = plans[stack].report.cost.lines.filter((l) => l.item.startsWith("NodePool "));
                const pools = (plans[stack].run.config["tacos:karpenter"] as any).nodePools as Record<
                    string,
                    { weight: number }
                >;
                assert.strictEqual(lines.length, Object.keys(pools).length);
                const heaviest = Object.entries(pools).sort((a, b) => b[1].weight - a[1].weight)[0][0];
                assert.ok(
                    lines.find((l) => l.item.startsWith(`NodePool ${heaviest} `))!.min > 0,
                    "the minimum scale lands in the heaviest pool",
                );
                for (const l of lines) {
                    assert.ok(l.max >= l.min && l.max > 0, l.item);
                    if (/\(spot/.test(l.item))
                        assert.ok(
                            l.onDemandMax! > l.max * 2,
                            `${l.item}: spot is much cheaper than on-demand`,
                        );
                }
            });
        });
    }

    it("prices a cluster in extended support at the extended rate: past its end of standard support and not on STANDARD", () => {
        assert.strictEqual(
            inExtendedSupport("1.33", "EXTENDED", new Date("2026-11-23")),
            true,
            "1.33 ended 2026-07-29",
        );
        assert.strictEqual(
            inExtendedSupport("1.33", "STANDARD", new Date("2026-11-23")),
            false,
            "STANDARD upgrades instead",
        );
        assert.strictEqual(
            inExtendedSupport("1.35", undefined, new Date("2026-11-23")),
            false,
            "still in standard support",
        );
        assert.strictEqual(
            inExtendedSupport("1.35", undefined, new Date("2027-03-28")),
            true,
            "the day after",
        );
    });

    it("stops with a clear error on a missing pricing row", async () => {
        const table = readPricing();
        const pricing = { ...table, rows: table.rows.filter((r) => r.key !== "vpc.nat-gateway") };
        await assert.rejects(
            buildPlan("dev", undefined, pricing),
            (e: Error) =>
                e instanceof MissingPriceError &&
                /no row vpc\.nat-gateway for ap-northeast-2/.test(e.message),
        );
    });
});
