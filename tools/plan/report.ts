/** The plan report's shape: inventory, policy verdicts, cost lines, capacity. */
import type { Amount, SystemCapacity } from "../../vocabulary/footprint";
import type { StackScaleUpTimeline } from "../../vocabulary/stack";
import type { CapacitySource } from "../../vocabulary/capacity";
import type { ServiceZoneLoss } from "../../vocabulary/zone-loss";
import type { Violation } from "../policy-gate";
import type { TeardownReport } from "./teardown";
import type { LoadApi, Route } from "./load-usage";

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
    policy: {
        mandatory: number;
        advisory: number;
        byPolicy: Record<string, { enforcementLevel: string; violations: number }>;
        /** Every violation with its message and the URN it names, as the gate reports it. */
        violations: Violation[];
    };
    cost: {
        currency: string;
        lines: CostLine[];
        byComponent: Record<string, { min: number; max: number }>;
        byService: Record<string, { min: number; max: number }>;
        /** Each add-on's (and EKS add-on's) share of the node lines: its system pods and its DaemonSet pods on every node. */
        byAddon: Record<string, { min: number; max: number }>;
        totalMin: number;
        totalMax: number;
        unpriced: { item: string; why: string }[];
        /** The month under the PerformanceProfile's load (load.ts); undefined without a profile. */
        load?: LoadCost;
    };
    capacity: {
        targetRps: number;
        headroomPercent: number;
        services: ServiceCapacity[];
        /** Requests at max replicas against the application capacity (NodePool limits, node groups at their maximum). */
        cluster: {
            requestedVcpu: number;
            requestedMemoryGiB: number;
            nodeVcpu: number;
            nodeMemoryGiB: number;
            /** What pods can request of it (vocabulary/stack.ts applicationCapacity). */
            allocatableVcpu: number;
            allocatableMemoryGiB: number;
            sources: CapacitySource[];
        };
        worker: { drainPerSecond: number; expectedEventsPerSecond: number };
        /** The system node group against the platform's pods; undefined without one of a known type. */
        system?: Omit<SystemCapacity, "pods"> & {
            /** What each add-on's system pods request. */
            byAddon: Record<string, Amount>;
            /** Pods without a node when one node of the desired size is lost (a zone, in a stack with a node a zone). */
            unplacedWithOneNodeLost: string[];
        };
        /** From minimum scale to the target RPS with headroom; undefined when the stack registers no profile. */
        timeline?: StackScaleUpTimeline;
        /** The largest zone lost at max scale; undefined when the stack registers no profile. */
        zoneLost?: {
            zones: string[];
            services: ServiceZoneLoss[];
            /** Requests at max replicas plus the lost zone's replacements, which the application capacity must hold. */
            withReplacements: Amount;
            /** The system nodes the zone takes, and the platform pods left without a node. */
            system?: { nodesLost: number; unplaced: string[] };
        };
    };
    /** The destroy order of what controllers act on, the controllers and the cluster (teardown.ts). */
    teardown: TeardownReport;
}

/** One request-driven line of the month: its peak hours, its off-peak hours, their sum. */
export interface LoadLine {
    item: string;
    peak: number;
    offPeak: number;
    monthly: number;
    /** What an hour at the target RPS uses. */
    basis: string;
}

/** The month under load, as the plan reports it. */
export interface LoadCost {
    targetRps: number;
    peakHours: number;
    offPeakRps: number;
    offPeakHours: number;
    /** How each AWS API the requests reach leaves the private subnets. */
    routes: Record<LoadApi, Route>;
    lines: LoadLine[];
    /** Every fixed and compute line at minimum scale, with no load. */
    minimumScale: number;
    /**
     * The fixed lines, the compute lines at maximum scale in the peak hours and at minimum the
     * rest, and every load line.
     */
    targetLoad: number;
    /** The five largest lines of the month at target load, fixed, compute and load alike. */
    largest: { item: string; monthly: number }[];
}
