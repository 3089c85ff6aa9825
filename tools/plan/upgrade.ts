/**
 * `npm run plan -- --stack <name> --upgrade-to <version>`: what moving a stack to the next
 * Kubernetes version changes, read from two runs of the program under mocks (the stack file as it
 * is, and with only `tacos:cluster.kubernetesVersion` changed): the control plane, each managed
 * add-on, the managed node groups' AMI release, Karpenter's AMI alias and the NodePools whose
 * nodes drift, with their disruption budgets; the pinned components the target is beyond
 * (vocabulary/kubernetes-support.ts); and the order `pulumi up` takes.
 */
import { ComponentSupport, componentsBehind, KUBERNETES_SUPPORT } from "../../vocabulary/kubernetes-support";
import {
    compareMinors,
    isKubernetesVersion,
    KUBERNETES_VERSIONS,
    SUPPORTED_KUBERNETES_VERSIONS,
} from "../../vocabulary/versions";
import { ofType, ProgramRun, readStackConfig, RecordedResource, runProgram, RunOptions } from "../harness";
import { requireKnownStack } from "../policy-gate";
import { upgradeSteps, UpgradeStep } from "./upgrade-order";
import { EKS_CLUSTER_TYPES, MANAGED_NODE_GROUP_TYPES } from "../../vocabulary/eks";
import { NODE_GROUP_UPDATE } from "../../components/aws/eks-children";

/** One pinned value before and after the upgrade. */
export interface Change {
    name: string;
    from: string;
    to: string;
}

/** A NodePool whose nodes Karpenter replaces once its EC2NodeClass selects the new AMI. */
export interface DriftingPool {
    name: string;
    /** The pool's vCPU limit: the most its drifting nodes can add up to. */
    cpuLimit: string;
    /** Its disruption budgets, as the NodePool declares them: drift replaces at most `nodes` at once, none in a window of `"0"`. */
    budgets: { nodes: string; schedule?: string; duration?: string }[];
}

/** What upgrading one stack to the next Kubernetes version changes. */
export interface UpgradeReport {
    stack: string;
    from: string;
    to: string;
    /** The day EKS standard support ends, before and after. */
    endOfStandardSupport: { from: string; to: string };
    controlPlane: Change;
    addons: Change[];
    /** Each managed node group's AMI release version (EKS rolls the group, at most `maxUnavailablePercentage` of it at a time). */
    nodeGroups: (Change & { nodes: number; maxUnavailablePercentage?: number })[];
    /**
     * Karpenter's EC2NodeClass AMI alias, and the pools whose nodes drift. The alias resolves the
     * AMI for the control plane's version, so every node drifts once the control plane runs the
     * target, even with the alias unchanged (Karpenter v1.14 docs,
     * website/content/en/v1.14/tasks/managing-amis.md at 1d927085d, on pinning an alias).
     */
    karpenter?: { alias: Change; pools: DriftingPool[] };
    /** Pinned components whose reach stops below the target, with their record. */
    componentsBehind: (ComponentSupport & { component: string })[];
    /** The order `pulumi up` applies the changes in. */
    order: UpgradeStep[];
}

/** The next minor after `version` (EKS upgrades one minor at a time). */
function nextMinor(version: string): string {
    const [major, minor] = version.split(".").map(Number);
    return `${major}.${minor + 1}`;
}

/** Refuses a target that is unknown, not newer, or more than one minor ahead of `from`. */
export function checkTarget(from: string, to: string): void {
    if (!isKubernetesVersion(to)) {
        throw new Error(
            `Kubernetes ${to} is not in the platform's version table (vocabulary/versions.ts: ${SUPPORTED_KUBERNETES_VERSIONS.join(", ")}); add its row (support end, add-on versions, AMI release) first`,
        );
    }
    if (to === from) {
        throw new Error(`the stack already runs Kubernetes ${from}: nothing to upgrade`);
    }
    if (compareMinors(to, from) < 0) {
        throw new Error(
            `the stack runs Kubernetes ${from}: EKS upgrades a cluster, it never downgrades one to ${to}`,
        );
    }
    if (to !== nextMinor(from)) {
        throw new Error(
            `EKS upgrades the control plane one minor at a time: upgrade ${from} to ${nextMinor(from)} first, then to ${to}`,
        );
    }
}

const byName = (resources: RecordedResource[], key: (r: RecordedResource) => string) =>
    new Map(resources.map((r) => [key(r), r]));

/** A change with the resource it is made on (in the run at the target). */
type Located = Change & { resource: RecordedResource };

/** The values of one resource type in both runs, paired by a key. */
function changes(
    before: ProgramRun,
    after: ProgramRun,
    type: string,
    key: (r: RecordedResource) => string,
    value: (r: RecordedResource) => string,
): Located[] {
    const old = byName(ofType(before, type), key);
    return ofType(after, type).map((r) => ({
        name: key(r),
        from: old.has(key(r)) ? value(old.get(key(r))!) : "(none)",
        to: value(r),
        resource: r,
    }));
}

