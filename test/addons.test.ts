/** The add-on declarations and what the installer derives from them: order, identities, namespaces. */
import * as assert from "assert";
import type { AwsScope } from "../components/aws/access";
import { securityPolicySchema } from "../vocabulary/profile-schema";
import {
    ADDON_NAMES,
    ADDONS,
    addonIdentities,
    addonOrder,
    defaultAllowedNamespaces,
    PINNED_CHARTS,
} from "../components/k8s/addons";
import { provide, StackFacts } from "../components/k8s/addons/addon";
import { chartSource } from "../components/k8s/addons/chart";
import { KARPENTER_AWS } from "../components/k8s/addons/karpenter/facts";
import { CONTAINER_LOG_GROUP_PREFIX } from "../components/k8s/addons/logging/facts";
import { ALERTING_AWS } from "../components/k8s/addons/monitoring/facts";
import { mergeDistinct } from "../components/util";
import { ofType, runProgram } from "../tools/harness";
import { installedAddons, serviceValuesOf, STACKS, useStackRuns } from "./stacks";

/** A stack's scope and the AWS facts the add-ons' statements are built from, as plain values. */
const SCOPE: AwsScope = {
    region: "eu-west-1",
    accountId: "123456789012",
    clusterName: "tacos-dev",
    vpcId: "vpc-1",
};
const FACTS: StackFacts = {
    ...provide(KARPENTER_AWS, {
        nodeRoleName: "tacos-dev-karpenter-node",
        nodeRoleArn: "arn:aws:iam::123456789012:role/tacos-dev-karpenter-node",
        interruptionQueueName: "tacos-dev-interruption",
        interruptionQueueArn: "arn:aws:sqs:eu-west-1:123456789012:tacos-dev-interruption",
        discoveryTag: { key: "karpenter.sh/discovery", value: "tacos-dev" },
    }),
    ...provide(ALERTING_AWS, {
        alertTopicArn: "arn:aws:sns:eu-west-1:123456789012:tacos-dev-alerts",
        heartbeatTopicArn: "arn:aws:sns:eu-west-1:123456789012:tacos-dev-heartbeat",
        keyArn: "arn:aws:kms:eu-west-1:123456789012:key/observability",
    }),
    ...provide(CONTAINER_LOG_GROUP_PREFIX, "/aws/containers/tacos-dev"),
};

