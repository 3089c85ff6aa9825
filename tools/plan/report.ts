/** The plan report's shape: inventory, policy verdicts, cost lines, capacity. */

export interface CostLine {
    component: string;
    item: string;
    /** Monthly USD at the minimum and at the maximum scale. */
    min: number;
    max: number;
    /** For spot capacity: the same capacity on demand. */
    onDemandMax?: number;
    basis: string;
}

export interface ServiceCapacity {
    service: string;
    maxReplicas: number;
    rpsPerPod: number;
    capacityRps: number;
    neededRps: number;
    headroomPercent: number;
}

export interface PlanReport {
    stack: string;
    region: string;
    inventory: { total: number; byComponent: Record<string, Record<string, number>> };
    policy: { mandatory: number; advisory: number; byPolicy: Record<string, { enforcementLevel: string; violations: number }> };
    cost: {
        currency: string;
        lines: CostLine[];
        byComponent: Record<string, { min: number; max: number }>;
        byService: Record<string, { min: number; max: number }>;
        totalMin: number;
        totalMax: number;
        unpriced: { item: string; why: string }[];
    };
    capacity: {
        targetRps: number;
        headroomPercent: number;
        services: ServiceCapacity[];
        cluster: { requestedVcpu: number; requestedMemoryGiB: number; nodeVcpu: number; nodeMemoryGiB: number };
        worker: { drainPerSecond: number; expectedEventsPerSecond: number };
    };
}
