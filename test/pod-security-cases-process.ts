/**
 * One-change failing cases of the Pod Security engine, /proc to non-root: the messages each gives
 * at baseline and at restricted.
 */
import { app, Case } from "./pod-security-fixture";

/** /proc mounts, seccomp, sysctls, Windows host processes, probe and hook hosts, escalation, non-root users. */
export const PROCESS_CASES: Case[] = [
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
