/**
 * The stack schema's node autoscaling section: Karpenter's NodePools for the applications, their
 * limits, and how and when their nodes may be disrupted. Field formats are those the Karpenter
 * 1.14.1 CRDs accept (karpenter.sh_nodepools.yaml), so a stack file is refused here rather than by
 * the API server halfway through an update.
 */
import { z } from "zod";
import { INSTANCE_CAPACITY } from "../../vocabulary/instances";
import { int, name } from "../../vocabulary/schema-fields";

/** NodePool `expireAfter` and `consolidateAfter` (CRD pattern). */
const nodeDuration = z
    .string()
    .regex(/^(([0-9]+(s|m|h))+|Never)$/, "must be a duration such as 30s, 10m, 720h (or Never)");
/** NodePool `terminationGracePeriod` (CRD pattern). */
const gracePeriod = z.string().regex(/^([0-9]+(s|m|h))+$/, "must be a duration such as 30m or 24h");
/** Disruption budget `duration` (CRD pattern: hours and minutes only). */
const budgetDuration = z
    .string()
    .regex(/^((([0-9]+(h|m))|([0-9]+h[0-9]+m))(0s)?)$/, "must be hours and minutes such as 4h, 30m or 2h30m");
/** Disruption budget `nodes` (CRD pattern). */
const budgetNodes = z
    .string()
    .regex(/^((100|[0-9]{1,2})%|[0-9]+)$/, "must be a node count such as 3 or a percentage such as 10%");
/** A five-field cron schedule in UTC (Karpenter has no time zones). */
const cronSchedule = z
    .string()
    .regex(
        /^(\S+\s+){4}\S+$/,
        "must be a five-field cron schedule (minute hour day-of-month month day-of-week), in UTC",
    )
    .refine(
        (s) =>
            s
                .trim()
                .split(/\s+/)
                .every((field) => /^[0-9A-Za-z*,/-]+$/.test(field)),
        { message: "must use only digits, names, * , / and - in its fields" },
    );

const nodePoolSchema = z
    .strictObject({
        capacityTypes: z
            .array(z.enum(["spot", "on-demand"]))
            .min(1)
            .describe(
                "Capacity types the pool may launch; with both, Karpenter prefers spot and falls back to on-demand.",
            ),
        instanceTypes: z
            .array(
                z
                    .string()
                    .regex(
                        /^[a-z][a-z0-9-]*\.[a-z0-9]+$/,
                        "must be an EC2 instance type such as m7g.2xlarge",
                    ),
            )
            .min(1, "must list at least one instance type")
            .describe(
                "Instance types the pool may launch: Graviton (arm64) types from the platform's instance table, which the plan prices.",
            ),
        weight: int(1, 100).describe(
            "Preference among pools: Karpenter tries a heavier pool first, until its limits are reached.",
        ),
        limits: z
            .strictObject({
                cpu: int(1, 100_000).describe("Most vCPU the pool's nodes may have in total."),
                memoryGiB: int(1, 1_000_000).describe(
                    "Most memory (GiB) the pool's nodes may have in total.",
                ),
            })
            .describe("The pool's ceiling: what the plan counts as its capacity."),
    })
    .superRefine((pool, ctx) => {
        pool.instanceTypes.forEach((type, i) => {
            const capacity = INSTANCE_CAPACITY[type];
            if (!capacity) {
                ctx.addIssue({
                    code: "custom",
                    path: ["instanceTypes", i],
                    message: `${type} is not in the platform's instance table (vocabulary/instances.ts); add its vCPU and memory there first`,
                });
            } else if (capacity.architecture !== "arm64") {
                ctx.addIssue({
                    code: "custom",
                    path: ["instanceTypes", i],
                    message: `${type} is ${capacity.architecture}: the application nodes run the arm64 (Graviton) AMI`,
                });
            }
        });
        if (pool.capacityTypes.includes("spot") && new Set(pool.instanceTypes).size < 3) {
            ctx.addIssue({
                code: "custom",
                path: ["instanceTypes"],
                message:
                    "must list at least 3 instance types when the pool runs spot: one spot pool alone is interrupted together",
            });
        }
        const largest = Math.max(...pool.instanceTypes.map((t) => INSTANCE_CAPACITY[t]?.vcpu ?? 0));
        if (largest > pool.limits.cpu) {
            ctx.addIssue({
                code: "custom",
                path: ["limits", "cpu"],
                message: `must be at least ${largest}, the vCPU of the pool's largest instance type, or that type can never launch`,
            });
        }
        if (new Set(pool.capacityTypes).size !== pool.capacityTypes.length) {
            ctx.addIssue({
                code: "custom",
                path: ["capacityTypes"],
                message: "must not repeat a capacity type",
            });
        }
    });

export const karpenterSchema = z.strictObject({
    nodePools: z
        .record(name, nodePoolSchema)
        .refine((pools) => Object.keys(pools).length > 0, { message: "must define at least one NodePool" })
        .describe("Karpenter NodePools for the applications, by name (all share one EC2NodeClass)."),
    rootVolumeGiB: int(20, 1000)
        .default(50)
        .describe("Root volume of every application node (gp3, encrypted)."),
    consolidateAfter: nodeDuration
        .default("1m")
        .describe("How long a node must be empty or underutilized before Karpenter consolidates it."),
    expireAfter: nodeDuration
        .default("720h")
        .describe(
            "Most a node lives before it is replaced (forceful: disruption budgets do not hold it back, PodDisruptionBudgets do).",
        ),
    terminationGracePeriod: gracePeriod
        .default("24h")
        .describe("Most a node may take to drain before its remaining pods are deleted."),
    disruptionBudget: budgetNodes
        .default("10%")
        .describe("Most nodes of a pool voluntarily disrupted at once (drift, consolidation)."),
    peakWindow: z
        .strictObject({
            schedule: cronSchedule.describe("When the peak starts (cron, UTC)."),
            duration: budgetDuration.describe("How long it lasts."),
        })
        .optional()
        .describe("The stack's peak: no voluntary disruption (drift, consolidation) while it lasts."),
});

export type KarpenterConfig = z.output<typeof karpenterSchema>;
export type NodePoolConfig = z.output<typeof nodePoolSchema>;
