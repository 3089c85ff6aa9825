/**
 * Argo Rollouts, the controller the services' canaries run under: placement, the
 * Gateway API plugin copied in from its pinned image (nothing downloaded at start), permissions
 * for that one traffic provider, and CloudWatch access for the worker's analysis.
 */
import * as assert from "assert";
import { GATEWAY_API_PLUGIN } from "../components/k8s/addons/rollouts";
import { bytesOf } from "../vocabulary/quantity";
import { findResource, ofType } from "../tools/harness";
import { stacksWith, useStackRuns } from "./stacks";

describe("Argo Rollouts", () => {
    const runs = useStackRuns();

    for (const stack of stacksWith("rollouts")) {
        it(`${stack}: runs the controller on the system nodes, two replicas with a budget only in HA stacks`, () => {
            const values = findResource(runs[stack], "kubernetes:helm.sh/v3:Release", "rollouts-release")
                .inputs.values;
            const ha = stack === "prod";
            assert.deepStrictEqual(
                [values.controller.replicas, values.controller.pdb.enabled],
                [ha ? 2 : 1, ha],
            );
            assert.deepStrictEqual(values.controller.nodeSelector, { "tacos.io/node-group": "system" });
            assert.strictEqual(values.dashboard.enabled, false);
        });

        it(`${stack}: loads the Gateway API plugin from a file an init container copies from the pinned image, downloading nothing`, () => {
            const { controller } = findResource(
                runs[stack],
                "kubernetes:helm.sh/v3:Release",
                "rollouts-release",
            ).inputs.values;
            const [init] = controller.initContainers;
            assert.match(
                init.image,
                /^ghcr\.io\/argoproj-labs\/rollouts-plugin-trafficrouter-gatewayapi:v\d+\.\d+\.\d+$/,
                "a release tag",
            );
            const mount = init.volumeMounts[0];
            assert.deepStrictEqual(init.command, ["cp", GATEWAY_API_PLUGIN.binary, `${mount.mountPath}/`]);
            const volume = controller.volumes.find((v: any) => v.name === mount.name && v.emptyDir);
            assert.ok(volume, "an emptyDir");
            // The linux/arm64 binary of v0.15.0 is 51,052,706 bytes (built as its Dockerfile builds it): kubelet evicts
            // the controller when the emptyDir outgrows its limit, so it holds the binary twice over at least.
            assert.ok(bytesOf(volume.emptyDir.sizeLimit) >= 2 * 51_052_706, volume.emptyDir.sizeLimit);
            assert.ok(
                controller.volumeMounts.some(
                    (m: any) => m.name === mount.name && m.mountPath === mount.mountPath,
                ),
                "the controller mounts it where the init container wrote",
            );
            assert.deepStrictEqual(controller.trafficRouterPlugins, [
                {
                    name: "argoproj-labs/gatewayAPI",
                    location: `file://${mount.mountPath}/rollouts-plugin-trafficrouter-gatewayapi`,
                },
            ]);
            assert.deepStrictEqual(
                [
                    init.securityContext.allowPrivilegeEscalation,
                    init.securityContext.readOnlyRootFilesystem,
                    init.securityContext.runAsNonRoot,
                ],
                [false, true, true],
            );
        });

        it(`${stack}: grants route permissions for the Gateway API only, and lets the controller query Prometheus`, () => {
            const run = runs[stack];
            const { providerRBAC } = findResource(run, "kubernetes:helm.sh/v3:Release", "rollouts-release")
                .inputs.values;
            assert.deepStrictEqual(
                Object.entries(providerRBAC.providers)
                    .filter(([, on]) => on)
                    .map(([p]) => p),
                ["gatewayAPI"],
            );
            assert.deepStrictEqual(providerRBAC.additionalRules, [
                {
                    apiGroups: ["gateway.networking.k8s.io"],
                    resources: ["httproutes", "grpcroutes"],
                    verbs: ["patch"],
                },
            ]);
            const egress = ofType(run, "kubernetes:networking.k8s.io/v1:NetworkPolicy")
                .map((p) => p.inputs)
                .find(
                    (p) =>
                        p.metadata.namespace === "argo-rollouts" && p.metadata.name === "allow-to-prometheus",
                );
            assert.ok(egress, "egress to Prometheus for the AnalysisRuns");
        });

        it(`${stack}: reads CloudWatch for the worker's queue age through Pod Identity, with the region the provider needs`, () => {
            const run = runs[stack];
            const { controller } = findResource(run, "kubernetes:helm.sh/v3:Release", "rollouts-release")
                .inputs.values;
            assert.deepStrictEqual(controller.extraEnv, [
                { name: "AWS_REGION", value: run.config["aws:region"] },
            ]);
            const association = ofType(run, "aws:eks/podIdentityAssociation:PodIdentityAssociation")
                .map((a) => a.inputs)
                .find((a) => a.namespace === "argo-rollouts");
            assert.deepStrictEqual(
                association && [association.serviceAccount],
                ["argo-rollouts"],
                "the chart's controller service account",
            );
            const policies = ofType(run, "kubernetes:networking.k8s.io/v1:NetworkPolicy")
                .map((p) => p.inputs)
                .filter((p) => p.metadata.namespace === "argo-rollouts");
            const egressTo = policies
                .flatMap((p) => p.spec.egress ?? [])
                .flatMap((e: any) =>
                    (e.to ?? []).map(
                        (t: any) => `${t.ipBlock?.cidr}:${e.ports?.map((x: any) => x.port).join(",")}`,
                    ),
                );
            assert.ok(
                egressTo.includes("0.0.0.0/0:443") && egressTo.includes("169.254.170.23/32:80"),
                `AWS APIs and the Pod Identity agent: ${egressTo.join(" ")}`,
            );
        });

        it(`${stack}: lets KEDA scale the services' Rollouts and nothing but its own kinds (not every object of the cluster)`, () => {
            const values = findResource(runs[stack], "kubernetes:helm.sh/v3:Release", "keda-release").inputs
                .values;
            assert.deepStrictEqual(values.rbac.scaledRefKinds, [
                { apiGroup: "argoproj.io", kind: "rollouts" },
            ]);
        });
    }
});
