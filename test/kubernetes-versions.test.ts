/**
 * The version table drives every version-specific pin: the managed add-ons resolved from it for
 * the stack's Kubernetes version, a pinned add-on not built for that version refused, and the
 * stacks on the newest version every pinned component reaches.
 */
import * as assert from "assert";
import { parseStackConfig } from "../components/config";
import { ARGOCD_CHART } from "../components/k8s/addons/argocd";
import { LOAD_BALANCER_CONTROLLER_CHART } from "../components/k8s/addons/gateway";
import { KARPENTER_CHART, KARPENTER_CRD_CHART } from "../components/k8s/addons/karpenter";
import { KEDA_CHART } from "../components/k8s/addons/keda";
import { ISTIO_VERSION } from "../components/k8s/addons/mesh/facts";
import { KUBE_PROMETHEUS_STACK_CHART } from "../components/k8s/addons/monitoring";
import { ARGO_ROLLOUTS_CHART } from "../components/k8s/addons/rollouts";
import { parserInput, readStackConfig, withTestSecrets } from "../tools/harness";
import {
    ComponentSupport,
    componentsBehind,
    KUBERNETES_SUPPORT,
    newestVersionEveryComponentReaches,
} from "../vocabulary/kubernetes-support";
import {
    compareMinors,
    defaultAddonVersion,
    EKS_ADDONS,
    KUBERNETES_VERSIONS,
    SUPPORTED_KUBERNETES_VERSIONS,
} from "../vocabulary/versions";
import { problemsAfter } from "./config-problems";
import { STACKS } from "./stacks";

const clusterOf = (stack: string, edit: (c: Record<string, any>) => void = () => undefined) => {
    const config = structuredClone(withTestSecrets(readStackConfig(stack))) as Record<string, any>;
    edit(config);
    return parseStackConfig(stack, parserInput(config)).cluster;
};

describe("Kubernetes versions: the managed add-ons", () => {
    for (const stack of STACKS) {
        it(`${stack}: the stack file pins no add-on; each is the table's for its version`, () => {
            assert.strictEqual(
                (readStackConfig(stack)["tacos:cluster"] as { addons?: unknown }).addons,
                undefined,
            );
            const cluster = clusterOf(stack);
            for (const addon of EKS_ADDONS) {
                assert.strictEqual(
                    cluster.addons[addon],
                    defaultAddonVersion(cluster.kubernetesVersion, addon),
                );
            }
        });
    }

    it("changing only kubernetesVersion moves every add-on to the new version's row", () => {
        const cluster = clusterOf("prod", (c) => (c["tacos:cluster"].kubernetesVersion = "1.36"));
        assert.strictEqual(cluster.addons.kubeProxy, "v1.36.0-eksbuild.14");
        assert.strictEqual(cluster.addons.coreDns, "v1.14.2-eksbuild.4");
    });

    it("keeps an override built for the version, and defaults the add-ons it leaves out", () => {
        const cluster = clusterOf(
            "dev",
            (c) => (c["tacos:cluster"].addons = { kubeProxy: "v1.35.3-eksbuild.13" }),
        );
        assert.strictEqual(cluster.addons.kubeProxy, "v1.35.3-eksbuild.13");
        assert.strictEqual(cluster.addons.coreDns, defaultAddonVersion("1.35", "coreDns"));
    });

    it("refuses every pinned add-on not built for the version, naming each field", () => {
        const problems = problemsAfter((c) => {
            c["tacos:cluster"].kubernetesVersion = "1.36";
            c["tacos:cluster"].addons = { kubeProxy: "v1.35.3-eksbuild.29", coreDns: "v1.13.2-eksbuild.31" };
        });
        assert.deepStrictEqual(problems, [
            "cluster.addons.coreDns is v1.13.2-eksbuild.31, not a build for Kubernetes 1.36 (vocabulary/versions.ts lists v1.14.2-eksbuild.4): remove it to install v1.14.2-eksbuild.4",
            "cluster.addons.kubeProxy is v1.35.3-eksbuild.29, not a build for Kubernetes 1.36 (vocabulary/versions.ts lists v1.36.0-eksbuild.14): remove it to install v1.36.0-eksbuild.14",
        ]);
    });

    it("reports a malformed pin once, as malformed", () => {
        const problems = problemsAfter((c) => (c["tacos:cluster"].addons = { vpcCni: "latest" }));
        assert.deepStrictEqual(problems, [
            "cluster.addons.vpcCni must be a pinned EKS add-on version such as v1.3.9-eksbuild.3",
        ]);
    });

    it("lists, for every version, each add-on with well-formed and distinct versions", () => {
        for (const version of SUPPORTED_KUBERNETES_VERSIONS) {
            for (const addon of EKS_ADDONS) {
                const builds = KUBERNETES_VERSIONS[version].addons[addon];
                assert.strictEqual(new Set(builds).size, builds.length, `${version} ${addon}`);
                builds.forEach((b) => assert.match(b, /^v\d+\.\d+\.\d+-eksbuild\.\d+$/));
            }
            // kube-proxy is built per Kubernetes minor: its version starts with it.
            KUBERNETES_VERSIONS[version].addons.kubeProxy.forEach((b) =>
                assert.ok(b.startsWith(`v${version}.`)),
            );
        }
    });
});

