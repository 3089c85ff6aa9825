/**
 * The stack schema's pull-request section: what the pull-request workflow's plan comparison
 * (`npm run plan -- --stack <name> --against <git-ref>`) holds a change to. The program creates
 * nothing from it; the comparison reads it from the working tree's stack file.
 */
import { z } from "zod";

/** A monthly amount in USD a change may add to one of the plan's totals. */
const limit = (what: string) => z.number().min(0).max(10_000_000).describe(what);

/**
 * One limit per monthly total of the plan, because the three answer different questions and a
 * change can move one alone: the floor paid when idle, the ceiling the autoscalers may reach, the
 * month the load model expects. Each is required: a stack says what it accepts, nothing is assumed.
 */
export const costIncreaseLimitSchema = z
    .strictObject({
        minimumScale: limit(
            "Monthly USD the total at minimum scale (every fixed line, every node group and pod at its minimum) may rise by.",
        ),
        maximumScale: limit(
            "Monthly USD the total at maximum scale (every autoscaler at its maximum all month) may rise by.",
        ),
        targetLoad: limit(
            "Monthly USD the total at target load (the load model's month: the PerformanceProfile's targetRps in the peak hours, the off-peak share the rest) may rise by.",
        ),
    })
    .describe(
        "The largest monthly cost increase a change may bring, per total of the plan; a larger one fails the pull request's plan check. 0 fails any increase.",
    );

/** What the pull-request workflow's plan comparison holds a change to. */
export const pullRequestSchema = z.strictObject({
    costIncreaseLimitUsd: costIncreaseLimitSchema,
});

/** The cost limits, one per total. */
export type CostIncreaseLimit = z.output<typeof costIncreaseLimitSchema>;
