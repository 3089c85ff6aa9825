/** The mesh's node start-up: managed groups and NodePools start tainted, istiod lifts the taint once the node's CNI agent is Ready. */
import { meshNodesStartTainted } from "../../policy/rules/security-mesh-nodes";
import { describeStackCases, resource, StackCase } from "./cases";

/** A NodePool with these startup taints. */
const pool = (startupTaints?: Record<string, string>[]) =>
    resource("kubernetes:karpenter.sh/v1:NodePool", {
        metadata: { name: "apps" },
        spec: { template: { spec: { startupTaints } } },
    });
const release = (chart: string, namespace: string, values: Record<string, any> = {}) =>
    resource("kubernetes:helm.sh/v3:Release", { chart, namespace, values });
const STARTUP = { key: "cni.istio.io/not-ready", effect: "NoSchedule" };
/** istiod in istio-system lifting the taint for the CNI agent in istio-node. */
const istiod = (taint: Record<string, any> | undefined) => release("istiod", "istio-system", { taint });
const STARTUP_EKS = { key: "cni.istio.io/not-ready", effect: "NO_SCHEDULE" };
const SYSTEM_EKS = { key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" };
/** A managed node group in either shape: the @pulumi/eks component, or the AWS resource preview also shows. */
const group = (taints: Record<string, string>[], type = "eks:index:ManagedNodeGroup") =>
    resource(type, { taints });
const stack = (
    poolTaints = [STARTUP],
    taint: Record<string, any> | undefined = { enabled: true, namespace: "istio-node" },
    groups = [group([SYSTEM_EKS, STARTUP_EKS])],
) => [...groups, pool(poolTaints), istiod(taint), release("cni", "istio-node")];

const CASES: StackCase[] = [
    {
        policy: meshNodesStartTainted,
        good: () => stack(),
        bad: [
            {
                why: "a NodePool without the startup taint",
                expect: /NodePool apps must start its nodes with the startup taint cni\.istio\.io\/not-ready:NoSchedule/,
                resources: () => stack([]),
            },
            {
                why: "the taint with another effect",
                expect: /NodePool apps must start its nodes with the startup taint/,
                resources: () => stack([{ ...STARTUP, effect: "PreferNoSchedule" }]),
            },
            {
                why: "a managed node group (the component) without the startup taint",
                expect: /Managed node group r\d+ must start its nodes with the taint cni\.istio\.io\/not-ready:NO_SCHEDULE/,
                resources: () => stack([STARTUP], undefined, [group([SYSTEM_EKS])]),
            },
            {
                why: "a managed node group (the AWS resource, as preview shows it) without the startup taint",
                expect: /Managed node group r\d+ must start its nodes with the taint/,
                resources: () => stack([STARTUP], undefined, [group([], "aws:eks/nodeGroup:NodeGroup")]),
            },
            {
                why: "istiod without its untaint controller",
                expect: /istiod must run its untaint controller/,
                resources: () => stack([STARTUP], { enabled: false, namespace: "istio-node" }),
            },
            {
                why: "no istiod at all",
                expect: /istiod must run its untaint controller/,
                resources: () => [pool([STARTUP]), release("cni", "istio-node")],
            },
            {
                why: "an untaint controller watching istiod's own namespace while the agent runs elsewhere",
                expect: /must watch the CNI agent's namespace istio-node/,
                resources: () => stack([STARTUP], { enabled: true }),
            },
            {
                why: "an untaint controller lifting another taint",
                expect: /must lift cni\.istio\.io\/not-ready, not other\/taint/,
                resources: () =>
                    stack([STARTUP], { enabled: true, namespace: "istio-node", name: "other/taint" }),
            },
        ],
    },
];

describeStackCases("policy pack: security: the mesh on new nodes", CASES);
