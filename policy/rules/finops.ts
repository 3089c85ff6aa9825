/**
 * FinOps rules: every dollar attributable (cost tags on AWS, cost labels in Kubernetes), every
 * application namespace bounded (quota and limits), every container sized, and the node groups
 * on Graviton and spot where the stack's CostOptimization asks for it.
 */
import { APPLICATION_NAMESPACES } from "../../vocabulary/platform";
import { applicationNodeGroups, applicationNodePools, nodePoolAllows } from "../../vocabulary/capacity";
import { managedNodeGroups } from "../../vocabulary/eks";
import { COST_LABEL_PREFIX, REQUIRED_COST_LABELS, REQUIRED_TAG_KEYS } from "../../vocabulary/tags";
import { parseJson } from "../../vocabulary/values";
import { stackProfile } from "./profile";
import { containersOf, isKind, kindOf, objectName, podTemplate, WORKLOAD_KINDS } from "./kubernetes";
import { LayeredResourcePolicy, stackRule } from "./layers";

export const awsCostTags: LayeredResourcePolicy = {
    name: "aws-cost-tags",
    layer: "aws",
    description:
        "Checks whether AWS resources carry every cost-allocation tag (counting tags, tagsAll and the provider's defaultTags) and name the component or service they belong to.",
    configSchema: {
        properties: {
            requiredTags: { type: "array", items: { type: "string" }, default: [...REQUIRED_TAG_KEYS] },
        },
    },
    validateResource: (args, report) => {
        // The eks components pass their tags to the AWS resources they make.
        const isAws = args.type.startsWith("aws:") || args.type.startsWith("eks:index:");
        if (!isAws) return;
        const required = args.getConfig<{ requiredTags?: string[] }>().requiredTags ?? [...REQUIRED_TAG_KEYS];
        const defaults = parseJson(args.provider?.props?.defaultTags)?.tags ?? {};
        const own = { ...(args.props.tagsAll ?? {}), ...(args.props.tags ?? {}) };
        const effective = { ...defaults, ...own };
        const missing = required.filter((key) => !effective[key]);
        if (missing.length > 0) {
            report(
                `Every AWS resource must carry the cost tags ${required.join(", ")}; missing: ${missing.join(", ")}.`,
            );
        }
        if (args.props.tags !== undefined && !own.Component && !own.Service) {
            report("Tagged AWS resources must name what they belong to with a Component or Service tag.");
        }
        if (args.type === "aws:ec2/launchTemplate:LaunchTemplate") {
            for (const kind of ["instance", "volume"]) {
                const spec = (args.props.tagSpecifications ?? []).find(
                    (s: Record<string, any>) => s.resourceType === kind,
                );
                const absent = required.filter((key) => !spec?.tags?.[key]);
                if (absent.length > 0)
                    report(
                        `Launch templates must tag the ${kind}s they start with the cost tags; missing: ${absent.join(", ")}.`,
                    );
            }
        }
    },
};

export const k8sCostLabels: LayeredResourcePolicy = {
    name: "k8s-cost-labels",
    layer: "cluster",
    description:
        "Checks whether namespaces and workloads carry the cost labels that mirror the AWS cost tags, and application pods name their service.",
    validateResource: (args, report) => {
        if (!isKind(args.type, "Namespace", ...WORKLOAD_KINDS)) return;
        const labels =
            (isKind(args.type, "Namespace")
                ? args.props.metadata?.labels
                : podTemplate(args.type, args.props)?.metadata?.labels) ?? {};
        const missing = REQUIRED_COST_LABELS.filter((l) => !labels[l]);
        if (missing.length > 0) {
            report(
                `${kindOf(args.type)} ${objectName(args.props)} must carry the cost labels; missing: ${missing.join(", ")}.`,
            );
        }
        const inApps = (APPLICATION_NAMESPACES as readonly string[]).includes(args.props.metadata?.namespace);
        if (inApps && !isKind(args.type, "Namespace") && !labels[`${COST_LABEL_PREFIX}service`]) {
            report(
                `${kindOf(args.type)} ${objectName(args.props)} must name its service in the ${COST_LABEL_PREFIX}service label.`,
            );
        }
    },
};

