/**
 * Delivery proven, not assumed: Pulumi counts an Application delivered once Argo CD reports it
 * Synced and Healthy, callees before callers, and Argo CD retries a failed sync for ever.
 */
import * as assert from "assert";
import { CallGraphCycleError, deliveryOrder } from "../components/apps/delivery-order";
import { ofType, parsedStackConfig, ProgramRun, runProgram } from "../tools/harness";
import { EXPECTED_CALLS } from "./services";
import { stacksWith, useStackRuns } from "./stacks";

const applications = (run: ProgramRun) => ofType(run, "kubernetes:argoproj.io/v1alpha1:Application");

describe("service delivery: proven, not assumed", () => {
    const runs = useStackRuns();

    for (const stack of stacksWith("rollouts")) {
        describe(stack, () => {
            it("waits for each Application to be Synced and Healthy at the pinned commit, for as long as its slowest successful release", () => {
                const canary = parsedStackConfig(stack).delivery.canary!;
                // Each step's minutes, then each step's progress deadline, and the sync's ten minutes.
                const minutes =
                    10 +
                    canary.steps.reduce((sum, step) => sum + step.minutes, 0) +
                    canary.steps.length * Math.ceil(canary.progressDeadlineSeconds / 60);
                for (const app of applications(runs[stack])) {
                    const annotations = app.inputs.metadata.annotations;
                    const pinned = app.inputs.spec.source.targetRevision;
                    assert.match(pinned, /^[0-9a-f]{40}$/);
                    assert.deepStrictEqual(JSON.parse(annotations["pulumi.com/waitFor"]), [
                        "jsonpath={.status.sync.status}=Synced",
                        "jsonpath={.status.health.status}=Healthy",
                        `jsonpath={.status.sync.revision}=${pinned}`,
                    ]);
                    assert.strictEqual(annotations["pulumi.com/timeoutSeconds"], String(minutes * 60));
                }
            });

            it("carries no sync-wave annotation: Pulumi, not a parent Application, creates the Applications", () => {
                for (const app of applications(runs[stack])) {
                    assert.deepStrictEqual(Object.keys(app.inputs.metadata.annotations).sort(), [
                        "pulumi.com/timeoutSeconds",
                        "pulumi.com/waitFor",
                    ]);
                }
            });

            it("creates every callee's Application, and waits for it, before its callers'", () => {
                const apps = applications(runs[stack]);
                const byName = (name: string) => apps.find((a) => a.inputs.metadata.name === name)!;
                for (const edge of EXPECTED_CALLS) {
                    const [, from, to] = /^(.+)->(.+):\d+$/.exec(edge)!;
                    assert.ok(
                        byName(from).options.dependsOn.includes(byName(to).urn),
                        `${to} before ${from}`,
                    );
                }
                const registered = apps.map((a) => a.inputs.metadata.name);
                for (const edge of EXPECTED_CALLS) {
                    const [, from, to] = /^(.+)->(.+):\d+$/.exec(edge)!;
                    assert.ok(registered.indexOf(to) < registered.indexOf(from), `${to} registered first`);
                }
            });

            it("retries a failed sync without limit, backing off from 10 s to 5 minutes", () => {
                for (const app of applications(runs[stack])) {
                    assert.deepStrictEqual(app.inputs.spec.syncPolicy.retry, {
                        limit: -1,
                        backoff: { duration: "10s", factor: 2, maxDuration: "5m" },
                    });
                }
            });
        });
    }

    it("waits for a Deployment's rollout and the sync, twenty minutes, when a stack releases without canaries", async () => {
        const run = await runProgram("dev", (c) => delete c["tacos:delivery"].canary);
        assert.strictEqual(run.error, undefined, String(run.error));
        for (const app of applications(run)) {
            assert.strictEqual(app.inputs.metadata.annotations["pulumi.com/timeoutSeconds"], String(20 * 60));
        }
    });

    it("orders callees before callers and names the services of a cycle", () => {
        assert.deepStrictEqual(deliveryOrder<string>({ a: ["b"], b: ["c"], c: [], d: ["a", "c"] }), [
            "c",
            "b",
            "a",
            "d",
        ]);
        assert.throws(
            () => deliveryOrder({ a: ["b"], b: ["c"], c: ["a"] }),
            (e: unknown) =>
                e instanceof CallGraphCycleError &&
                e.name === "CallGraphCycleError" &&
                e.message.startsWith("The call graph has a cycle (a -> b -> c -> a)"),
        );
        assert.throws(() => deliveryOrder({ x: ["x"] }), /\(x -> x\)/, "a service that calls itself");
    });
});