describe("add-ons", () => {
    const runs = useStackRuns();
    const names = ADDON_NAMES;

    it("installs dependencies first, whatever order a stack lists them in", () => {
        const order = addonOrder(["argocd", "keda", "gateway", "monitoring", "mesh-node", "mesh"]).map(
            (d) => d.name,
        );
        assert.ok(order.indexOf("gateway") < order.indexOf("argocd"), order.join(","));
        assert.ok(
            order.indexOf("monitoring") < Math.min(order.indexOf("gateway"), order.indexOf("keda")),
            "the Prometheus Operator's CRDs before any ServiceMonitor",
        );
        assert.ok(
            order.indexOf("mesh") < Math.min(order.indexOf("mesh-node"), order.indexOf("monitoring")),
            "istiod and the mesh's CRDs before its node agents and Prometheus' PeerAuthentication",
        );
        assert.deepStrictEqual([...order].sort(), [
            "argocd",
            "gateway",
            "keda",
            "mesh",
            "mesh-node",
            "monitoring",
        ]);
    });

    it("refuses an identity key declared twice", () => {
        assert.throws(
            () =>
                mergeDistinct(
                    "workload identity",
                    addonIdentities(["mesh", "mesh-node", "monitoring", "keda"], SCOPE, FACTS),
                    addonIdentities(["mesh", "mesh-node", "monitoring", "keda"], SCOPE, FACTS),
                ),
            /workload identity (alertmanager|keda-operator) is declared twice/,
        );
    });

    it("refuses an enabled add-on whose dependency is not enabled, naming both", () => {
        assert.throws(() => addonOrder(["argocd"]), /argocd needs gateway/);
    });

    it("declares a reason for every namespace below restricted, and pins every chart with where its values were checked", () => {
        for (const name of names) {
            const d = ADDONS[name].declaration;
            assert.strictEqual(d.name, name);
            for (const dep of d.dependsOn)
                assert.ok(dep in ADDONS, `${name} depends on ${dep}, not registered`);
            // The reason names the host access or capability the baseline level forbids.
            if (d.namespace.podSecurity !== "restricted")
                assert.match(d.namespace.reason, /hostPath|host network|NET_ADMIN/, `${name}: reason`);
            for (const chart of d.charts) {
                assert.match(chart.version, /^\d+\.\d+\.\d+$/, `${name}: ${chart.chart} pinned`);
                assert.ok(
                    chart.checkedAgainst.includes(chart.version),
                    `${name}: ${chart.chart} says at which version its values were checked`,
                );
            }
        }
    });

    it("derives each add-on's workload identity from its declaration, in its own namespace", () => {
        const identities = addonIdentities(names, SCOPE, FACTS);
        for (const name of names) {
            const d = ADDONS[name].declaration;
            if (!d.identity) continue;
            assert.deepStrictEqual(
                [
                    identities[d.identity.key].namespace,
                    identities[d.identity.key].serviceAccount,
                    identities[d.identity.key].attribution,
                ],
                [d.namespace.name, d.identity.serviceAccount, { component: d.component }],
            );
        }
        assert.deepStrictEqual(
            Object.keys(addonIdentities(["mesh", "mesh-node", "monitoring", "keda"], SCOPE, FACTS)),
            ["alertmanager", "keda-operator"],
        );
    });

    it("builds an add-on's own statements from the scope and facts it is given, after its grants", () => {
        const identities = addonIdentities(names, SCOPE, FACTS);
        const statements = (key: string) =>
            identities[key].grants.flatMap((g) => (g.kind === "statements" ? g.statements : []));
        const passRole = statements("karpenter").find((s) => s.Action.includes("iam:PassRole"));
        assert.deepStrictEqual(passRole?.Resource, [
            "arn:aws:iam::123456789012:role/tacos-dev-karpenter-node",
        ]);
        assert.deepStrictEqual(statements("alertmanager").find((s) => s.Sid === "PublishAlerts")?.Resource, [
            "arn:aws:sns:eu-west-1:123456789012:tacos-dev-alerts",
            "arn:aws:sns:eu-west-1:123456789012:tacos-dev-heartbeat",
        ]);
        // KEDA reads a queue the stack names: a grant, and no statements of its own.
        assert.deepStrictEqual(identities["keda-operator"].grants, [
            { kind: "sqs", queue: "reservation-events", access: "inspect" },
        ]);
    });

    it("refuses to build a controller's statements without the fact they need, naming both", () => {
        assert.throws(
            () => addonIdentities(["monitoring", "mesh", "mesh-node", "karpenter"], SCOPE, {}),
            /the monitoring add-on needs the alert and heartbeat topics and the observability key/,
        );
    });

    it("allows by default exactly the namespaces of the registered add-ons and the applications", () => {
        assert.strictEqual(securityPolicySchema.parse(undefined).allowedNamespaces, undefined);
        const expected = [
            ...new Set([...ADDON_NAMES.map((n) => ADDONS[n].declaration.namespace.name), "tacos"]),
        ];
        assert.deepStrictEqual(defaultAllowedNamespaces(), expected.sort());
        for (const stack of STACKS) {
            const profile = ofType(runs[stack], "tacos:index:PlatformProfile")[0].inputs;
            assert.deepStrictEqual(profile.securityPolicy.allowedNamespaces, expected, stack);
        }
    });

    for (const stack of STACKS) {
        it(`${stack}: creates one namespace baseline per declared namespace, at the declared Pod Security level`, () => {
            const namespaces = runs[stack].resources.filter((r) => r.type === "kubernetes:core/v1:Namespace");
            for (const name of installedAddons(stack)) {
                const d = ADDONS[name].declaration;
                const ns = namespaces.filter((n) => n.inputs.metadata.name === d.namespace.name);
                assert.strictEqual(ns.length, 1, d.namespace.name);
                assert.strictEqual(
                    ns[0].inputs.metadata.labels["pod-security.kubernetes.io/enforce"],
                    d.namespace.podSecurity,
                );
            }
        });

        it(`${stack}: makes each add-on depend on its namespace and on the add-ons it declares`, () => {
            const byName = new Map(runs[stack].resources.map((r) => [r.name, r]));
            for (const name of installedAddons(stack)) {
                const component = byName.get(name);
                assert.ok(component, `${name} installed`);
                const deps = component.options.dependsOn.map((urn) => urn.split("::").pop());
                // A dependency on a component is recorded as one on each of its resources.
                assert.ok(
                    deps.includes(`ns-${ADDONS[name].declaration.namespace.name}-namespace`),
                    `${name} after its namespace: ${deps}`,
                );
                for (const dep of ADDONS[name].declaration.dependsOn)
                    assert.ok(
                        deps.some((d) => d?.startsWith(`${dep}-`)),
                        `${name} after ${dep}: ${deps}`,
                    );
            }
        });
    }

    for (const stack of STACKS) {
        it(`${stack}: ranks the platform above the services and the worker lowest, and every add-on and service names its class`, () => {
            const classes: Record<string, number> = Object.fromEntries(
                ofType(runs[stack], "kubernetes:scheduling.k8s.io/v1:PriorityClass").map((c) => [
                    c.inputs.metadata.name,
                    c.inputs.value,
                ]),
            );
            assert.ok(
                classes["tacos-platform"] > classes["tacos-service"] &&
                    classes["tacos-service"] > classes["tacos-worker"],
                JSON.stringify(classes),
            );
            assert.ok(
                Object.values(classes).every((v) => v < 1_000_000_000),
                "below Kubernetes' system classes",
            );
            const releases = ofType(runs[stack], "kubernetes:helm.sh/v3:Release");
            const named = (values: any) =>
                values.priorityClassName ??
                values.global?.priorityClassName ??
                values.prometheus?.prometheusSpec?.priorityClassName ??
                values.recommender?.priorityClassName ??
                values.controller?.priorityClassName;
            // A CRD bundle (a pin that sets no values) runs no pods.
            const runsPods = (chart: string) =>
                PINNED_CHARTS.find((c) => chartSource(c).chart === chart)!.valuesKeys.length > 0;
            // Istio's node agents: their charts fix system-node-critical (templates/daemonset.yaml of cni and ztunnel at
            // 1.30.3), above the platform, rightly: a node without them loses its pods' mesh.
            const fixedCritical = ["cni", "ztunnel"];
            // Karpenter keeps its chart's system-cluster-critical: what adds capacity must not be preempted.
            const clusterCritical = (chart: string) => chart.endsWith("/karpenter");
            for (const r of releases.filter((r) => runsPods(r.inputs.chart))) {
                assert.strictEqual(
                    named(r.inputs.values),
                    fixedCritical.includes(r.inputs.chart)
                        ? undefined
                        : clusterCritical(r.inputs.chart)
                          ? "system-cluster-critical"
                          : "tacos-platform",
                    r.inputs.chart,
                );
            }
            for (const app of ofType(runs[stack], "kubernetes:argoproj.io/v1alpha1:Application")) {
                const values = app.inputs.spec.source.helm.valuesObject;
                assert.strictEqual(
                    values.priorityClassName,
                    values.name === "reservation-worker" ? "tacos-worker" : "tacos-service",
                    values.name,
                );
            }
            const classUrns = ofType(runs[stack], "kubernetes:scheduling.k8s.io/v1:PriorityClass").map(
                (c) => c.urn,
            );
            for (const name of installedAddons(stack)) {
                const component = runs[stack].resources.find((r) => r.name === name);
                assert.ok(
                    component && classUrns.every((urn) => component.options.dependsOn.includes(urn)),
                    `${name} after the priority classes`,
                );
            }
        });
    }

    it("installs the edge without a Gateway, and routes nothing to it, when nothing is exposed", async () => {
        const run = await runProgram(
            "dev",
            (c) => (c["tacos:gateway"] = { ...c["tacos:gateway"], exposed: false }),
        );
        assert.ifError(run.error);
        const kinds = run.resources.map((r) => r.inputs?.kind).filter(Boolean);
        assert.deepStrictEqual(
            kinds.filter((k) => k === "Gateway" || k === "HTTPRoute"),
            [],
        );
        assert.strictEqual(
            ofType(run, "kubernetes:helm.sh/v3:Release").filter(
                (r) => r.inputs.chart === "aws-load-balancer-controller",
            ).length,
            1,
            "the controller stays",
        );
        const values = serviceValuesOf(run, "gateway-api");
        assert.deepStrictEqual(values.httpRoute, { enabled: false });
    });

    it("refuses an allowed-namespace list without the enabled add-ons' namespaces, naming the field", async () => {
        const run = await runProgram(
            "dev",
            (c) => (c["tacos:securityPolicy"] = { allowedNamespaces: ["tacos", "argocd"] }),
        );
        assert.match(
            String(run.error?.message),
            /securityPolicy\.allowedNamespaces must include gateway \(the gateway add-on\)[\s\S]*must include keda \(the keda add-on\)/,
        );
        assert.deepStrictEqual(
            run.resources.filter((r) => r.custom),
            [],
            "nothing is created",
        );
    });
});
