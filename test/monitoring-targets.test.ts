/**
 * The alerts on every service's lost scrape targets, over the jobs the services' chart really
 * makes: what tells when Prometheus stops scraping a service.
 */
import * as assert from "assert";
import { SERVICE_NAMES } from "../components/apps/catalogue";
import { SCRAPE_ABSENT_FOR, scrapeTargetSelector } from "../components/apps/scrape-alerts";
import { APP_NAMESPACE } from "../vocabulary/platform";
import { findResource, ofType } from "../tools/harness";
import { metricsOf } from "./promql";
import { renderedLookups, serviceValuesOf, STACKS, useRenderedServices, useStackRuns } from "./stacks";

describe("monitoring: scrape targets", () => {
    const runs = useStackRuns();
    const rendered = useRenderedServices(runs);
    const { objectsOf } = renderedLookups(rendered);

    for (const stack of STACKS) {
        describe(stack, () => {
            it("alerts when a service's scrape target fails, and when a service that never scales to zero has none", () => {
                const rules = findResource(
                    runs[stack],
                    "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
                    "monitoring-platform-rules",
                )
                    .inputs.spec.groups.flatMap((g: any) => g.rules)
                    .filter((r: any) => r.labels.kind === "scrape");
                for (const service of SERVICE_NAMES) {
                    const own = rules.filter((r: any) => r.labels.service === service);
                    for (const r of own) assert.deepStrictEqual(metricsOf(r.expr), ["up"], r.expr);
                    assert.ok(
                        own.some((r: any) => r.expr === `${scrapeTargetSelector(service)} == 0`),
                        service,
                    );
                    const absent = own.find((r: any) => r.expr.startsWith("absent("));
                    const { minReplicas } = serviceValuesOf(runs[stack], service).autoscaling;
                    assert.strictEqual(Boolean(absent), minReplicas > 0, service);
                    if (absent) assert.strictEqual(absent.for, SCRAPE_ABSENT_FOR);
                }
            });

            it("selects each service's real scrape job: its ServiceMonitor's one Service, named after it, in the applications' namespace", () => {
                for (const service of SERVICE_NAMES) {
                    const [monitor] = objectsOf(stack, service, "ServiceMonitor");
                    const scraped = objectsOf(stack, service, "Service").filter(
                        (s: any) =>
                            Object.entries(monitor.spec.selector.matchLabels).every(
                                ([k, v]) => s.metadata.labels[k] === v,
                            ) &&
                            monitor.spec.selector.matchExpressions.every(
                                (e: any) => e.operator === "DoesNotExist" && !(e.key in s.metadata.labels),
                            ),
                    );
                    // The operator's job label is the scraped Service's name.
                    assert.deepStrictEqual(
                        scraped.map((s: any) => s.metadata.name),
                        [service],
                    );
                    const app = ofType(runs[stack], "kubernetes:argoproj.io/v1alpha1:Application").find(
                        (a) => a.inputs.metadata.name === service,
                    )!;
                    assert.strictEqual(app.inputs.spec.destination.namespace, APP_NAMESPACE);
                    assert.ok(serviceValuesOf(runs[stack], service).serviceMonitor.enabled);
                    assert.ok(scrapeTargetSelector(service).includes(`job="${service}"`));
                }
            });
        });
    }
});