describe("Kubernetes versions: the pinned components' reach", () => {
    it("records each component at the chart version its add-on pins", () => {
        const pins: Record<keyof typeof KUBERNETES_SUPPORT, string[]> = {
            karpenter: [KARPENTER_CHART.version, KARPENTER_CRD_CHART.version],
            mesh: [ISTIO_VERSION],
            gateway: [LOAD_BALANCER_CONTROLLER_CHART.version],
            keda: [KEDA_CHART.version],
            argocd: [ARGOCD_CHART.version],
            rollouts: [ARGO_ROLLOUTS_CHART.version],
            monitoring: [KUBE_PROMETHEUS_STACK_CHART.version],
        };
        for (const [component, versions] of Object.entries(pins)) {
            const record = KUBERNETES_SUPPORT[component as keyof typeof KUBERNETES_SUPPORT];
            versions.forEach((v) =>
                assert.strictEqual(record.chartVersion, v, `${component}: re-read its reach`),
            );
        }
    });

    for (const stack of STACKS) {
        it(`${stack}: runs a version every component reaches, unless a note accepts that the stacks are ahead`, () => {
            const version = clusterOf(stack).kubernetesVersion;
            const supports = KUBERNETES_SUPPORT as Record<string, ComponentSupport>;
            for (const component of componentsBehind(version)) {
                assert.ok(
                    supports[component].stacksAhead,
                    `${component} stops at ${supports[component].maxKubernetes}`,
                );
            }
        });

        it(`${stack}: runs the newest version of the table the components reach`, () => {
            assert.strictEqual(clusterOf(stack).kubernetesVersion, newestVersionEveryComponentReaches());
        });
    }

    it("keeps a stacks-ahead note only while a stack is beyond the component", () => {
        const versions = STACKS.map((s) => clusterOf(s).kubernetesVersion);
        for (const [component, record] of Object.entries(
            KUBERNETES_SUPPORT as Record<string, ComponentSupport>,
        )) {
            if (record.stacksAhead) {
                assert.ok(
                    versions.some((v) => compareMinors(v, record.maxKubernetes) > 0),
                    `${component}: no stack is beyond ${record.maxKubernetes}; drop its note`,
                );
            }
        }
    });

    it("finds the components a version is beyond", () => {
        assert.deepStrictEqual(componentsBehind("1.36"), ["keda", "rollouts"]);
        assert.deepStrictEqual(componentsBehind("1.33"), []);
    });
});
