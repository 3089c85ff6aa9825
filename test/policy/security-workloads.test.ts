/** Security rules for Kubernetes workloads: the restricted Pod Security controls (the engine's findings), a read-only root filesystem, pinned images. */
import * as rules from "../../policy/rules/security-workloads";
import { c0, DEPLOYMENT, describeResourceCases, pod, ResourceCase } from "./cases";

const RESOURCE_CASES: ResourceCase[] = [
    {
        policy: rules.k8sRunAsNonRoot,
        type: DEPLOYMENT,
        good: pod(),
        bad: [
            {
                why: "runAsNonRoot unset",
                expect: /Deployment tacos\/api: runAsNonRoot: pod or container "api" must set securityContext.runAsNonRoot=true/,
                change: (p) => {
                    delete c0(p).securityContext.runAsNonRoot;
                    delete p.spec.template.spec.securityContext.runAsNonRoot;
                },
            },
            {
                why: "runAsUser 0",
                expect: /Deployment tacos\/api: runAsUser: container "api" must not set runAsUser=0/,
                change: (p) => (c0(p).securityContext.runAsUser = 0),
            },
        ],
    },
    {
        policy: rules.k8sNoPrivilegeEscalation,
        type: DEPLOYMENT,
        good: pod(),
        bad: [
            {
                why: "escalation allowed",
                expect: /allowPrivilegeEscalation: container "api" must set securityContext.allowPrivilegeEscalation=false/,
                change: (p) => (c0(p).securityContext.allowPrivilegeEscalation = true),
            },
        ],
    },
    {
        policy: rules.k8sDropAllCapabilities,
        type: DEPLOYMENT,
        good: pod(),
        bad: [
            {
                why: "nothing dropped",
                expect: /capabilities_restricted: container "api" must set securityContext.capabilities.drop=\["ALL"\]/,
                change: (p) => (c0(p).securityContext.capabilities.drop = []),
            },
            {
                why: "NET_ADMIN added",
                expect: /capabilities_restricted: container "api" must not include "NET_ADMIN" in securityContext.capabilities.add/,
                change: (p) => (c0(p).securityContext.capabilities.add = ["NET_ADMIN"]),
            },
        ],
    },
    {
        policy: rules.k8sSeccompRuntimeDefault,
        type: DEPLOYMENT,
        good: pod(),
        bad: [
            {
                why: "Unconfined",
                expect: /seccompProfile_restricted: container "api" must not set securityContext.seccompProfile.type to "Unconfined"/,
                change: (p) => {
                    c0(p).securityContext.seccompProfile.type = "Unconfined";
                },
            },
            {
                why: "no profile on the pod or the container",
                expect: /seccompProfile_restricted: pod or container "api" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"/,
                change: (p) => {
                    delete c0(p).securityContext.seccompProfile;
                    delete p.spec.template.spec.securityContext.seccompProfile;
                },
            },
        ],
    },
    {
        policy: rules.k8sReadOnlyRootFilesystem,
        type: DEPLOYMENT,
        good: pod(),
        bad: [
            {
                why: "writable root",
                expect: /must set readOnlyRootFilesystem: true/,
                change: (p) => (c0(p).securityContext.readOnlyRootFilesystem = false),
            },
        ],
    },
    {
        policy: rules.k8sNoHostAccess,
        type: DEPLOYMENT,
        good: pod(),
        bad: [
            {
                why: "hostNetwork",
                expect: /hostNamespaces: pod must not set hostNetwork=true/,
                change: (p) => (p.spec.template.spec.hostNetwork = true),
            },
            {
                why: "hostPID",
                expect: /hostNamespaces: pod must not set hostPID=true/,
                change: (p) => (p.spec.template.spec.hostPID = true),
            },
            {
                why: "hostIPC",
                expect: /hostNamespaces: pod must not set hostIPC=true/,
                change: (p) => (p.spec.template.spec.hostIPC = true),
            },
            {
                why: "a hostPath volume",
                expect: /hostPathVolumes: volume "docker" must not use hostPath/,
                change: (p) =>
                    p.spec.template.spec.volumes.push({ name: "docker", hostPath: { path: "/var/run" } }),
            },
            {
                why: "a host port",
                expect: /hostPorts: container "api" must not use hostPort 8000/,
                change: (p) => (c0(p).ports[0].hostPort = 8000),
            },
            {
                why: "a privileged container",
                expect: /privileged: container "api" must not set securityContext.privileged=true/,
                change: (p) => (c0(p).securityContext.privileged = true),
            },
        ],
    },
    {
        policy: rules.k8sPinnedImages,
        type: DEPLOYMENT,
        good: pod(),
        bad: [
            {
                why: "latest",
                expect: /api:latest must carry an immutable tag or digest/,
                change: (p) => (c0(p).image = c0(p).image.replace(":1a2b3c4", ":latest")),
            },
            {
                why: "no tag",
                expect: /\/api must carry an immutable tag or digest/,
                change: (p) => (c0(p).image = c0(p).image.replace(":1a2b3c4", "")),
            },
        ],
    },
    {
        policy: rules.k8sPinnedImages,
        type: "kubernetes:batch/v1:CronJob",
        good: { metadata: { name: "j" }, spec: { jobTemplate: { spec: { template: pod().spec.template } } } },
        bad: [
            {
                why: "a CronJob on latest",
                expect: /CronJob j, container api: image busybox:latest must carry an immutable tag/,
                change: (p) => (p.spec.jobTemplate.spec.template.spec.containers[0].image = "busybox:latest"),
            },
        ],
    },
];

describeResourceCases("policy pack: Kubernetes security: workload rules", RESOURCE_CASES);
