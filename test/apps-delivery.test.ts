/**
 * The five services' delivery: an Argo CD Application per service from this repository's chart at
 * the pinned revision, in the call graph's order, or a Helm release per service.
 */
import * as assert from "assert";
import { CATALOGUE, SERVICE_NAMES } from "../components/apps/catalogue";
import { CANARY_ROUTE_RULES } from "../components/apps/delivery";
import { findResource, ofType, ProgramRun, runProgram } from "../tools/harness";
import { serviceValuesOf, stacksWith, useStackRuns } from "./stacks";

describe("service delivery", () => {
    const runs = useStackRuns();
    const applications = (run: ProgramRun) => ofType(run, "kubernetes:argoproj.io/v1alpha1:Application");

    describe("delivery", () => {
        for (const stack of stacksWith("rollouts")) {
            it(`${stack}: an Argo CD Application per service, in project tacos, from this repository's chart at the pinned revision`, () => {
                const apps = applications(runs[stack]);
                assert.deepStrictEqual(
                    apps.map((a) => a.inputs.metadata.name).sort(),
                    [...SERVICE_NAMES].sort(),
                );
                const argocd = runs[stack].config["tacos:argocd"] as any;
                for (const app of apps) {
                    const spec = app.inputs.spec;
                    assert.strictEqual(spec.project, "tacos");
                    assert.deepStrictEqual(
                        [spec.source.repoURL, spec.source.targetRevision, spec.source.path],
                        [argocd.repoUrl, argocd.chartRevision, "charts/tacos-service"],
                    );
                    assert.deepStrictEqual(spec.source.helm.valueFiles, [`values-${stack}.yaml`]);
                    assert.deepStrictEqual(spec.destination, {
                        server: "https://kubernetes.default.svc",
                        namespace: "tacos",
                    });
                    assert.deepStrictEqual(spec.syncPolicy.automated, { prune: true, selfHeal: true });
                    assert.strictEqual(spec.syncPolicy.retry.limit, -1, "retried without limit");
                    // The autoscaler owns the Rollout's replicas; Argo Rollouts gateway-api's route while a canary runs.
                    const name = app.inputs.metadata.name;
                    assert.deepStrictEqual(spec.ignoreDifferences, [
                        { group: "argoproj.io", kind: "Rollout", name, jsonPointers: ["/spec/replicas"] },
                        ...(name === "gateway-api"
                            ? [
                                  {
                                      group: "gateway.networking.k8s.io",
                                      kind: "HTTPRoute",
                                      name,
                                      jqPathExpressions: [CANARY_ROUTE_RULES],
                                  },
                              ]
                            : []),
                    ]);
                    assert.ok(
                        spec.syncPolicy.syncOptions.includes("RespectIgnoreDifferences=true"),
                        "a sync keeps the ignored fields' live values",
                    );
                }
            });

            it(`${stack}: the Applications carry the catalogue's values`, () => {
                for (const service of SERVICE_NAMES) {
                    const values = serviceValuesOf(runs[stack], service);
                    const entry = CATALOGUE[service];
                    assert.deepStrictEqual(values.ports, entry.ports);
                    assert.deepStrictEqual(values.resources, entry.resources);
                    assert.strictEqual(
                        values.image.tag,
                        (runs[stack].config["tacos:images"] as any).tags[service],
                    );
                    assert.strictEqual(
                        values.image.repository,
                        `${(runs[stack].config["tacos:images"] as any).registry}/traffic-tacos-${service}`,
                    );
                    assert.strictEqual(
                        values.autoscaling.mode,
                        entry.scaling.kind === "hpa" && entry.scaling.requestRate
                            ? "keda"
                            : entry.scaling.kind,
                    );
                }
            });

            it(`${stack}: the JWT secret gateway-api references exists, from secret config, and stays secret`, () => {
                const secret = findResource(runs[stack], "kubernetes:core/v1:Secret", "services-jwt");
                assert.deepStrictEqual(
                    [secret.inputs.metadata.name, secret.inputs.metadata.namespace],
                    ["gateway-api-jwt", "tacos"],
                );
                assert.ok(secret.secretInputs.some((p) => p.startsWith("stringData")));
            });
        }

        it("delivers a Helm release per service with atomic rollback when a stack chooses helm", async () => {
            const run = await runProgram("dev", (c) => (c["tacos:delivery"] = { mode: "helm" }));
            assert.strictEqual(run.error, undefined, String(run.error));
            assert.strictEqual(applications(run).length, 0);
            const services = ofType(run, "kubernetes:helm.sh/v3:Release").filter((r) =>
                (SERVICE_NAMES as readonly string[]).includes(r.inputs.name),
            );
            assert.deepStrictEqual(services.map((r) => r.inputs.name).sort(), [...SERVICE_NAMES].sort());
            for (const r of services) {
                assert.deepStrictEqual(
                    [r.inputs.atomic, r.inputs.cleanupOnFail, r.inputs.namespace],
                    [true, true, "tacos"],
                );
                assert.match(r.inputs.chart, /charts\/tacos-service$/);
                assert.strictEqual(r.inputs.values.name, r.inputs.name);
            }
        });
    });
});
