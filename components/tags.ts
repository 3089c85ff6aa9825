/**
 * The cost-allocation tag schema. Every taggable AWS resource carries the stack's
 * base tags (through the provider's `defaultTags` and explicitly), plus `Component` for the
 * platform part it belongs to or `Service` for the application service it serves.
 */
import { costLabelKey } from "../vocabulary/tags";
import type { Tags } from "./config";

/** Tags for one resource: the stack's base tags plus what it belongs to. */
export type CostTags = Record<string, string>;

/** What a resource is attributed to: a platform component or an application service. */
export type Attribution = { component: string } | { service: string };

/** Base tags plus the attribution tag (`Component` or `Service`). */
export function costTags(base: Tags, attribution: Attribution, extra: Record<string, string> = {}): CostTags {
    const owner: Record<string, string> =
        "service" in attribution ? { Service: attribution.service } : { Component: attribution.component };
    return { ...base, ...owner, ...extra };
}

/** Kubernetes label form of the cost tags (for namespaces and pods), e.g. `cost.tacos.io/cost-center`. */
export function costLabels(base: Tags, attribution: Attribution): Record<string, string> {
    const labels: Record<string, string> = {};
    for (const [key, value] of Object.entries(costTags(base, attribution))) {
        labels[costLabelKey(key)] = value.replace(/[^A-Za-z0-9_.-]/g, "-").slice(0, 63);
    }
    return labels;
}
