/** The pricing table (pricing/aws-prices.json): every row sourced and dated; a missing row is an error, never a zero. */
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "../harness";

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
    constructor(
        private readonly table: PricingTable,
        private readonly region: string,
    ) {}
    get hoursPerMonth(): number {
        return this.table.hoursPerMonth;
    }
    row(key: string): PriceRow {
        const row = this.table.rows.find((r) => r.key === key && r.region === this.region);
        if (!row) {
            throw new MissingPriceError(
                `The pricing table (pricing/aws-prices.json) has no row ${key} for ${this.region}: add it with its source and date`,
            );
        }
        return row;
    }
    /** Monthly cost of `count` units of an hourly-priced dimension. */
    monthly(key: string, count = 1): number {
        const row = this.row(key);
        return row.unit === "hour" ? row.usd * this.table.hoursPerMonth * count : row.usd * count;
    }
}
