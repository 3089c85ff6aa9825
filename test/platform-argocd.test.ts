/**
 * Argo CD as each stack installs it: reached only through the Gateway, its admin password or SSO,
 * the tacos AppProject and the orphans it reports, and prod's Redis HA.
 */
import * as assert from "assert";
import { TACOS_PROJECT_KINDS } from "../components/k8s/addons/argocd/project";
import { runProgram } from "../tools/harness";
import { byKind } from "./platform-fixtures";
import { releaseOfChart, sectionOf, STACKS, useStackRuns } from "./stacks";

describe("cluster platform: Argo CD", () => {
    const runs = useStackRuns();

    for (const stack of STACKS) {
        describe(stack, () => {
            it("reaches Argo CD only through the Gateway's HTTPS listener", () => {
                const route = byKind(runs[stack], "HTTPRoute").find(
                    (r) => r.inputs.metadata.namespace === "argocd",
                )!;
                assert.deepStrictEqual(route.inputs.spec.hostnames, [
                    sectionOf(runs[stack], "argocd").hostname,
                ]);
                assert.deepStrictEqual(route.inputs.spec.parentRefs, [
                    { name: "tacos", namespace: "gateway", sectionName: "https" },
                ]);
                const argo = releaseOfChart(runs[stack], "argo-cd").inputs.values;
                assert.strictEqual(argo.global.domain, sectionOf(runs[stack], "argocd").hostname);
                assert.strictEqual(argo.configs.params["server.insecure"], true);
                const services = byKind(runs[stack], "Service").filter(
                    (s) => s.inputs.metadata.namespace === "argocd",
                );
                assert.deepStrictEqual(services, [], "no Service of ours exposes Argo CD");
            });

            it("takes the admin password from secret config as a bcrypt hash and keeps it secret; dex is off", () => {
                const argo = releaseOfChart(runs[stack], "argo-cd");
                assert.match(argo.inputs.values.configs.secret.argocdServerAdminPassword, /^\$2[aby]\$/);
                assert.ok(
                    argo.secretInputs.some((p) => p.startsWith("values")),
                    "values carrying the hash are secret",
                );
                assert.strictEqual(argo.inputs.values.configs.cm["admin.enabled"], true);
                assert.strictEqual(argo.inputs.values.dex.enabled, false);
            });

            it("reports orphans in the tacos namespace, except the objects Pulumi itself creates there", () => {
                const [project] = byKind(runs[stack], "AppProject");
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
                const [project] = byKind(runs[stack], "AppProject");
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

    it("pins the Argo CD admin password's change time, so that argocd-secret does not change on every run", () => {
        const secret = releaseOfChart(runs.prod, "argo-cd").inputs.values.configs.secret;
        assert.match(secret.argocdServerAdminPasswordMtime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    });

    it("disables the local admin and reads the client secret under SSO", async () => {
        const run = await runProgram("dev", (c) => {
            delete c["tacos:argocdAdminPasswordHash"];
            c["tacos:argocd"].oidc = { issuer: "https://sso.example.com", clientId: "argocd" };
            c["tacos:argocdOidcClientSecret"] = "a-client-secret-of-some-length";
        });
        assert.strictEqual(run.error, undefined, String(run.error));
        const values = releaseOfChart(run, "argo-cd").inputs.values;
        assert.strictEqual(values.configs.cm["admin.enabled"], false);
        assert.strictEqual(JSON.parse(values.configs.cm["oidc.config"]).issuer, "https://sso.example.com");
        assert.strictEqual(
            values.configs.secret.extra["oidc.clientSecret"],
            "a-client-secret-of-some-length",
        );
        assert.strictEqual(values.configs.secret.argocdServerAdminPassword, undefined);
    });
});
