/** The ResourceQuota and container limits of an add-on namespace, from the footprints of the add-ons there. */
import { computeContainerLimits, computeQuota, SizedService } from "../quota";
import type { AddonDeclaration, WorkloadFootprint } from "./addon";
import type { Registry } from "./registry";

/** Extra pods a platform workload's update may start (a Deployment's default surge, rounded up). */
const PLATFORM_SURGE_PERCENT = 25;

/** A namespace's quota and the limits of a container that sets none. */
export interface NamespaceQuota {
    quota: Record<string, string>;
    containerLimits: ReturnType<typeof computeContainerLimits>;
}

/**
 * The quota and container limits of each namespace whose workloads are all counted (no add-on
 * there says why it has none, none runs on every node): their pods at their replicas while they
 * roll, plus the stack's quota headroom.
 */
export function addonQuotas(
    registry: Registry,
    order: AddonDeclaration[],
    footprints: Record<string, WorkloadFootprint[]>,
    headroomPercent: number,
): Record<string, NamespaceQuota> {
    const byNamespace: Record<string, { workloads: WorkloadFootprint[]; complete: boolean }> = {};
    for (const d of order) {
        const entry = (byNamespace[d.namespace.name] ??= { workloads: [], complete: true });
        const workloads = footprints[d.name];
        entry.complete &&=
            registry[d.name].noQuota === undefined && workloads.every((w) => w.replicas !== "every-node");
        entry.workloads.push(...workloads);
    }
    return Object.fromEntries(
        Object.entries(byNamespace)
            .filter(([, e]) => e.complete && e.workloads.length > 0)
            .map(([ns, e]) => {
                const sized: SizedService[] = e.workloads.map((w) => ({
                    resources: w.resources,
                    maxReplicas: w.replicas as number,
                    maxSurgePercent: PLATFORM_SURGE_PERCENT,
                }));
                return [
                    ns,
                    {
                        quota: computeQuota(sized, headroomPercent),
                        containerLimits: computeContainerLimits(sized),
                    },
                ];
            }),
    );
}
