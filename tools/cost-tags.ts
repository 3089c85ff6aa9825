/**
 * Whether AWS Billing attributes cost by the stack's tags: the cost allocation tags' status, as
 * `aws ce list-cost-allocation-tags` reports it with the management account's (or a standalone
 * account's) credentials. AWS Budgets and Cost Anomaly Detection ignore a tag until it is active,
 * so the stack's budget and anomaly monitor stay silent while any key here is not.
 */
import { spawnSync } from "child_process";
import { z } from "zod";
import { COST_ALLOCATION_TAG_KEYS } from "../vocabulary/tags";

/** Cost Explorer's API is served from us-east-1 whatever the stack's region. */
const COST_EXPLORER_REGION = "us-east-1";

/** A key's status: as Billing lists it, or `unseen` when Billing has not yet seen it on a resource. */
export interface TagStatus {
    key: string;
    status: "Active" | "Inactive" | "unseen";
}

const listing = z.object({
    CostAllocationTags: z.array(z.object({ TagKey: z.string(), Status: z.enum(["Active", "Inactive"]) })),
});

/** Each cost tag key's status in the output of `aws ce list-cost-allocation-tags --output json`. */
export function tagStatuses(output: string): TagStatus[] {
    let parsed: z.infer<typeof listing>;
    try {
        parsed = listing.parse(JSON.parse(output));
    } catch {
        throw new Error(`aws ce list-cost-allocation-tags printed no tag listing: ${output.slice(0, 200)}`);
    }
    return COST_ALLOCATION_TAG_KEYS.map((key) => ({
        key,
        status: parsed.CostAllocationTags.find((t) => t.TagKey === key)?.Status ?? "unseen",
    }));
}

/** Runs the AWS CLI's listing of the cost tag keys, with `profile` when given. */
export function listCostAllocationTags(profile?: string): string {
    const args = [
        "ce",
        "list-cost-allocation-tags",
        "--region",
        COST_EXPLORER_REGION,
        "--output",
        "json",
        "--tag-keys",
        ...COST_ALLOCATION_TAG_KEYS,
        ...(profile ? ["--profile", profile] : []),
    ];
    const run = spawnSync("aws", args, { encoding: "utf8" });
    if (run.error) {
        throw new Error(`cannot run the AWS CLI (${run.error.message}): install it and put it on PATH`);
    }
    if (run.status !== 0) {
        throw new Error(
            `aws ${args.join(" ")} failed: ${run.stderr.trim().split("\n").pop()} (only the organisation's management account, or a standalone account, may list cost allocation tags)`,
        );
    }
    return run.stdout;
}

/** The report for a person, and whether every key is active. */
export function formatTagStatuses(statuses: TagStatus[]): { text: string; allActive: boolean } {
    const inactive = statuses.filter((s) => s.status === "Inactive").map((s) => s.key);
    const unseen = statuses.filter((s) => s.status === "unseen").map((s) => s.key);
    const lines = statuses.map((s) => `  ${s.key}: ${s.status}`);
    if (inactive.length > 0) {
        const entries = inactive.map((key) => `TagKey=${key},Status=Active`).join(" ");
        lines.push(
            `Not active: ${inactive.join(", ")}. Activate them with the management account's credentials:`,
            `  aws ce update-cost-allocation-tags-status --region ${COST_EXPLORER_REGION} --cost-allocation-tags-status ${entries}`,
        );
    }
    if (unseen.length > 0) {
        lines.push(
            `Not yet seen by Billing: ${unseen.join(", ")}. A key is listed up to 24 hours after a resource first carries it; run this again then.`,
        );
    }
    const allActive = inactive.length === 0 && unseen.length === 0;
    lines.push(
        allActive
            ? "Every cost tag is active: the budget and the anomaly monitor see the stack's spend."
            : "Until every key is active, the stack's budget and anomaly monitor see none of its spend.",
    );
    return { text: lines.join("\n"), allActive };
}
