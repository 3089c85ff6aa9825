/**
 * The add-on switches (`tacos:addons.enabled`): each switchable add-on switched off in the dev
 * stack file leaves a program without it and with its dependents adjusted; the review stack runs
 * without the ones it switches off; a fixed add-on switched off, and a setting that needs a
 * switched-off add-on, are refused naming the field.
 */
import * as assert from "assert";
import { ConfigError, FIXED_ADDONS, SWITCHABLE_ADDONS, SwitchableAddon } from "../components/config";
import { ADDON_NAMES, ADDONS } from "../components/k8s/addons";
import type { Addon, AddonDeclaration } from "../components/k8s/addons/addon";
import { checkAddons } from "../components/k8s/addons/registry";
import { ofType, parsedStackConfig, ProgramRun, runProgram } from "../tools/harness";
import { problemsAfter } from "./config-problems";
import { peerNamespace, policies } from "./observability-objects";
import { sectionOf, serviceValuesOf, useStackRuns } from "./stacks";

const releases = (run: ProgramRun) => ofType(run, "kubernetes:helm.sh/v3:Release").map((r) => r.inputs.chart);
const env = (run: ProgramRun, service: string): Record<string, string> => serviceValuesOf(run, service).env;
const egressPorts = (run: ProgramRun, service: string, namespace: string): number[] =>
    serviceValuesOf(run, service)
        .networkPolicy.egress.filter((p: any) => p.namespace === namespace)
        .flatMap((p: any) => p.ports);
const dashboardFiles = (run: ProgramRun) =>
    ofType(run, "kubernetes:core/v1:ConfigMap")
        .filter((c) => c.inputs.metadata.labels?.grafana_dashboard === "1")
        .flatMap((c) => Object.keys(c.inputs.data));

/** What a run has of an add-on: its charts' releases, its footprint record, its workload identity. */
function traces(run: ProgramRun, name: SwitchableAddon) {
    const { charts, identity } = ADDONS[name].declaration;
    return {
        releases: releases(run).filter((chart) => charts.some((c) => c.chart === chart)),
        footprint: ofType(run, "tacos:k8s:AddonFootprint").filter((f) => f.inputs.addon === name),
        identity: identity
            ? Object.keys(run.outputs.roleArns as object).filter((k) => k === identity.key)
            : [],
    };
}

/** The adjustment of each switchable add-on's dependents: `on` tells whether the run has the add-on. */
const DEPENDENTS: Record<SwitchableAddon, (run: ProgramRun, on: boolean) => void> = {
    tracing: (run, on) => {
        const gateway = env(run, "gateway-api");
        assert.strictEqual(gateway.OBSERVABILITY_OTLP_ENDPOINT !== undefined, on, "gateway-api's endpoint");
        assert.strictEqual(gateway.OBSERVABILITY_TRACING_ENABLED, on ? undefined : "false");
        const reservation = env(run, "reservation-api");
        assert.strictEqual(reservation.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined, on);
        assert.strictEqual(reservation.OTEL_TRACES_EXPORTER, on ? undefined : "none");
        assert.ok(
            reservation.JAVA_OPTS.includes("-javaagent:"),
            "the agent stays: it still propagates context",
        );
        assert.strictEqual(env(run, "inventory-api").OTEL_EXPORTER_OTLP_ENDPOINT !== undefined, on);
        assert.deepStrictEqual(egressPorts(run, "gateway-api", "monitoring"), on ? [4318] : []);
        assert.deepStrictEqual(egressPorts(run, "inventory-api", "monitoring"), on ? [4317] : []);
        // The collector's own rule admitting the applications goes with it.
        const otlpIngress = ofType(run, "kubernetes:networking.k8s.io/v1:NetworkPolicy").filter((p) =>
            p.name.endsWith("otlp-from-applications"),
        );
        assert.strictEqual(otlpIngress.length, on ? 1 : 0);
    },
    opencost: (run, on) => {
        assert.strictEqual(dashboardFiles(run).includes("cost.json"), on, "the cost dashboard");
        assert.ok(dashboardFiles(run).includes("platform.json"));
        const namespaces = ofType(run, "kubernetes:core/v1:Namespace").map((n) => n.inputs.metadata.name);
        assert.strictEqual(namespaces.includes("opencost"), on);
        // No NetworkPolicy (Prometheus' scrape egress, its query port's clients) names OpenCost's namespace.
        const naming = policies(run).filter((p) =>
            [
                ...(p.spec.ingress ?? []).flatMap((i: any) => i.from ?? []),
                ...(p.spec.egress ?? []).flatMap((e: any) => e.to ?? []),
            ]
                .map(peerNamespace)
                .includes("opencost"),
        );
        assert.strictEqual(naming.length > 0, on);
    },
    vpa: (run, on) => {
        for (const service of ["gateway-api", "reservation-worker"]) {
            assert.strictEqual(serviceValuesOf(run, service).verticalPodAutoscaler.enabled, on, service);
        }
    },
    rollouts: (run, on) => {
        for (const service of ["gateway-api", "reservation-worker"]) {
            assert.strictEqual(serviceValuesOf(run, service).rollout.enabled, on, service);
        }
        assert.strictEqual(sectionOf(run, "delivery").canary !== undefined, on);
    },
};

