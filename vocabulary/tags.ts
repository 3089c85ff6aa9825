/** The cost-allocation schema: AWS tag keys and the Kubernetes labels that mirror them. */

/** The tag keys that say whose spend a resource is; namespaces and pods mirror them as labels. */
export const COST_TAG_KEYS = ["Project", "Environment", "CostCenter", "Owner"] as const;

/** The cost-allocation tag keys every taggable AWS resource carries. */
export const REQUIRED_TAG_KEYS = [...COST_TAG_KEYS, "ManagedBy"] as const;
export type TagKey = (typeof REQUIRED_TAG_KEYS)[number];

/** The tag keys AWS Billing attributes cost by: the base tags and the attribution tags (`Service`, `Component`). */
export const COST_ALLOCATION_TAG_KEYS = [...REQUIRED_TAG_KEYS, "Service", "Component"] as const;

/** Prefix of the Kubernetes labels that mirror the cost tags on namespaces and pods. */
export const COST_LABEL_PREFIX = "cost.tacos.io/";

/** The label key mirroring a tag key: `CostCenter` becomes `cost.tacos.io/cost-center`. */
export function costLabelKey(tagKey: string): string {
    return `${COST_LABEL_PREFIX}${tagKey.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase()}`;
}

/** Cost labels every namespace and workload carries (full keys). */
export const REQUIRED_COST_LABELS = COST_TAG_KEYS.map(costLabelKey);
