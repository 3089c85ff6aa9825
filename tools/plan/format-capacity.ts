/** The capacity part of the report as a person reads it: services, cluster, system nodes, worker, scale-up. */
import { podNames } from "../../vocabulary/footprint";
import { table } from "../table";
import type { PlanReport } from "./report";

type Capacity = PlanReport["capacity"];

/** Each service's capacity against its share of the target, and the cluster's requests against what it offers. */
function servicesText(c: Capacity): string[] {
    return [
        "",
        `Capacity: target ${c.targetRps.toLocaleString("en-US")} RPS + ${c.headroomPercent}% headroom`,
        table(
            ["service", "max pods", "RPS/pod", "capacity", "needed", "headroom"],
            c.services.map((s) => [
                s.service,
                String(s.maxReplicas),
                String(s.rpsPerPod),
                String(s.capacityRps),
                String(Math.round(s.neededRps)),
                `${s.headroomPercent}%`,
            ]),
        ),
        `Cluster at max scale: ${c.cluster.requestedVcpu.toFixed(1)} of ${c.cluster.allocatableVcpu.toFixed(1)} allocatable vCPU, ${c.cluster.requestedMemoryGiB.toFixed(1)} of ${c.cluster.allocatableMemoryGiB.toFixed(1)} allocatable GiB requested`,
        `  from ${c.cluster.sources.map((s) => `${s.kind} ${s.name} (${s.vcpu} vCPU, ${s.memoryGiB} GiB)`).join(", ") || "no application capacity"}`,
    ];
}

/** The system node group's fit, with one node lost, and each add-on's requests on it. */
function systemText(s: NonNullable<Capacity["system"]>): string[] {
    const fits =
        s.unplaced.length === 0
            ? "holds every platform pod"
            : `CANNOT hold ${s.unplaced.length} pod(s): ${podNames(s.unplaced).join(", ")}`;
    return [
        "",
        `System node group ${s.group}: ${s.desiredSize} x ${s.instanceType} (up to ${s.maxSize}) ${fits}; it needs ${s.nodesNeeded ?? "more than one node a pod"} node(s)`,
        `  requested ${s.demand.vcpu.toFixed(2)} vCPU, ${s.demand.memoryGiB.toFixed(1)} GiB of ${(s.perNode.vcpu * s.desiredSize).toFixed(2)} vCPU, ${(s.perNode.memoryGiB * s.desiredSize).toFixed(1)} GiB left after kubelet and the DaemonSets (${s.daemonSets.vcpu.toFixed(2)} vCPU, ${(s.daemonSets.memoryGiB * 1024).toFixed(0)} MiB a node)`,
        `  with one node lost: ${s.unplacedWithOneNodeLost.length === 0 ? "every pod still has a node" : `no node for ${s.unplacedWithOneNodeLost.join(", ")}`}`,
        table(
            ["add-on (system pods)", "vCPU", "GiB"],
            Object.entries(s.byAddon)
                .sort((a, b) => b[1].vcpu - a[1].vcpu)
                .map(([a, v]) => [a, v.vcpu.toFixed(2), v.memoryGiB.toFixed(2)]),
        ),
    ];
}

/** The scale-up from minimum to the target with headroom, per service. */
function timelineText(t: NonNullable<Capacity["timeline"]>): string[] {
    return [
        "",
        `Scale-up from minimum to target + headroom: ${t.totalSeconds} s (objective ${t.objectiveSeconds} s${t.slowest ? `; slowest ${t.slowest}` : ""})`,
        `  assumptions: metrics delay ${t.assumptions.metricsDelaySeconds} s, node launch ${t.assumptions.nodeLaunchSeconds} s, node agents ${t.assumptions.nodeAgentsReadySeconds} s`,
        table(
            ["service", "from", "to", "steps", "first decision", "last decision", "ready"],
            t.services.map((s) => [
                s.service,
                String(s.fromReplicas),
                String(s.toReplicas),
                String(s.steps.length),
                `${s.firstDecisionSeconds} s`,
                `${s.lastDecisionSeconds} s`,
                `${s.readySeconds} s`,
            ]),
        ),
        ...t.unknown.map((u) => `  ${u.service}: not timed: ${u.why}`),
    ];
}

/** Each service with the largest zone lost, the room for its replacements, and the system nodes left. */
function zoneLostText(z: NonNullable<Capacity["zoneLost"]>, c: Capacity): string[] {
    return [
        "",
        `With the largest of ${z.zones.length} zone(s) lost at max scale (${z.zones.join(", ")}):`,
        table(
            ["service", "pods left", "capacity", "needed", "spread", "recovers in"],
            z.services.map((s) => [
                s.service,
                String(s.podsLeft),
                String(s.capacityRps),
                String(Math.round(s.demandRps)),
                s.spread.enforced ? `max skew ${s.spread.maxSkew}` : "not enforced",
                `${s.recoverSeconds} s`,
            ]),
        ),
        `  replacing the lost zone's pods while its nodes still count against the NodePools' limits: ${z.withReplacements.vcpu.toFixed(1)} of ${c.cluster.allocatableVcpu.toFixed(1)} allocatable vCPU, ${z.withReplacements.memoryGiB.toFixed(1)} of ${c.cluster.allocatableMemoryGiB.toFixed(1)} GiB`,
        ...(z.system
            ? [
                  `  system nodes lost: ${z.system.nodesLost}; ${z.system.unplaced.length === 0 ? "every platform pod still has a node" : `no node for ${z.system.unplaced.join(", ")} until the group replaces them`}`,
              ]
            : []),
    ];
}

/** The capacity part of the report, as lines. */
export function capacityText(c: Capacity): string[] {
    return [
        ...servicesText(c),
        ...(c.system ? systemText(c.system) : []),
        `Worker drain at max scale: ${c.worker.drainPerSecond} messages/s against ${Math.round(c.worker.expectedEventsPerSecond)} expected events/s`,
        ...(c.timeline ? timelineText(c.timeline) : []),
        ...(c.zoneLost ? zoneLostText(c.zoneLost, c) : []),
    ];
}
