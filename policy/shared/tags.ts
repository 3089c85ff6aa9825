/** The cost-allocation schema: AWS tag keys and the Kubernetes labels that mirror them. */

/** The cost-allocation tag keys every taggable AWS resource carries. */
export const REQUIRED_TAG_KEYS = ["Project", "Environment", "CostCenter", "Owner", "ManagedBy"] as const;

/** Prefix of the Kubernetes labels that mirror the cost tags on namespaces and pods. */
export const COST_LABEL_PREFIX = "cost.tacos.io/";

/** Cost labels every namespace and workload carries. */
export const REQUIRED_COST_LABELS = ["project", "environment", "cost-center", "owner"] as const;

/** The label key mirroring a tag key: `CostCenter` becomes `cost.tacos.io/cost-center`. */
export function costLabelKey(tagKey: string): string {
    return `${COST_LABEL_PREFIX}${tagKey.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase()}`;
}