export const k8sNamespaceQuotaAndLimits = stackRule({
    name: "k8s-namespace-quota-and-limits",
    description: "Checks whether every application namespace has a ResourceQuota and a LimitRange.",
    configSchema: {
        properties: {
            namespaces: { type: "array", items: { type: "string" }, default: [...APPLICATION_NAMESPACES] },
        },
    },
    cluster: (args, report) => {
        const namespaces = args.getConfig<{ namespaces?: string[] }>().namespaces ?? [
            ...APPLICATION_NAMESPACES,
        ];
        for (const ns of args.resources.filter(
            (r) => isKind(r.type, "Namespace") && namespaces.includes(r.props.metadata?.name),
        )) {
            const name = ns.props.metadata.name;
            for (const kind of ["ResourceQuota", "LimitRange"]) {
                if (
                    !args.resources.some((r) => isKind(r.type, kind) && r.props.metadata?.namespace === name)
                ) {
                    report(`Application namespace ${name} must have a ${kind}.`, ns.urn);
                }
            }
        }
    },
});

export const k8sRequestsAndLimits: LayeredResourcePolicy = {
    name: "k8s-requests-and-limits",
    layer: "cluster",
    description: "Checks whether every container states CPU and memory requests and limits.",
    validateResource: (args, report) => {
        if (!isKind(args.type, ...WORKLOAD_KINDS)) return;
        const spec = podTemplate(args.type, args.props)?.spec;
        for (const { name, container } of containersOf(spec ?? {})) {
            const r = container.resources ?? {};
            const missing = ["requests.cpu", "requests.memory", "limits.cpu", "limits.memory"].filter(
                (path) => {
                    const [group, key] = path.split(".");
                    return !r[group]?.[key];
                },
            );
            if (missing.length > 0) {
                report(
                    `${kindOf(args.type)} ${objectName(args.props)}, container ${name}: must set ${missing.join(", ")}.`,
                );
            }
        }
    },
};

/** An ARM_64 AMI type: the managed node group runs on Graviton. */
const onGraviton = (group: { props: Record<string, any> }) =>
    String(group.props.amiType ?? "").includes("ARM_64");

export const nodeGroupsGravitonAndSpot = stackRule({
    name: "node-groups-graviton-and-spot",
    description:
        "Checks whether node groups and Karpenter NodePools run on Graviton and application capacity includes spot, as the stack's CostOptimization requires.",
    // The managed node groups are the AWS layer's: judged in every run, a bootstrap run included.
    aws: (args, report) => {
        if (!stackProfile(args).costOptimization.requireGraviton) return;
        for (const group of managedNodeGroups(args.resources).filter((r) => !onGraviton(r))) {
            report(
                `Node group ${group.name} must run on Graviton (an ARM_64 AMI type); it uses ${group.props.amiType ?? "the default x86 AMI"}.`,
                group.urn,
            );
        }
    },
    // The NodePools, and with them most application capacity, come with the cluster layer.
    cluster: (args, report) => {
        const profile = stackProfile(args);
        const pools = applicationNodePools(args.resources);
        if (profile.costOptimization.requireGraviton) {
            for (const pool of pools) {
                const arch = nodePoolAllows(pool, "kubernetes.io/arch");
                if (!arch || arch.some((a) => a !== "arm64")) {
                    report(
                        `NodePool ${pool.props.metadata?.name} must require kubernetes.io/arch In [arm64]; it allows ${arch?.join(", ") ?? "any architecture"}.`,
                        pool.urn,
                    );
                }
            }
        }
        const spot =
            applicationNodeGroups(args.resources).some((g) => g.props.capacityType === "SPOT") ||
            pools.some((p) => nodePoolAllows(p, "karpenter.sh/capacity-type")?.includes("spot"));
        if (profile.costOptimization.spotForApps && !spot) {
            report(
                "Application capacity must include spot: a NodePool allowing karpenter.sh/capacity-type spot, or a spot application node group.",
            );
        }
    },
});

export const FINOPS_POLICIES = [
    awsCostTags,
    k8sCostLabels,
    k8sNamespaceQuotaAndLimits,
    k8sRequestsAndLimits,
    nodeGroupsGravitonAndSpot,
];
