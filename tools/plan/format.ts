/** The report as a person reads it. */
import { podNames } from "../../vocabulary/footprint";
import { table } from "../table";
import type { PlanReport } from "./report";

const usd = (n: number) => `$${n.toLocaleString("en-US", { maximumFractionDigits: 0 })}`;

/** The report as a person reads it. */
export function formatPlan(report: PlanReport): string {
    const out: string[] = [`Plan for stack ${report.stack} (${report.region})`, ""];
    out.push(`Inventory: ${report.inventory.total} resources`);
    out.push(
        table(
            ["component", "resources", "types"],
            Object.entries(report.inventory.byComponent).map(([c, types]) => [
                c,
                String(Object.values(types).reduce((a, b) => a + b, 0)),
                Object.entries(types)
                    .sort((a, b) => b[1] - a[1])
                    .slice(0, 3)
                    .map(([t, n]) => `${t.split(":").pop()} x${n}`)
                    .join(", "),
            ]),
        ),
    );
    out.push(
        "",
        `Policy: ${report.policy.mandatory} mandatory, ${report.policy.advisory} advisory violation(s)`,
    );
    for (const [policy, v] of Object.entries(report.policy.byPolicy))
        out.push(`  ${policy} [${v.enforcementLevel}]: ${v.violations}`);
    out.push(
        "",
        `Cost (${report.cost.currency}/month): ${usd(report.cost.totalMin)} at minimum scale, ${usd(report.cost.totalMax)} at maximum`,
    );
    out.push(
        table(
            ["item", "min", "max", "on-demand max"],
            report.cost.lines.map((l) => [
                l.item,
                usd(l.min),
                usd(l.max),
                l.onDemandMax === undefined ? "" : usd(l.onDemandMax),
            ]),
        ),
    );
    out.push(
        "",
        table(
            ["component", "min", "max"],
            Object.entries(report.cost.byComponent).map(([c, v]) => [c, usd(v.min), usd(v.max)]),
        ),
    );
    out.push(
        "",
        table(
            ["service (compute share)", "min", "max"],
            Object.entries(report.cost.byService).map(([s, v]) => [s, usd(v.min), usd(v.max)]),
        ),
    );
    out.push(
        "",
        table(
            ["add-on (compute share)", "min", "max"],
            Object.entries(report.cost.byAddon)
                .sort((a, b) => b[1].max - a[1].max)
                .map(([s, v]) => [s, usd(v.min), usd(v.max)]),
        ),
    );
    out.push("", "Not priced (never counted as free):");
    for (const u of report.cost.unpriced) out.push(`  - ${u.item}: ${u.why}`);
    const c = report.capacity;
    out.push(
        "",
        `Capacity: target ${c.targetRps.toLocaleString("en-US")} RPS + ${c.headroomPercent}% headroom`,
    );
    out.push(
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
    );
    out.push(
        `Cluster at max scale: ${c.cluster.requestedVcpu.toFixed(1)} of ${c.cluster.allocatableVcpu.toFixed(1)} allocatable vCPU, ${c.cluster.requestedMemoryGiB.toFixed(1)} of ${c.cluster.allocatableMemoryGiB.toFixed(1)} allocatable GiB requested`,
    );
    out.push(
        `  from ${c.cluster.sources.map((s) => `${s.kind} ${s.name} (${s.vcpu} vCPU, ${s.memoryGiB} GiB)`).join(", ") || "no application capacity"}`,
    );
    if (c.system) {
        const s = c.system;
        const fits =
            s.unplaced.length === 0
                ? "holds every platform pod"
                : `CANNOT hold ${s.unplaced.length} pod(s): ${podNames(s.unplaced).join(", ")}`;
        out.push(
            "",
            `System node group ${s.group}: ${s.desiredSize} x ${s.instanceType} (up to ${s.maxSize}) ${fits}; it needs ${s.nodesNeeded ?? "more than one node a pod"} node(s)`,
        );
        out.push(
            `  requested ${s.demand.vcpu.toFixed(2)} vCPU, ${s.demand.memoryGiB.toFixed(1)} GiB of ${(s.perNode.vcpu * s.desiredSize).toFixed(2)} vCPU, ${(s.perNode.memoryGiB * s.desiredSize).toFixed(1)} GiB left after kubelet and the DaemonSets (${s.daemonSets.vcpu.toFixed(2)} vCPU, ${(s.daemonSets.memoryGiB * 1024).toFixed(0)} MiB a node)`,
        );
        out.push(
            `  with one node lost: ${s.unplacedWithOneNodeLost.length === 0 ? "every pod still has a node" : `no node for ${s.unplacedWithOneNodeLost.join(", ")}`}`,
        );
        out.push(
            table(
                ["add-on (system pods)", "vCPU", "GiB"],
                Object.entries(s.byAddon)
                    .sort((a, b) => b[1].vcpu - a[1].vcpu)
                    .map(([a, v]) => [a, v.vcpu.toFixed(2), v.memoryGiB.toFixed(2)]),
            ),
        );
    }
    out.push(
        `Worker drain at max scale: ${c.worker.drainPerSecond} messages/s against ${Math.round(c.worker.expectedEventsPerSecond)} expected events/s`,
    );
    if (c.timeline) {
        const t = c.timeline;
        out.push(
            "",
            `Scale-up from minimum to target + headroom: ${t.totalSeconds} s (objective ${t.objectiveSeconds} s${t.slowest ? `; slowest ${t.slowest}` : ""})`,
        );
        out.push(
            `  assumptions: metrics delay ${t.assumptions.metricsDelaySeconds} s, node launch ${t.assumptions.nodeLaunchSeconds} s`,
        );
        out.push(
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
        );
        for (const u of t.unknown) out.push(`  ${u.service}: not timed: ${u.why}`);
    }
    return out.join("\n");
}
