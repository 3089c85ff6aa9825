/**
 * Who reaches Argo CD and what it may do: the source ranges and SSO each stack must configure
 * (prod refused without SSO or open to 0.0.0.0/0), the RBAC policy from the SSO groups, the
 * `default` AppProject allowing nothing, and the application controller's narrowed ClusterRole.
 */
import * as assert from "assert";
import { ConfigError, parseStackConfig } from "../components/config";
import {
    controllerClusterRules,
    resourceOf,
    serverClusterRules,
} from "../components/k8s/addons/argocd/access";
import { TACOS_PROJECT_KINDS } from "../components/k8s/addons/argocd/project";
import { parserInput, readStackConfig, withTestSecrets } from "../tools/harness";
import { itRejects } from "./config-problems";
import { releaseOfChart, sectionOf, useStackRuns } from "./stacks";

/** The problems of the prod stack file after `edit` (none when valid). */
function prodProblemsAfter(edit: (c: Record<string, any>) => void): string[] {
    const config = structuredClone(readStackConfig("prod")) as Record<string, any>;
    edit(config);
    try {
        parseStackConfig("prod", parserInput(withTestSecrets(config)));
        return [];
    } catch (e) {
        assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${e}`);
        return e.problems;
    }
}

describe("Argo CD access", () => {
    describe("stack config", () => {
        itRejects([
            {
                name: "Argo CD without source ranges",
                edit: (c) => delete c["tacos:argocd"].sourceRanges,
                expect: "argocd.sourceRanges is required",
            },
            {
                name: "more source ranges than an ALB rule condition takes",
                edit: (c) =>
                    (c["tacos:argocd"].sourceRanges = [
                        "10.0.0.0/8",
                        "172.16.0.0/12",
                        "192.168.0.0/16",
                        "100.64.0.0/10",
                    ]),
                expect: "argocd.sourceRanges must list at most three CIDR blocks",
            },
            {
                name: "a source range that is not a CIDR block",
                edit: (c) => (c["tacos:argocd"].sourceRanges = ["203.0.113.7"]),
                expect: "argocd.sourceRanges.0 must be an IPv4 CIDR block",
            },
            {
                name: "SSO without groups",
                edit: (c) => {
                    c["tacos:argocd"].oidc = { issuer: "https://sso.example.com", clientId: "argocd" };
                    c["tacos:argocdOidcClientSecret"] = "a-client-secret-of-some-length";
                },
                expect: "argocd.oidc.groups is required",
            },
            {
                name: "SSO with no admin group",
                edit: (c) => {
                    c["tacos:argocd"].oidc = {
                        issuer: "https://sso.example.com",
                        clientId: "argocd",
                        groups: { admin: [], readonly: ["developers"] },
                    };
                    c["tacos:argocdOidcClientSecret"] = "a-client-secret-of-some-length";
                },
                expect: "argocd.oidc.groups.admin must list at least one group",
            },
        ]);

        it("accepts dev open to the internet (its admin password is its own) but refuses prod so, naming the field", () => {
            const open = (c: Record<string, any>) => (c["tacos:argocd"].sourceRanges = ["0.0.0.0/0"]);
            const dev = structuredClone(withTestSecrets(readStackConfig("dev"))) as Record<string, any>;
            open(dev);
            assert.doesNotThrow(() => parseStackConfig("dev", parserInput(dev)));
            assert.deepStrictEqual(prodProblemsAfter(open), [
                "argocd.sourceRanges.0 must not be 0.0.0.0/0 in prod: name the networks Argo CD's users come from",
            ]);
        });

        it("refuses prod without SSO, naming argocd.oidc", () => {
            const problems = prodProblemsAfter((c) => delete c["tacos:argocd"].oidc);
            assert.ok(
                problems.some((p) => p.startsWith("argocd.oidc is required in prod")),
                problems.join("\n"),
            );
        });
    });

    describe("the stacks' Argo CD", () => {
        const runs = useStackRuns();

        it("maps prod's SSO groups to the built-in roles and gives everyone else nothing", () => {
            const { groups } = sectionOf(runs.prod, "argocd").oidc;
            const rbac = releaseOfChart(runs.prod, "argo-cd").inputs.values.configs.rbac;
            assert.deepStrictEqual(rbac["policy.csv"].split("\n"), [
                ...groups.admin.map((g: string) => `g, ${g}, role:admin`),
                ...groups.readonly.map((g: string) => `g, ${g}, role:readonly`),
            ]);
            assert.strictEqual(rbac["policy.default"], "");
            assert.strictEqual(rbac.scopes, "[groups]");
            const dev = releaseOfChart(runs.dev, "argo-cd").inputs.values.configs.rbac;
            assert.deepStrictEqual(dev, { "policy.csv": "", "policy.default": "", scopes: "[groups]" });
        });

        for (const stack of ["dev", "prod"]) {
            it(`${stack}: takes the default AppProject over after the release, allowing nothing`, () => {
                const [patch] = runs[stack].resources.filter(
                    (r) => r.type === "kubernetes:argoproj.io/v1alpha1:AppProjectPatch",
                );
                assert.strictEqual(patch.inputs.metadata.name, "default");
                assert.strictEqual(patch.inputs.metadata.namespace, "argocd");
                assert.strictEqual(patch.inputs.metadata.annotations["pulumi.com/patchForce"], "true");
                const { spec } = patch.inputs;
                for (const allow of [
                    "sourceRepos",
                    "sourceNamespaces",
                    "destinations",
                    "clusterResourceWhitelist",
                ]) {
                    assert.deepStrictEqual(spec[allow], [], allow);
                }
                assert.deepStrictEqual(spec.namespaceResourceBlacklist, [{ group: "*", kind: "*" }]);
                const release = releaseOfChart(runs[stack], "argo-cd");
                assert.ok(patch.options.dependsOn.includes(release.urn), "after the server has created it");
            });

            it(`${stack}: narrows the application controller's ClusterRole and has it skip what it may not list`, () => {
                const values = releaseOfChart(runs[stack], "argo-cd").inputs.values;
                assert.deepStrictEqual(values.controller.clusterRoleRules, {
                    enabled: true,
                    rules: controllerClusterRules(),
                });
                assert.strictEqual(values.configs.cm["resource.respectRBAC"], "normal");
                assert.deepStrictEqual(values.server.clusterRoleRules, {
                    enabled: true,
                    rules: serverClusterRules(),
                });
            });
        }
    });

    describe("the controller's ClusterRole", () => {
        const rules = controllerClusterRules();

        it("names no wildcard, Secret, exec, RBAC, CRD or non-resource URL, for the controller or the server", () => {
            for (const set of [rules, serverClusterRules()]) {
                const text = JSON.stringify(set);
                assert.ok(!text.includes('"*"'), text);
                assert.ok(set.every((r) => !("nonResourceURLs" in r)));
                assert.ok(!set.some((r) => r.resources.some((res) => /^secrets|exec$/.test(res))));
                assert.ok(!set.some((r) => r.apiGroups.some((g) => /rbac|apiextensions/.test(g))));
            }
        });

        it("lets the controller create, update and delete exactly the tacos project's kinds", () => {
            const writable = rules
                .filter((r) => r.verbs.includes("delete"))
                .flatMap((r) => r.resources.map((res) => `${r.apiGroups[0]}/${res}`))
                .sort();
            const kinds = TACOS_PROJECT_KINDS.map((k) => `${k.group}/${resourceOf(k.kind)}`).sort();
            assert.deepStrictEqual(writable, kinds);
        });

        it("spells each kind's resource as the API server does", () => {
            assert.strictEqual(resourceOf("NetworkPolicy"), "networkpolicies");
            assert.strictEqual(resourceOf("AuthorizationPolicy"), "authorizationpolicies");
            assert.strictEqual(resourceOf("HorizontalPodAutoscaler"), "horizontalpodautoscalers");
            assert.strictEqual(resourceOf("ServiceAccount"), "serviceaccounts");
        });
    });
});
