/**
 * The Pod Security Standards engine (vocabulary/pod-security.ts): a pod that passes restricted, and
 * for each control a one-change failing case, each asserting the messages at baseline and at
 * restricted (restricted replaces some baseline checks with stricter ones of its own).
 */
import * as assert from "assert";
import {
    PodMetadata,
    PodSpec,
    podSecurityFindings,
    podSecurityViolations,
    podTemplateOf,
} from "../vocabulary/pod-security";

const restrictedContainer = (name: string) => ({
    name,
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
});

/** Passes restricted: pod-level runAsNonRoot and seccomp, containers drop ALL and forbid escalation. */
function restrictedPod(): { spec: PodSpec; metadata: PodMetadata } {
    return {
        metadata: {
            name: "api",
            annotations: { "container.apparmor.security.beta.kubernetes.io/app": "runtime/default" },
        },
        spec: {
            securityContext: {
                runAsNonRoot: true,
                runAsUser: 1000,
                seccompProfile: { type: "RuntimeDefault" },
                sysctls: [{ name: "net.ipv4.tcp_keepalive_time", value: "60" }],
            },
            initContainers: [restrictedContainer("init")],
            containers: [
                {
                    ...restrictedContainer("app"),
                    securityContext: {
                        allowPrivilegeEscalation: false,
                        capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] },
                        seLinuxOptions: { type: "container_t" },
                    },
                    ports: [{ containerPort: 8080 }],
                    livenessProbe: { httpGet: { host: "" } },
                },
            ],
            volumes: [
                { name: "tmp", emptyDir: {} },
                { name: "config", configMap: { name: "api" } },
                { name: "token", projected: { sources: [] } },
            ],
        },
    };
}

const app = (spec: PodSpec) => spec.containers![0];

interface Case {
    name: string;
    change: (pod: { spec: PodSpec; metadata: PodMetadata }) => void;
    baseline: string[];
    restricted: string[];
}

