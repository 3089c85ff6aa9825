/**
 * How far each pinned cluster component goes in Kubernetes versions, read upstream at the
 * pinned version: the newest Kubernetes minor its project supports, tests, or was built against.
 * The stacks run the newest version of the table (vocabulary/versions.ts) that every component
 * reaches (test/kubernetes-support.test.ts holds them to it); `npm run plan -- --upgrade-to`
 * names the components a target version is beyond.
 */
import { compareMinors, KubernetesVersion, SUPPORTED_KUBERNETES_VERSIONS } from "./versions";

/** One pinned component's reach. */
export interface ComponentSupport {
    /** What is pinned, as its add-on pins it (chart and app version). */
    pinned: string;
    /** The chart version pinned, as the add-on's chart pin holds it (a test compares them). */
    chartVersion: string;
    /** The newest Kubernetes minor the component reaches at the pinned version. */
    maxKubernetes: string;
    /** What `maxKubernetes` rests on: a supported range, a tested range, or the Kubernetes client it is built with (no upper bound documented). */
    basis: "supported" | "tested" | "built against";
    /** Where it was read: repository, path and tag. */
    source: string;
    /**
     * Set when the shipped stacks already run a version newer than `maxKubernetes`: why that is
     * accepted for now and what lifts it. A test refuses the note once no stack is beyond.
     */
    stacksAhead?: string;
}

/** The pinned components whose Kubernetes reach bounds the cluster's version, by add-on. */
export const KUBERNETES_SUPPORT = {
    karpenter: {
        pinned: "Karpenter 1.14.1 (charts karpenter, karpenter-crd 1.14.1)",
        chartVersion: "1.14.1",
        maxKubernetes: "1.36",
        basis: "supported",
        source: "aws/karpenter-provider-aws website/content/en/v1.14/upgrading/compatibility.md at 1d927085d (the v1.14.1 release commit): the compatibility matrix needs >= 1.13 for 1.36, its newest column",
    },
    mesh: {
        pinned: "Istio 1.30.3 (charts base, istiod, cni, ztunnel)",
        chartVersion: "1.30.3",
        maxKubernetes: "1.36",
        basis: "supported",
        source: "istio/istio.io data/compatibility/supportStatus.yml (the supported releases page's table): 1.30 supports Kubernetes 1.32 to 1.36",
    },
    gateway: {
        pinned: "AWS Load Balancer Controller v3.5.0 (chart 3.5.0)",
        chartVersion: "3.5.0",
        maxKubernetes: "1.36",
        basis: "built against",
        source: "kubernetes-sigs/aws-load-balancer-controller docs/deploy/installation.md at v3.5.0 (v2.5.0+ requires Kubernetes 1.22+, no upper bound) and go.mod at v3.5.0 (k8s.io/client-go v0.36.2)",
    },
    keda: {
        pinned: "KEDA 2.20.2 (chart 2.20.2)",
        chartVersion: "2.20.2",
        maxKubernetes: "1.35",
        basis: "tested",
        source: "kedacore/keda-docs content/docs/2.20/operate/cluster.md at a55c5d345 (Kubernetes Compatibility): v2.20 is tested on 1.33 to 1.35; no KEDA release lists 1.36 yet",
    },
    argocd: {
        pinned: "Argo CD v3.5.2 (chart argo-cd 10.4.2)",
        chartVersion: "10.4.2",
        maxKubernetes: "1.36",
        basis: "tested",
        source: "argoproj/argo-cd docs/operator-manual/tested-kubernetes-versions.md at v3.5.1 (the 3.5 line's Tested versions): 1.33 to 1.36; the argo-cd chart 10.4.2 ships v3.5.2 (argoproj/argo-helm release notes)",
    },
    rollouts: {
        pinned: "Argo Rollouts v1.9.0 (chart argo-rollouts 2.41.0)",
        chartVersion: "2.41.0",
        maxKubernetes: "1.34",
        basis: "tested",
        source: "argoproj/argo-rollouts .github/workflows/testing.yaml at v1.9.0 (the end-to-end matrix docs/installation.md points to): 1.31 to 1.34; v1.9.1's matrix adds 1.35",
        stacksAhead:
            "the stacks ran 1.35 before this record: v1.9.0 was never tested on it; lifted by a chart pin on Argo Rollouts v1.9.1 or newer (argoproj/argo-helm has none yet: argo-rollouts-2.41.0 is its newest chart tag)",
    },
    monitoring: {
        pinned: "kube-prometheus-stack 88.5.3 (Prometheus Operator v0.93.1)",
        chartVersion: "88.5.3",
        maxKubernetes: "1.36",
        basis: "built against",
        source: 'prometheus-community/helm-charts charts/kube-prometheus-stack/Chart.yaml at kube-prometheus-stack-88.5.3 (kubeVersion ">=1.25.0-0", no upper bound); prometheus-operator/prometheus-operator Documentation/getting-started/compatibility.md at v0.93.0 (the newest tag fetched: Kubernetes >= 1.25, built with client-go v0.36.3)',
    },
} as const satisfies Record<string, ComponentSupport>;

export type SupportedComponent = keyof typeof KUBERNETES_SUPPORT;

/** The components whose reach stops below `version`. */
export function componentsBehind(version: string): SupportedComponent[] {
    return (Object.keys(KUBERNETES_SUPPORT) as SupportedComponent[]).filter(
        (c) => compareMinors(KUBERNETES_SUPPORT[c].maxKubernetes, version) < 0,
    );
}

/**
 * The newest version of the table every component reaches, leaving out the ones whose
 * `stacksAhead` note accepts that the stacks are already beyond them; undefined if none.
 */
export function newestVersionEveryComponentReaches(): KubernetesVersion | undefined {
    const bounding = Object.values(KUBERNETES_SUPPORT as Record<string, ComponentSupport>).filter(
        (c) => c.stacksAhead === undefined,
    );
    return [...SUPPORTED_KUBERNETES_VERSIONS]
        .reverse()
        .find((v) => bounding.every((c) => compareMinors(v, c.maxKubernetes) <= 0));
}
