/**
 * The Pod Security Standards engine (vocabulary/pod-security.ts): a pod that passes restricted, and
 * for each control a one-change failing case (./pod-security-cases-*.ts), each asserting the
 * messages at baseline and at restricted (restricted replaces some baseline checks with stricter
 * ones of its own); and the named checks the policy pack's workload rules run.
 */
import * as assert from "assert";
import {
    podSecurityCheckFindings,
    podSecurityFindings,
    podSecurityViolations,
} from "../vocabulary/pod-security";
import { app, restrictedPod } from "./pod-security-fixture";
import { HOST_AND_PROFILE_CASES } from "./pod-security-cases-host";
import { PROCESS_CASES } from "./pod-security-cases-process";

const CASES = [...HOST_AND_PROFILE_CASES, ...PROCESS_CASES];

describe("Pod Security Standards checker", () => {
    it("passes a restricted pod at every level", () => {
        const { spec, metadata } = restrictedPod();
        for (const level of ["privileged", "baseline", "restricted"] as const) {
            assert.deepStrictEqual(podSecurityViolations(spec, metadata, level), [], level);
        }
    });

    for (const c of CASES) {
        it(`fails ${c.name}`, () => {
            const pod = restrictedPod();
            c.change(pod);
            assert.deepStrictEqual(
                podSecurityViolations(pod.spec, pod.metadata, "baseline"),
                c.baseline,
                "baseline",
            );
            assert.deepStrictEqual(
                podSecurityViolations(pod.spec, pod.metadata, "restricted"),
                c.restricted,
                "restricted",
            );
            assert.deepStrictEqual(
                podSecurityViolations(pod.spec, pod.metadata, "privileged"),
                [],
                "privileged allows everything",
            );
        });
    }

    it("names the check, level and container of each violation", () => {
        const pod = restrictedPod();
        app(pod.spec).securityContext!.runAsUser = 0;
        assert.deepStrictEqual(podSecurityFindings(pod.spec, pod.metadata, "restricted"), [
            {
                check: "runAsUser",
                level: "restricted",
                container: "app",
                message: 'runAsUser: container "app" must not set runAsUser=0',
            },
        ]);
    });

    it("relaxes runAsNonRoot and runAsUser for a pod in a user namespace (v1.35)", () => {
        const pod = restrictedPod();
        pod.spec.hostUsers = false;
        delete pod.spec.securityContext!.runAsNonRoot;
        pod.spec.securityContext!.runAsUser = 0;
        assert.deepStrictEqual(podSecurityViolations(pod.spec, pod.metadata, "restricted"), []);
    });

    it("exempts Windows pods from the Linux-only restricted controls", () => {
        const pod = restrictedPod();
        pod.spec.os = { name: "windows" };
        delete pod.spec.securityContext!.seccompProfile;
        delete app(pod.spec).securityContext!.allowPrivilegeEscalation;
        delete app(pod.spec).securityContext!.capabilities;
        assert.deepStrictEqual(podSecurityViolations(pod.spec, pod.metadata, "restricted"), []);
    });

    it("accepts a volume with no source (the API server makes it an emptyDir)", () => {
        const pod = restrictedPod();
        pod.spec.volumes!.push({ name: "scratch" });
        assert.deepStrictEqual(podSecurityViolations(pod.spec, pod.metadata, "restricted"), []);
    });

    describe("named checks (the policy pack's workload rules)", () => {
        it("runs only the checks named, whatever level overrides them", () => {
            const pod = restrictedPod();
            pod.spec.volumes!.push({ name: "docker", hostPath: { path: "/var/run" } });
            app(pod.spec).securityContext!.privileged = true;
            assert.deepStrictEqual(
                podSecurityCheckFindings(["hostPathVolumes"], pod.spec, pod.metadata).map((f) => f.message),
                ['hostPathVolumes: volume "docker" must not use hostPath'],
            );
        });

        it("finds nothing in a restricted pod", () => {
            const { spec, metadata } = restrictedPod();
            assert.deepStrictEqual(
                podSecurityCheckFindings(["runAsNonRoot", "seccompProfile_restricted"], spec, metadata),
                [],
            );
        });

        it("refuses a check the engine does not have", () => {
            const { spec, metadata } = restrictedPod();
            assert.throws(
                () => podSecurityCheckFindings(["readOnlyRootFilesystem"], spec, metadata),
                /No Pod Security check readOnlyRootFilesystem/,
            );
        });
    });
});
