/**
 * Rightsizing from real usage: the VerticalPodAutoscalers' recommendations (as `kubectl get vpa
 * -n tacos -o json` prints them) against the requests each service is delivered with in a stack,
 * the stack-file change that applies them, and what the change does to the monthly bill at the
 * plan's prices (each pod priced at the node it fills, at minimum and at maximum replicas).
 */
import * as fs from "fs";
import * as YAML from "yaml";
import { z } from "zod";
import { SERVICE_NAMES } from "../vocabulary/platform";
import { bytesOf, millicoresOf } from "../vocabulary/quantity";
import { DeployedService, deployedServices } from "../vocabulary/stack";
import { buildPlan, serviceCostsOf } from "./plan";
import { table } from "./table";

const quantity = z.union([z.string(), z.number()]).transform(String);
const resources = z.object({ cpu: quantity, memory: quantity }).passthrough();

/** The part of a VerticalPodAutoscaler list the tool reads (autoscaling.k8s.io/v1, VPA 1.7.1). */
const vpaListSchema = z
    .object({
        kind: z.literal("List").or(z.literal("VerticalPodAutoscalerList")),
        items: z.array(
            z
                .object({
                    kind: z.literal("VerticalPodAutoscaler"),
                    metadata: z.object({ name: z.string(), namespace: z.string().optional() }).passthrough(),
                    spec: z
                        .object({ targetRef: z.object({ kind: z.string(), name: z.string() }).passthrough() })
                        .passthrough(),
                    status: z
                        .object({
                            recommendation: z
                                .object({
                                    containerRecommendations: z
                                        .array(
                                            z
                                                .object({
                                                    containerName: z.string(),
                                                    target: resources,
                                                    lowerBound: resources.optional(),
                                                    upperBound: resources.optional(),
                                                })
                                                .passthrough(),
                                        )
                                        .optional(),
                                })
                                .passthrough()
                                .optional(),
                        })
                        .passthrough()
                        .optional(),
                })
                .passthrough(),
        ),
    })
    .passthrough();

export type VpaList = z.input<typeof vpaListSchema>;

/** One service's line of the report. */
export interface RightsizeLine {
    service: string;
    current: { cpu: string; memory: string };
    /** The VPA's target, rounded up to 10m CPU and 1 MiB; undefined when it has none yet. */
    recommended?: { cpu: string; memory: string };
    /** Monthly cost of the service's pods today and with the recommendation, at min and max replicas (USD). */
    monthly?: { current: { min: number; max: number }; recommended: { min: number; max: number } };
    why?: string;
}

export interface RightsizeReport {
    stack: string;
    lines: RightsizeLine[];
    /** The stack file's change: `tacos:performanceProfile` with each recommended service's requests. */
    stackFileChange?: string;
}

/** A VPA list read from a file; one error naming what is wrong when it is not one. */
export function readVpaList(file: string): z.output<typeof vpaListSchema> {
    let raw: unknown;
    try {
        raw = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new Error(
            `${file}: not JSON (kubectl get vpa -n tacos -o json prints it): ${(e as Error).message}`,
        );
    }
    const result = vpaListSchema.safeParse(raw);
    if (!result.success) {
        throw new Error(
            `${file} is not a VerticalPodAutoscaler list: ${result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`,
        );
    }
    return result.data;
}

/** CPU rounded up to 10 millicores, as a quantity. */
export function roundCpu(q: string): string {
    return `${Math.max(10, Math.ceil(millicoresOf(q) / 10) * 10)}m`;
}

/** Memory rounded up to a whole MiB, as a quantity (VPA prints bytes, `250Mi` or `262144k`). */
export function roundMemory(q: string): string {
    return `${Math.max(1, Math.ceil(bytesOf(q) / 2 ** 20))}Mi`;
}

/** The report of a stack against a VPA list. */
export async function rightsize(
    stack: string,
    vpas: z.output<typeof vpaListSchema>,
): Promise<RightsizeReport> {
    const { run, gate } = await buildPlan(stack);
    const delivered = deployedServices(gate.resources);
    const lines: RightsizeLine[] = SERVICE_NAMES.map((service) => {
        const today = delivered.find((s) => s.name === service);
        if (!today)
            return { service, current: { cpu: "?", memory: "?" }, why: "not delivered in this stack" };
        // A copy of the delivered requests, detached from the program run's objects.
        const current = { cpu: today.requests.cpu, memory: today.requests.memory };
        const vpa = vpas.items.find((v) => v.spec.targetRef.name === service);
        const target = vpa?.status?.recommendation?.containerRecommendations?.find(
            (c) => c.containerName === service,
        )?.target;
        if (!target)
            return {
                service,
                current,
                why: vpa
                    ? "the VPA has no recommendation yet (it needs some hours of usage)"
                    : "no VerticalPodAutoscaler for it in the file",
            };
        const recommended = { cpu: roundCpu(target.cpu), memory: roundMemory(target.memory) };
        const resized: DeployedService = { ...today, requests: recommended };
        const costs = serviceCostsOf(
            run,
            gate,
            [today, resized].map((s, i) => ({ ...s, name: `${service}#${i}` })),
        );
        return {
            service,
            current,
            recommended,
            monthly: { current: costs[`${service}#0`], recommended: costs[`${service}#1`] },
        };
    });
    const changed = lines.filter(
        (l) =>
            l.recommended &&
            (l.recommended.cpu !== l.current.cpu || l.recommended.memory !== l.current.memory),
    );
    const stackFileChange =
        changed.length === 0
            ? undefined
            : YAML.stringify({
                  config: {
                      "tacos:performanceProfile": {
                          services: Object.fromEntries(
                              changed.map((l) => [l.service, { requests: l.recommended }]),
                          ),
                      },
                  },
              });
    return { stack, lines, stackFileChange };
}

const usd = (n: number) => `$${Math.round(n).toLocaleString("en-US")}`;
const signed = (n: number) => `${n >= 0 ? "+" : "-"}${usd(Math.abs(n))}`;

/** The report as the command prints it. */
export function formatRightsize(r: RightsizeReport): string {
    const rows = r.lines.map((l) => [
        l.service,
        `${l.current.cpu} / ${l.current.memory}`,
        l.recommended ? `${l.recommended.cpu} / ${l.recommended.memory}` : "-",
        l.monthly
            ? `${signed(l.monthly.recommended.min - l.monthly.current.min)} (min), ${signed(l.monthly.recommended.max - l.monthly.current.max)} (max)`
            : (l.why ?? ""),
    ]);
    const out = [
        `Rightsizing, stack ${r.stack}: requests (CPU / memory) against the VPA's target, and the monthly difference at min and max replicas`,
        "",
        table(["service", "today", "recommended", "monthly difference"], rows, { alignNumbers: false }),
    ];
    out.push(
        "",
        r.stackFileChange
            ? `Apply in Pulumi.${r.stack}.yaml (merge into config):\n\n${r.stackFileChange}`
            : "Nothing to change: every recommendation equals today's requests.",
    );
    return out.join("\n");
}
