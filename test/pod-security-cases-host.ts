/**
 * One-change failing cases of the Pod Security engine, host access to SELinux: the messages each
 * gives at baseline and at restricted (restricted replaces some baseline checks with its own).
 */
import { app, Case } from "./pod-security-fixture";

/** Host namespaces, privileged containers, capabilities, volumes, host ports, AppArmor and SELinux. */
export const HOST_AND_PROFILE_CASES: Case[] = [
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
];
