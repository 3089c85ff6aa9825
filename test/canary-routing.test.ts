/**
 * Where a canary's traffic goes: gateway-api's by the HTTPRoute's weights, which Argo CD and Pulumi
 * leave to Argo Rollouts, the others by replica count; its scrapes, its AppProject kinds and the
 * namespace quota's room for a second ReplicaSet.
 */
import * as assert from "assert";
import { CANARY_ROUTE_RULES } from "../components/apps/delivery";
import { CATALOGUE, SERVICE_NAMES } from "../components/apps/catalogue";
import { ROLLING_UPDATE_MAX_SURGE_PERCENT, sizingAtMaxScale } from "../components/apps/sizing";
import { TACOS_PROJECT_KINDS } from "../components/k8s/addons/argocd/project";
import { findResource, parsedStackConfig } from "../tools/harness";
import { one, stacksWith, useRenderedServices, useStackRuns } from "./stacks";

describe("canary routing", () => {
    const runs = useStackRuns();
    const rendered = useRenderedServices(runs);

    for (const stack of stacksWith("rollouts")) {
        describe(stack, () => {
            it("routes gateway-api's canary by the HTTPRoute's weights between a stable and a canary Service; the others by replica count", () => {
                for (const service of SERVICE_NAMES) {
                    const canary = one(rendered[stack][service], "Rollout").spec.strategy.canary;
                    if (CATALOGUE[service].exposedPaths) {
                        assert.deepStrictEqual(
                            [canary.stableService, canary.canaryService],
                            [`${service}-stable`, `${service}-canary`],
                        );
                        assert.deepStrictEqual(canary.trafficRouting, {
                            plugins: {
                                "argoproj-labs/gatewayAPI": { httpRoute: service, namespace: "tacos" },
                            },
                        });
                        const names = rendered[stack][service]
                            .filter((o) => o.kind === "Service")
                            .map((o) => o.metadata.name);
                        assert.deepStrictEqual(names.sort(), [
                            service,
                            `${service}-canary`,
                            `${service}-stable`,
                        ]);
                    } else {
                        assert.deepStrictEqual(
                            [canary.trafficRouting, canary.stableService, canary.canaryService],
                            [undefined, undefined, undefined],
                            service,
                        );
                    }
                }
            });

            it("scrapes each pod once: the ServiceMonitor selects the service's own Service, not the route's stable and canary ones", () => {
                const objects = rendered[stack]["gateway-api"];
                const { selector } = one(objects, "ServiceMonitor").spec;
                const selects = (labels: Record<string, string>) =>
                    Object.entries(selector.matchLabels).every(([k, v]) => labels[k] === v) &&
                    selector.matchExpressions.every(
                        (e: any) => e.operator === "DoesNotExist" && !(e.key in labels),
                    );
                const selected = objects
                    .filter((o) => o.kind === "Service" && selects(o.metadata.labels))
                    .map((o) => o.metadata.name);
                assert.deepStrictEqual(selected, ["gateway-api"]);
            });

            it("lets the tacos AppProject create every kind the chart renders", () => {
                const allowed = new Set(TACOS_PROJECT_KINDS.map((k) => `${k.group}/${k.kind}`));
                for (const service of SERVICE_NAMES) {
                    for (const o of rendered[stack][service]) {
                        const group = o.apiVersion.includes("/") ? o.apiVersion.split("/")[0] : "";
                        assert.ok(
                            allowed.has(`${group}/${o.kind}`),
                            `${service}: ${o.kind} (${group || "core"}) is not in the AppProject`,
                        );
                    }
                }
            });

            it("leaves the weights to Argo Rollouts: Argo CD ignores the route's rules while the plugin marks a canary, and no Pulumi resource sets one", () => {
                const app = findResource(
                    runs[stack],
                    "kubernetes:argoproj.io/v1alpha1:Application",
                    "services-gateway-api",
                ).inputs.spec;
                assert.ok(
                    app.ignoreDifferences.some(
                        (d: any) =>
                            d.kind === "HTTPRoute" &&
                            d.name === "gateway-api" &&
                            d.jqPathExpressions.includes(CANARY_ROUTE_RULES),
                    ),
                );
                assert.strictEqual(
                    CANARY_ROUTE_RULES,
                    'select(.metadata.labels["rollouts.argoproj.io/gatewayapi-canary"] == "in-progress") | .spec.rules',
                );
                const plugin = one(rendered[stack]["gateway-api"], "Rollout").spec.strategy.canary
                    .trafficRouting.plugins["argoproj-labs/gatewayAPI"];
                assert.ok(
                    !plugin.disableInProgressLabel &&
                        !plugin.inProgressLabelKey &&
                        !plugin.inProgressLabelValue,
                    "the plugin marks the route with its default label",
                );
                assert.ok(app.syncPolicy.syncOptions.includes("RespectIgnoreDifferences=true"));
                const withWeights = runs[stack].resources.filter(
                    (r) =>
                        JSON.stringify(r.inputs ?? {}).includes('"weight"') && r.type.includes("HTTPRoute"),
                );
                assert.deepStrictEqual(
                    withWeights.map((r) => r.name),
                    [],
                    "Pulumi manages no HTTPRoute weights",
                );
            });

            it("makes room in the namespace quota for a routed canary's full second ReplicaSet", () => {
                const config = parsedStackConfig(stack);
                const surge = Object.fromEntries(
                    SERVICE_NAMES.map((service, i) => [service, sizingAtMaxScale(config)[i].maxSurgePercent]),
                );
                assert.deepStrictEqual(
                    surge,
                    Object.fromEntries(
                        SERVICE_NAMES.map((s) => [
                            s,
                            CATALOGUE[s].exposedPaths ? 100 : ROLLING_UPDATE_MAX_SURGE_PERCENT,
                        ]),
                    ),
                );
                const withoutCanary = sizingAtMaxScale({
                    ...config,
                    delivery: { ...config.delivery, canary: undefined },
                });
                assert.ok(
                    withoutCanary.every((s) => s.maxSurgePercent === ROLLING_UPDATE_MAX_SURGE_PERCENT),
                    "Deployments surge by their rolling update only",
                );
            });
        });
    }
});