/** Switches `name` off in a stack file (unsetting the canary too when Rollouts go). */
function switchOff(name: SwitchableAddon) {
    return (config: Record<string, any>) => {
        config["tacos:addons"] = { ...config["tacos:addons"], enabled: { [name]: false } };
        if (name === "rollouts") delete config["tacos:delivery"].canary;
    };
}

describe("add-on switches", function () {
    this.timeout(600000);
    const runs = useStackRuns();

    it("has a switch, or a reason it has none, for exactly the registry's add-ons", () => {
        assert.deepStrictEqual(
            [...Object.keys(SWITCHABLE_ADDONS), ...Object.keys(FIXED_ADDONS)].sort(),
            [...ADDON_NAMES].sort(),
        );
    });

    for (const name of Object.keys(SWITCHABLE_ADDONS) as SwitchableAddon[]) {
        it(`leaves ${name} out when switched off, its dependents adjusted`, async () => {
            const dev = runs.dev;
            const on = traces(dev, name);
            assert.ok(on.releases.length > 0 && on.footprint.length === 1, `dev installs ${name}`);
            DEPENDENTS[name](dev, true);
            const run = await runProgram("dev", switchOff(name));
            assert.ifError(run.error);
            assert.deepStrictEqual(traces(run, name), { releases: [], footprint: [], identity: [] });
            DEPENDENTS[name](run, false);
            // Nothing else goes: every other add-on's releases stay.
            assert.strictEqual(releases(run).length, releases(dev).length - on.releases.length);
        });
    }

    it("runs the review stack without the add-ons it switches off, their dependents adjusted", () => {
        const review = runs.review;
        const off = Object.entries(sectionOf(review, "addons").enabled)
            .filter(([, enabled]) => enabled === false)
            .map(([name]) => name as SwitchableAddon);
        assert.deepStrictEqual(off.sort(), ["opencost", "rollouts", "tracing", "vpa"]);
        for (const name of off) {
            assert.deepStrictEqual(traces(review, name), { releases: [], footprint: [], identity: [] }, name);
            DEPENDENTS[name](review, false);
        }
    });

    it("refuses switching off an add-on the platform cannot run without, saying why", () => {
        const problems = problemsAfter((c) => {
            c["tacos:addons"].enabled = { mesh: false, monitoring: false, tracing: false };
        });
        assert.deepStrictEqual(problems, [
            `addons.enabled.mesh cannot be switched off: ${FIXED_ADDONS.mesh}`,
            `addons.enabled.monitoring cannot be switched off: ${FIXED_ADDONS.monitoring}`,
        ]);
    });

    it("names the switch when a setting needs a switched-off add-on", () => {
        assert.deepStrictEqual(
            problemsAfter((c) => {
                c["tacos:addons"].enabled = { rollouts: false };
            }),
            [
                "delivery.canary needs the rollouts add-on, which addons.enabled.rollouts switches off: unset the setting or switch the add-on on",
            ],
        );
    });

    it("names the switch when an add-on depends on a switched-off one", () => {
        const needsTracing: AddonDeclaration = {
            ...ADDONS.tracing.declaration,
            name: "trace-reader",
            dependsOn: ["tracing"],
        };
        const registry: Record<string, Addon> = {
            ...(ADDONS as Record<string, Addon>),
            "trace-reader": { ...(ADDONS.tracing as Addon), declaration: needsTracing },
        };
        const enabled = [...ADDON_NAMES.filter((n) => n !== "tracing"), "trace-reader"];
        assert.throws(
            () => checkAddons(registry, enabled, parsedStackConfig("dev")),
            (e: unknown) =>
                e instanceof ConfigError &&
                e.problems.join("\n") ===
                    "addons.enabled.tracing is false, but the trace-reader add-on needs it: switch it on",
        );
    });
});
