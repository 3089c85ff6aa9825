/** The upgrade report as text: what changes, what blocks it, and the order it is done in. */
import { table } from "../table";
import type { Change, DriftingPool, UpgradeReport } from "./upgrade";

const rows = (changes: Change[]) =>
    table(
        ["", "from", "to"],
        changes.map((c) => [c.name, c.from, c.to === c.from ? `${c.to} (unchanged)` : c.to]),
    );

/** A NodePool's budgets in words. */
function budgets(pool: DriftingPool): string {
    return pool.budgets
        .map((b) =>
            b.schedule
                ? `${b.nodes === "0" ? "none" : b.nodes} from cron "${b.schedule}" for ${b.duration}`
                : `${b.nodes} at a time`,
        )
        .join("; ");
}

/**
 * The order AWS documents (EKS user guide, "Update existing cluster to new Kubernetes version",
 * latest/ug/clusters/update-cluster.adoc in awsdocs/amazon-eks-user-guide at 4d52b4d): the
 * control plane, one minor at a time; then the nodes to the same minor; then the VPC CNI,
 * CoreDNS and kube-proxy add-ons.
 */
const AWS_ORDER =
    "AWS's documented order: the control plane (one minor at a time), then the nodes to the same minor, then the VPC CNI, CoreDNS and kube-proxy add-ons (EKS user guide, update-cluster).";

/** The text report. */
export function formatUpgrade(r: UpgradeReport): string {
    const out = [
        `Upgrade of ${r.stack}: Kubernetes ${r.from} -> ${r.to}`,
        `Standard support ends ${r.endOfStandardSupport.from} for ${r.from}, ${r.endOfStandardSupport.to} for ${r.to}.`,
        "",
        "Control plane",
        rows([r.controlPlane]),
        "",
        "Managed add-ons",
        rows(r.addons),
        "",
        "Managed node groups (AMI release; rolled by EKS, a share of the nodes at a time)",
        table(
            ["group", "from", "to", "nodes", "max unavailable"],
            r.nodeGroups.map((g) => [
                g.name,
                g.from,
                g.to,
                String(g.nodes),
                g.maxUnavailablePercentage === undefined ? "EKS default" : `${g.maxUnavailablePercentage}%`,
            ]),
        ),
    ];
    if (r.karpenter) {
        out.push(
            "",
            r.karpenter.alias.from === r.karpenter.alias.to
                ? `Karpenter: EC2NodeClass ${r.karpenter.alias.name} keeps alias ${r.karpenter.alias.to}, which selects that release's AMI for the control plane's version:`
                : `Karpenter: EC2NodeClass ${r.karpenter.alias.name} alias ${r.karpenter.alias.from} -> ${r.karpenter.alias.to}:`,
            `once the control plane runs ${r.to}, every node Karpenter launched drifts and is replaced, within each NodePool's disruption budgets:`,
            table(
                ["NodePool", "cpu limit", "disruption budgets"],
                r.karpenter.pools.map((p) => [p.name, p.cpuLimit, budgets(p)]),
            ),
        );
    }
    out.push("", `Pinned components beyond their reach at ${r.to}`);
    out.push(
        r.componentsBehind.length === 0
            ? "  none: every pinned component reaches it"
            : table(
                  ["component", "pinned", "reaches", "basis"],
                  r.componentsBehind.map((c) => [c.component, c.pinned, c.maxKubernetes, c.basis]),
              ),
    );
    out.push("", "Order (pulumi up, by the program's dependencies)");
    for (const s of r.order) out.push(`  ${s.step}. ${s.changes.join(", ")}`);
    if (r.karpenter) {
        out.push(
            `  From the end of step 1: Karpenter's nodes drift, alongside the later steps, within their budgets.`,
        );
    }
    out.push(AWS_ORDER);
    return out.join("\n");
}