const CASES: Case[] = [
    {
        name: "host network",
        change: ({ spec }) => {
            spec.hostNetwork = true;
        },
        baseline: ["hostNamespaces: pod must not set hostNetwork=true"],
        restricted: ["hostNamespaces: pod must not set hostNetwork=true"],
    },
    {
        name: "host PID",
        change: ({ spec }) => {
            spec.hostPID = true;
        },
        baseline: ["hostNamespaces: pod must not set hostPID=true"],
        restricted: ["hostNamespaces: pod must not set hostPID=true"],
    },
    {
        name: "a privileged container",
        change: ({ spec }) => {
            app(spec).securityContext!.privileged = true;
        },
        baseline: ['privileged: container "app" must not set securityContext.privileged=true'],
        restricted: ['privileged: container "app" must not set securityContext.privileged=true'],
    },
    {
        name: "a capability beyond the default set",
        change: ({ spec }) => {
            app(spec).securityContext!.capabilities!.add = ["SYS_ADMIN"];
        },
        baseline: [
            'capabilities_baseline: container "app" must not include "SYS_ADMIN" in securityContext.capabilities.add',
        ],
        restricted: [
            'capabilities_restricted: container "app" must not include "SYS_ADMIN" in securityContext.capabilities.add',
        ],
    },
    {
        name: "a default capability other than NET_BIND_SERVICE",
        change: ({ spec }) => {
            app(spec).securityContext!.capabilities!.add = ["CHOWN"];
        },
        baseline: [],
        restricted: [
            'capabilities_restricted: container "app" must not include "CHOWN" in securityContext.capabilities.add',
        ],
    },
    {
        name: "capabilities not dropped",
        change: ({ spec }) => {
            delete app(spec).securityContext!.capabilities!.drop;
        },
        baseline: [],
        restricted: [
            'capabilities_restricted: container "app" must set securityContext.capabilities.drop=["ALL"]',
        ],
    },
    {
        name: "a hostPath volume",
        change: ({ spec }) => {
            spec.volumes!.push({ name: "host", hostPath: { path: "/var/run" } });
        },
        baseline: ['hostPathVolumes: volume "host" must not use hostPath'],
        restricted: ['restrictedVolumes: volume "host" uses restricted volume type "hostPath"'],
    },
    {
        name: "an NFS volume",
        change: ({ spec }) => {
            spec.volumes!.push({ name: "shared", nfs: { server: "nfs", path: "/" } });
        },
        baseline: [],
        restricted: ['restrictedVolumes: volume "shared" uses restricted volume type "nfs"'],
    },
    {
        name: "a host port",
        change: ({ spec }) => {
            app(spec).ports![0].hostPort = 8080;
        },
        baseline: ['hostPorts: container "app" must not use hostPort 8080'],
        restricted: ['hostPorts: container "app" must not use hostPort 8080'],
    },
    {
        name: "an unconfined AppArmor profile",
        change: ({ spec }) => {
            spec.securityContext!.appArmorProfile = { type: "Unconfined" };
        },
        baseline: ['appArmorProfile: pod must not set securityContext.appArmorProfile.type to "Unconfined"'],
        restricted: [
            'appArmorProfile: pod must not set securityContext.appArmorProfile.type to "Unconfined"',
        ],
    },
    {
        name: "an unconfined AppArmor annotation",
        change: ({ metadata }) => {
            metadata.annotations!["container.apparmor.security.beta.kubernetes.io/app"] = "unconfined";
        },
        baseline: [
            'appArmorProfile: annotation container.apparmor.security.beta.kubernetes.io/app="unconfined" is forbidden',
        ],
        restricted: [
            'appArmorProfile: annotation container.apparmor.security.beta.kubernetes.io/app="unconfined" is forbidden',
        ],
    },
    {
        name: "a custom SELinux type",
        change: ({ spec }) => {
            app(spec).securityContext!.seLinuxOptions = { type: "spc_t" };
        },
        baseline: [
            'seLinuxOptions: container "app" set forbidden securityContext.seLinuxOptions: type "spc_t"',
        ],
        restricted: [
            'seLinuxOptions: container "app" set forbidden securityContext.seLinuxOptions: type "spc_t"',
        ],
    },
    {
        name: "an SELinux user",
        change: ({ spec }) => {
            spec.securityContext!.seLinuxOptions = { user: "system_u" };
        },
        baseline: ["seLinuxOptions: pod set forbidden securityContext.seLinuxOptions: user may not be set"],
        restricted: ["seLinuxOptions: pod set forbidden securityContext.seLinuxOptions: user may not be set"],
    },
    {
        name: "an unmasked /proc",
        change: ({ spec }) => {
            app(spec).securityContext!.procMount = "Unmasked";
        },
        baseline: ['procMount: container "app" must not set securityContext.procMount to "Unmasked"'],
        restricted: [
            'procMount_restricted: container "app" must not set securityContext.procMount to "Unmasked"',
        ],
    },
    {
        name: "an unmasked /proc in a user namespace (allowed at baseline since v1.35, never at restricted)",
        change: ({ spec }) => {
            spec.hostUsers = false;
            app(spec).securityContext!.procMount = "Unmasked";
        },
        baseline: [],
        restricted: [
            'procMount_restricted: container "app" must not set securityContext.procMount to "Unmasked"',
        ],
    },
    {
        name: "an unconfined seccomp profile",
        change: ({ spec }) => {
            app(spec).securityContext!.seccompProfile = { type: "Unconfined" };
        },
        baseline: [
            'seccompProfile_baseline: container "app" must not set securityContext.seccompProfile.type to "Unconfined"',
        ],
        restricted: [
            'seccompProfile_restricted: container "app" must not set securityContext.seccompProfile.type to "Unconfined"',
        ],
    },
    {
        name: "no seccomp profile",
        change: ({ spec }) => {
            delete spec.securityContext!.seccompProfile;
        },
        baseline: [],
        restricted: [
            'seccompProfile_restricted: pod or container "init" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"',
            'seccompProfile_restricted: pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"',
        ],
    },
    {
        name: "an unsafe sysctl",
        change: ({ spec }) => {
            spec.securityContext!.sysctls!.push({ name: "kernel.msgmax", value: "65536" });
        },
        baseline: ['sysctls: pod must not set sysctl "kernel.msgmax"'],
        restricted: ['sysctls: pod must not set sysctl "kernel.msgmax"'],
    },
    {
        name: "a Windows host process",
        change: ({ spec }) => {
            spec.securityContext!.windowsOptions = { hostProcess: true };
        },
        baseline: ["windowsHostProcess: pod must not set securityContext.windowsOptions.hostProcess=true"],
        restricted: ["windowsHostProcess: pod must not set securityContext.windowsOptions.hostProcess=true"],
    },
    {
        name: "a probe host",
        change: ({ spec }) => {
            app(spec).livenessProbe = { httpGet: { host: "10.0.0.1" } };
        },
        baseline: [
            'hostProbesAndHostLifecycle: container "app" must not set a probe or lifecycle host (livenessProbe.httpGet.host="10.0.0.1")',
        ],
        restricted: [
            'hostProbesAndHostLifecycle: container "app" must not set a probe or lifecycle host (livenessProbe.httpGet.host="10.0.0.1")',
        ],
    },
    {
        name: "a lifecycle hook host",
        change: ({ spec }) => {
            app(spec).lifecycle = { preStop: { tcpSocket: { host: "node" } } };
        },
        baseline: [
            'hostProbesAndHostLifecycle: container "app" must not set a probe or lifecycle host (lifecycle.preStop.tcpSocket.host="node")',
        ],
        restricted: [
            'hostProbesAndHostLifecycle: container "app" must not set a probe or lifecycle host (lifecycle.preStop.tcpSocket.host="node")',
        ],
    },
    {
        name: "privilege escalation not forbidden",
        change: ({ spec }) => {
            delete spec.initContainers![0].securityContext!.allowPrivilegeEscalation;
        },
        baseline: [],
        restricted: [
            'allowPrivilegeEscalation: container "init" must set securityContext.allowPrivilegeEscalation=false',
        ],
    },
    {
        name: "no runAsNonRoot",
        change: ({ spec }) => {
            delete spec.securityContext!.runAsNonRoot;
        },
        baseline: [],
        restricted: [
            'runAsNonRoot: pod or container "init" must set securityContext.runAsNonRoot=true',
            'runAsNonRoot: pod or container "app" must set securityContext.runAsNonRoot=true',
        ],
    },
    {
        name: "a container with runAsNonRoot false",
        change: ({ spec }) => {
            app(spec).securityContext!.runAsNonRoot = false;
        },
        baseline: [],
        restricted: ['runAsNonRoot: container "app" must not set securityContext.runAsNonRoot=false'],
    },
    {
        name: "root user",
        change: ({ spec }) => {
            app(spec).securityContext!.runAsUser = 0;
        },
        baseline: [],
        restricted: ['runAsUser: container "app" must not set runAsUser=0'],
    },
    {
        name: "an ephemeral container without a security context",
        change: ({ spec }) => {
            spec.ephemeralContainers = [{ name: "debug" }];
        },
        baseline: [],
        restricted: [
            'allowPrivilegeEscalation: container "debug" must set securityContext.allowPrivilegeEscalation=false',
            'capabilities_restricted: container "debug" must set securityContext.capabilities.drop=["ALL"]',
        ],
    },
];

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
            assert.deepStrictEqual(
                podTemplateOf({ apiVersion: "v1", kind: "Pod", metadata, spec }),
                template,
            );
            assert.deepStrictEqual(
                podTemplateOf({ apiVersion: "v1", kind: "PodTemplate", template }),
                template,
            );
        });
        it("finds no pod in other kinds or in a workload without a template", () => {
            assert.strictEqual(
                podTemplateOf({ apiVersion: "v1", kind: "Service", spec: { ports: [] } }),
                undefined,
            );
            assert.strictEqual(
                podTemplateOf({ apiVersion: "apps/v1", kind: "Deployment", spec: {} }),
                undefined,
            );
        });
    });
});
