/**
 * Argo CD as each stack installs it: reached only through the Gateway from the configured source
 * ranges, dev's admin password and prod's SSO, the tacos AppProject and the orphans it reports,
 * and prod's Redis HA.
 */
import * as assert from "assert";
import { TACOS_PROJECT_KINDS } from "../components/k8s/addons/argocd/project";
import { ProgramRun, SECRET_STAND_INS } from "../tools/harness";
import { byKind } from "./platform-fixtures";
import { releaseOfChart, sectionOf, STACKS, useStackRuns } from "./stacks";

const tacosProject = (run: ProgramRun) =>
    byKind(run, "AppProject").find((p) => p.inputs.metadata.name === "tacos")!;

describe("cluster platform: Argo CD", () => {
    const runs = useStackRuns();

    for (const stack of STACKS) {
        describe(stack, () => {
            it("reaches Argo CD only through the Gateway's HTTPS listener, from the configured source ranges", () => {
                const route = byKind(runs[stack], "HTTPRoute").find(
                    (r) => r.inputs.metadata.namespace === "argocd",
                )!;
                assert.deepStrictEqual(route.inputs.spec.hostnames, [
                    sectionOf(runs[stack], "argocd").hostname,
                ]);
                assert.deepStrictEqual(route.inputs.spec.parentRefs, [
                    { name: "tacos", namespace: "gateway", sectionName: "https" },
                ]);
                // Every rule carries the source-ip condition: a rule without it would answer anyone.
                const [ruleConfig] = byKind(runs[stack], "ListenerRuleConfiguration");
                assert.strictEqual(ruleConfig.inputs.metadata.namespace, "argocd");
                assert.deepStrictEqual(ruleConfig.inputs.spec.conditions, [
                    {
                        field: "source-ip",
                        sourceIPConfig: { values: sectionOf(runs[stack], "argocd").sourceRanges },
                    },
                ]);
                assert.ok(route.inputs.spec.rules.length > 0);
                for (const rule of route.inputs.spec.rules) {
                    assert.deepStrictEqual(rule.filters, [
                        {
                            type: "ExtensionRef",
                            extensionRef: {
                                group: "gateway.k8s.aws",
                                kind: "ListenerRuleConfiguration",
                                name: ruleConfig.inputs.metadata.name,
                            },
                        },
                    ]);
                }
                assert.ok(route.options.dependsOn.includes(ruleConfig.urn), "the condition before the route");
                const argo = releaseOfChart(runs[stack], "argo-cd").inputs.values;
                assert.strictEqual(argo.global.domain, sectionOf(runs[stack], "argocd").hostname);
                assert.strictEqual(argo.configs.params["server.insecure"], true);
                const services = byKind(runs[stack], "Service").filter(
                    (s) => s.inputs.metadata.namespace === "argocd",
                );
                assert.deepStrictEqual(services, [], "no Service of ours exposes Argo CD");
            });

            it("reports orphans in the tacos namespace, except the objects Pulumi itself creates there", () => {
                const project = tacosProject(runs[stack]);
                const { warn, ignore } = project.inputs.spec.orphanedResources;
                assert.strictEqual(warn, true);
                const allowed = (group: string, kind: string) =>
                    TACOS_PROJECT_KINDS.some((k) => k.group === group && k.kind === kind);
                // Pulumi's own objects in the namespace, of kinds the project allows (Argo CD never reports a denied kind).
                const own = runs[stack].resources
                    .filter((r) => r.custom && r.inputs.metadata?.namespace === "tacos")
                    .map((r) => {
                        const [, group] = /^kubernetes:([^/]*)\//.exec(r.type)!;
                        return {
                            group: group === "core" ? "" : group,
                            kind: r.inputs.kind,
                            name: r.inputs.metadata.name,
                        };
                    })
                    .filter((o) => allowed(o.group, o.kind));
                const key = (o: { group: string; kind: string; name: string }) =>
                    `${o.group}/${o.kind}/${o.name}`;
                assert.deepStrictEqual(ignore.map(key).sort(), own.map(key).sort());
            });

            it("limits the tacos AppProject to this repository and the tacos namespace, with no cluster-scoped kinds", () => {
                const project = tacosProject(runs[stack]);
                const spec = project.inputs.spec;
                assert.deepStrictEqual(spec.sourceRepos, [sectionOf(runs[stack], "argocd").repoUrl]);
                assert.deepStrictEqual(spec.destinations, [
                    { server: "https://kubernetes.default.svc", namespace: "tacos" },
                ]);
                assert.deepStrictEqual(spec.clusterResourceWhitelist, []);
                const everything = JSON.stringify(spec);
                assert.ok(!/"\*"/.test(everything), "no wildcard anywhere in the project");
            });
        });
    }

    it("places prod's Redis HA (which ignores argo-cd's global values) on the system nodes, with cost labels, resources and disruption budgets", () => {
        const redisHa = releaseOfChart(runs.prod, "argo-cd").inputs.values["redis-ha"];
        assert.deepStrictEqual(redisHa.nodeSelector, { "tacos.io/node-group": "system" });
        assert.deepStrictEqual(
            redisHa.tolerations.map((t: any) => t.key),
            ["CriticalAddonsOnly"],
        );
        assert.strictEqual(redisHa.extraLabels["cost.tacos.io/component"], "argocd");
        for (const part of [
            redisHa.redis,
            redisHa.sentinel,
            redisHa.haproxy,
            redisHa.init,
            redisHa.haproxy.init,
            redisHa.splitBrainDetection,
        ]) {
            assert.ok(part.resources.requests.cpu && part.resources.limits.memory);
        }
        assert.deepStrictEqual(
            [redisHa.podDisruptionBudget, redisHa.haproxy.podDisruptionBudget],
            [{ maxUnavailable: 1 }, { maxUnavailable: 1 }],
        );
        assert.deepStrictEqual(
            redisHa.haproxy.deploymentStrategy.rollingUpdate,
            { maxSurge: 0, maxUnavailable: 1 },
            "no surge pod: the three proxies need three nodes",
        );
    });

    it("takes dev's admin password from secret config as a bcrypt hash with a pinned change time, and keeps it secret; dex is off", () => {
        const argo = releaseOfChart(runs.dev, "argo-cd");
        const { secret, cm } = argo.inputs.values.configs;
        assert.match(secret.argocdServerAdminPassword, /^\$2[aby]\$/);
        // Pinned, so that argocd-secret does not change on every run.
        assert.match(secret.argocdServerAdminPasswordMtime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
        assert.ok(
            argo.secretInputs.some((p) => p.startsWith("values")),
            "values carrying the hash are secret",
        );
        assert.strictEqual(cm["admin.enabled"], true);
        assert.strictEqual(argo.inputs.values.dex.enabled, false);
    });

    it("signs prod in through SSO only: the local admin off, the client secret from secret config, kept secret", () => {
        const argo = releaseOfChart(runs.prod, "argo-cd");
        const values = argo.inputs.values;
        const oidc = sectionOf(runs.prod, "argocd").oidc;
        assert.strictEqual(values.configs.cm["admin.enabled"], false);
        assert.deepStrictEqual(JSON.parse(values.configs.cm["oidc.config"]), {
            name: "SSO",
            issuer: oidc.issuer,
            clientID: oidc.clientId,
            clientSecret: "$oidc.clientSecret",
            requestedScopes: ["openid", "profile", "email", "groups"],
        });
        assert.strictEqual(
            values.configs.secret.extra["oidc.clientSecret"],
            SECRET_STAND_INS.argocdOidcClientSecret,
        );
        assert.ok(argo.secretInputs.some((p) => p.startsWith("values")));
        assert.strictEqual(values.configs.secret.argocdServerAdminPassword, undefined);
        assert.strictEqual(values.dex.enabled, false);
    });
});