const plain = ({ name, from, to }: Change): Change => ({ name, from, to });
const moved = (c: Change) => c.from !== c.to;

const NODE_CLASS = "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass";
const NODE_POOL = "kubernetes:karpenter.sh/v1:NodePool";

/** Karpenter's AMI alias before and after (on its EC2NodeClass), and every NodePool that launches from it. */
function karpenterDrift(before: ProgramRun, after: ProgramRun): { alias?: Located; pools: DriftingPool[] } {
    const [alias] = changes(
        before,
        after,
        NODE_CLASS,
        (r) => r.inputs.metadata.name,
        (r) => r.inputs.spec.amiSelectorTerms.map((t: { alias: string }) => t.alias).join(", "),
    );
    const pools = ofType(after, NODE_POOL).map((p) => ({
        name: String(p.inputs.metadata.name),
        cpuLimit: String(p.inputs.spec.limits?.cpu ?? "none"),
        budgets: p.inputs.spec.disruption.budgets,
    }));
    return { alias, pools };
}

const groupName = (r: RecordedResource) => String(r.inputs.nodeGroupName ?? r.name);

/** Builds the report from the stack's run and its run at the target version. */
export function upgradeFromRuns(
    before: ProgramRun,
    after: ProgramRun,
    from: string,
    to: string,
): UpgradeReport {
    const support = (v: string) =>
        KUBERNETES_VERSIONS[v as keyof typeof KUBERNETES_VERSIONS].endOfStandardSupport;
    const [cluster] = changes(
        before,
        after,
        EKS_CLUSTER_TYPES.component,
        () => "EKS control plane",
        (r) => String(r.inputs.version),
    );
    const addons = changes(
        before,
        after,
        "aws:eks/addon:Addon",
        (r) => r.inputs.addonName,
        (r) => r.inputs.addonVersion,
    );
    const groups = changes(before, after, MANAGED_NODE_GROUP_TYPES.component, groupName, (r) =>
        String(r.inputs.releaseVersion),
    );
    const karpenter = karpenterDrift(before, after);
    const changed = [
        ...[cluster]
            .filter(moved)
            .map((c) => ({ resource: c.resource, label: `control plane ${c.from} -> ${c.to}` })),
        ...addons.filter(moved).map((c) => ({ resource: c.resource, label: `add-on ${c.name}` })),
        ...groups
            .filter(moved)
            .map((c) => ({ resource: c.resource, label: `node group ${c.name} (rolled)` })),
        ...[karpenter.alias]
            .filter((c): c is Located => c !== undefined && moved(c))
            .map((c) => ({ resource: c.resource, label: `EC2NodeClass ${c.name} (new AMI release)` })),
    ];
    return {
        stack: before.stack,
        from,
        to,
        endOfStandardSupport: { from: support(from), to: support(to) },
        controlPlane: plain(cluster),
        addons: addons.map(plain),
        nodeGroups: groups.map((g) => ({
            ...plain(g),
            nodes: Number(g.resource.inputs.scalingConfig.desiredSize),
            // The group's AWS resource gets it from a transform (eks-children.ts): the component has no such input.
            maxUnavailablePercentage: NODE_GROUP_UPDATE.maxUnavailablePercentage,
        })),
        karpenter: karpenter.alias ? { alias: plain(karpenter.alias), pools: karpenter.pools } : undefined,
        componentsBehind: componentsBehind(to).map((c) => ({ component: c, ...KUBERNETES_SUPPORT[c] })),
        order: upgradeSteps(after, changed),
    };
}

/** Runs the program for `stack` as it is and at `to`, and reports what the upgrade changes. */
export async function buildUpgrade(
    stack: string,
    to: string,
    options: RunOptions = {},
): Promise<UpgradeReport> {
    requireKnownStack(stack, "plan");
    const file = structuredClone(readStackConfig(stack)) as Record<string, any>;
    options.editStackFile?.(file);
    const from = String(file["tacos:cluster"]?.kubernetesVersion);
    checkTarget(from, to);
    // Both runs read the same stack file: report each warning about it once.
    const seen = new Set<string>();
    const report = options.warn ?? console.error;
    const warn = (message: string) => {
        if (!seen.has(message)) report(message);
        seen.add(message);
    };
    options = { ...options, warn };
    const before = await runProgram(stack, undefined, options);
    if (before.error) throw before.error;
    const after = await runProgram(stack, undefined, {
        ...options,
        editStackFile: (config) => {
            options.editStackFile?.(config);
            config["tacos:cluster"].kubernetesVersion = to;
        },
    });
    if (after.error) {
        throw new Error(
            `with tacos:cluster.kubernetesVersion "${to}" the stack is refused: ${after.error.message}`,
        );
    }
    return upgradeFromRuns(before, after, from, to);
}
