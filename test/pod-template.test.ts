/** Finding the pod an object runs (the Pod Security engine's podTemplateOf), kind by kind. */
import * as assert from "assert";
import { podTemplateOf } from "../vocabulary/pod-security";
import { restrictedPod } from "./pod-security-fixture";

describe("podTemplateOf", () => {
    const { spec, metadata } = restrictedPod();
    const template = { metadata, spec };
    for (const kind of [
        "Deployment",
        "StatefulSet",
        "DaemonSet",
        "ReplicaSet",
        "ReplicationController",
        "Job",
    ]) {
        it(`reads a ${kind}'s spec.template`, () => {
            assert.deepStrictEqual(
                podTemplateOf({
                    apiVersion: "apps/v1",
                    kind,
                    metadata: { name: "x" },
                    spec: { template },
                }),
                template,
            );
        });
    }
    it("reads a CronJob's spec.jobTemplate.spec.template", () => {
        assert.deepStrictEqual(
            podTemplateOf({
                apiVersion: "batch/v1",
                kind: "CronJob",
                spec: { jobTemplate: { spec: { template } } },
            }),
            template,
        );
    });
    it("reads a Pod itself and a PodTemplate's template", () => {
        assert.deepStrictEqual(podTemplateOf({ apiVersion: "v1", kind: "Pod", metadata, spec }), template);
        assert.deepStrictEqual(podTemplateOf({ apiVersion: "v1", kind: "PodTemplate", template }), template);
    });
    it("finds no pod in other kinds or in a workload without a template", () => {
        assert.strictEqual(
            podTemplateOf({ apiVersion: "v1", kind: "Service", spec: { ports: [] } }),
            undefined,
        );
        assert.strictEqual(podTemplateOf({ apiVersion: "apps/v1", kind: "Deployment", spec: {} }), undefined);
    });
});
