/**
 * The version table drives every version-specific pin: the managed add-ons resolved from it for
 * the stack's Kubernetes version, and a pinned add-on not built for that version refused.
 */
import * as assert from "assert";
import { parseStackConfig } from "../components/config";
import { parserInput, readStackConfig, withTestSecrets } from "../tools/harness";
import {
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
