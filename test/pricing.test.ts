/** The pricing table (pricing/aws-prices.json): each row sourced, dated and for a region a stack uses. */
import * as assert from "assert";
import { readStackConfig } from "../tools/harness";
import { readPricing } from "../tools/plan";
import { STACKS } from "./stacks";

/**
 * The AWS price page each priced dimension is read from, by key or by the key's service prefix,
 * as the table's rows name them.
 */
const PRICE_PAGES: Record<string, string> = {
    eks: "aws.amazon.com/eks/pricing",
    ec2: "aws.amazon.com/ec2/pricing/on-demand",
    ebs: "aws.amazon.com/ebs/pricing",
    vpc: "aws.amazon.com/vpc/pricing",
    "vpc.interface-endpoint": "aws.amazon.com/privatelink/pricing",
    elb: "aws.amazon.com/elasticloadbalancing/pricing",
    sqs: "aws.amazon.com/sqs/pricing",
    dynamodb: "aws.amazon.com/dynamodb/pricing/on-demand",
    elasticache: "aws.amazon.com/elasticache/pricing",
    kms: "aws.amazon.com/kms/pricing",
    secretsmanager: "aws.amazon.com/secrets-manager/pricing",
    events: "aws.amazon.com/eventbridge/pricing",
    privatelink: "aws.amazon.com/privatelink/pricing",
    cloudwatch: "aws.amazon.com/cloudwatch/pricing",
    xray: "aws.amazon.com/xray/pricing",
    transfer: "aws.amazon.com/ec2/pricing/on-demand",
};

/** The spot estimate the table states: on-demand x 0.35, to four decimal places. */
const SPOT_SHARE = 0.35;

describe("pricing table", () => {
    const table = readPricing();

    it("names, for every published price, the AWS price page of its service, its region and the day it was read", () => {
        for (const row of table.rows.filter((r) => !r.key.endsWith(".spot"))) {
            const page = PRICE_PAGES[row.key] ?? PRICE_PAGES[row.key.split(".")[0]];
            assert.ok(page, `${row.key}: no price page known for its service`);
            assert.match(row.date, /^\d{4}-\d{2}-\d{2}$/, row.key);
            assert.ok(
                row.source.startsWith(`AWS public pricing page ${page}`),
                `${row.key}: ${row.source} should name ${page}`,
            );
            assert.ok(
                row.source.includes(`, ${row.region}; transcribed ${row.date} `),
                `${row.key}: ${row.source}`,
            );
        }
    });

    it("derives a spot price from every EC2 type's on-demand price in its region, as its source says", () => {
        const spot = table.rows.filter((r) => r.key.endsWith(".spot"));
        const pairs = (rows: typeof spot, suffix: RegExp) =>
            rows.map((r) => `${r.key.replace(suffix, "")} ${r.region}`).sort();
        assert.deepStrictEqual(
            pairs(spot, /\.spot$/),
            pairs(
                table.rows.filter((r) => /^ec2\..*\.ondemand$/.test(r.key)),
                /\.ondemand$/,
            ),
            "one spot row for each EC2 on-demand row",
        );
        for (const row of spot) {
            assert.match(
                row.source,
                new RegExp(`^Estimate: on-demand x ${SPOT_SHARE}\\b.* in ${row.region};`),
                row.key,
            );
            const onDemand = table.rows.find(
                (r) => r.key === row.key.replace(/\.spot$/, ".ondemand") && r.region === row.region,
            );
            assert.ok(onDemand, `${row.key}: no on-demand row to derive it from`);
            assert.ok(
                Math.abs(row.usd - onDemand.usd * SPOT_SHARE) <= 0.0001,
                `${row.key}: ${row.usd} is not ${onDemand.usd} x ${SPOT_SHARE}`,
            );
        }
    });

    it("prices each dimension once per region, and only in the regions the stacks run in", () => {
        const keys = table.rows.map((r) => `${r.key} ${r.region}`);
        assert.deepStrictEqual([...new Set(keys)], keys, "a second row for a key and region is never read");
        const regions = (rows: { region: string }[]) => [...new Set(rows.map((r) => r.region))].sort();
        assert.deepStrictEqual(
            regions(table.rows),
            regions(STACKS.map((stack) => ({ region: String(readStackConfig(stack)["aws:region"]) }))),
        );
    });
});
