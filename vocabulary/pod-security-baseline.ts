/** The baseline controls of the Pod Security Standards, one check each (sources: vocabulary/pod-security-types.ts). */
import {
    containersOf,
    GOOD_PROFILE_TYPES,
    inUserNamespace,
    list,
    podAndContainers,
    procMountCheck,
    quote,
    who,
} from "./pod-security-reading";
import type { Check, Handler } from "./pod-security-types";

/** Capabilities a baseline container may add: the container runtime's default set. */
const BASELINE_CAPABILITIES = new Set([
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
]);
/** Sysctls namespaced to the pod and isolated from other pods (the v1.32+ list). */
const SAFE_SYSCTLS = new Set([
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
    "net.ipv4.tcp_rmem",
    "net.ipv4.tcp_wmem",
]);
/** SELinux types a pod may ask for (v1.31+ adds container_engine_t). */
const SELINUX_TYPES = new Set([
    "",
    "container_t",
    "container_init_t",
    "container_kvm_t",
    "container_engine_t",
]);
const APPARMOR_ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

function badHosts(handler: Handler | undefined, where: string): string[] {
    return [
        ...(handler?.httpGet?.host ? [`${where}.httpGet.host=${quote(handler.httpGet.host)}`] : []),
        ...(handler?.tcpSocket?.host ? [`${where}.tcpSocket.host=${quote(handler.tcpSocket.host)}`] : []),
    ];
}

/** The baseline checks, in the order of the published standard. */
export const BASELINE_CHECKS: Check[] = [
    {
        id: "windowsHostProcess",
        level: "baseline",
        run: (_m, spec) =>
            podAndContainers(
                spec,
                spec.securityContext,
                (c) => c.securityContext,
                (ctx) =>
                    ctx.windowsOptions?.hostProcess === true
                        ? "must not set securityContext.windowsOptions.hostProcess=true"
                        : undefined,
            ),
    },
    {
        id: "hostNamespaces",
        level: "baseline",
        run: (_m, spec) =>
            (["hostNetwork", "hostPID", "hostIPC"] as const)
                .filter((key) => spec[key] === true)
                .map((key) => ({ detail: `pod must not set ${key}=true` })),
    },
    {
        id: "privileged",
        level: "baseline",
        run: (_m, spec) =>
            containersOf(spec)
                .filter((c) => c.securityContext?.privileged === true)
                .map((c) => ({
                    container: c.name,
                    detail: `${who(c)} must not set securityContext.privileged=true`,
                })),
    },
    {
        id: "capabilities_baseline",
        level: "baseline",
        run: (_m, spec) =>
            containersOf(spec).flatMap((c) => {
                const extra = list(c.securityContext?.capabilities?.add).filter(
                    (cap) => !BASELINE_CAPABILITIES.has(cap),
                );
                return extra.length > 0
                    ? [
                          {
                              container: c.name,
                              detail: `${who(c)} must not include ${extra.map(quote).join(", ")} in securityContext.capabilities.add`,
                          },
                      ]
                    : [];
            }),
    },
    {
        id: "hostPathVolumes",
        level: "baseline",
        run: (_m, spec) =>
            list(spec.volumes)
                .filter((v) => v.hostPath !== undefined && v.hostPath !== null)
                .map((v) => ({ detail: `volume ${quote(v.name)} must not use hostPath` })),
    },
    {
        id: "hostPorts",
        level: "baseline",
        run: (_m, spec) =>
            containersOf(spec).flatMap((c) => {
                const ports = list(c.ports)
                    .map((p) => p.hostPort)
                    .filter((port) => port !== undefined && port !== null && Number(port) !== 0);
                return ports.length > 0
                    ? [{ container: c.name, detail: `${who(c)} must not use hostPort ${ports.join(", ")}` }]
                    : [];
            }),
    },
    {
        id: "appArmorProfile",
        level: "baseline",
        run: (metadata, spec) => [
            ...podAndContainers(
                spec,
                spec.securityContext,
                (c) => c.securityContext,
                (ctx) => {
                    const type = ctx.appArmorProfile?.type;
                    return ctx.appArmorProfile && !GOOD_PROFILE_TYPES.has(String(type))
                        ? `must not set securityContext.appArmorProfile.type to ${quote(String(type))}`
                        : undefined;
                },
            ),
            ...Object.entries(metadata.annotations ?? {})
                .filter(
                    ([key, value]) =>
                        key.startsWith(APPARMOR_ANNOTATION_PREFIX) &&
                        value !== "" &&
                        value !== "runtime/default" &&
                        !value.startsWith("localhost/"),
                )
                .map(([key, value]) => ({
                    container: key.slice(APPARMOR_ANNOTATION_PREFIX.length),
                    detail: `annotation ${key}=${quote(value)} is forbidden`,
                })),
        ],
    },
    {
        id: "seLinuxOptions",
        level: "baseline",
        run: (_m, spec) =>
            podAndContainers(
                spec,
                spec.securityContext,
                (c) => c.securityContext,
                (ctx) => {
                    const options = ctx.seLinuxOptions;
                    if (!options) return undefined;
                    const problems = [
                        ...(SELINUX_TYPES.has(options.type ?? "")
                            ? []
                            : [`type ${quote(String(options.type))}`]),
                        ...(options.user ? ["user may not be set"] : []),
                        ...(options.role ? ["role may not be set"] : []),
                    ];
                    return problems.length > 0
                        ? `set forbidden securityContext.seLinuxOptions: ${problems.join("; ")}`
                        : undefined;
                },
            ),
    },
    {
        id: "procMount",
        level: "baseline",
        // v1.35: any value is allowed in a user namespace (hostUsers: false).
        run: (_m, spec) => (inUserNamespace(spec) ? [] : procMountCheck(spec)),
    },
    {
        id: "seccompProfile_baseline",
        level: "baseline",
        run: (_m, spec) =>
            podAndContainers(
                spec,
                spec.securityContext,
                (c) => c.securityContext,
                (ctx) =>
                    ctx.seccompProfile && !GOOD_PROFILE_TYPES.has(String(ctx.seccompProfile.type))
                        ? `must not set securityContext.seccompProfile.type to ${quote(String(ctx.seccompProfile.type))}`
                        : undefined,
            ),
    },
    {
        id: "sysctls",
        level: "baseline",
        run: (_m, spec) =>
            list(spec.securityContext?.sysctls)
                .filter((s) => !SAFE_SYSCTLS.has(s.name))
                .map((s) => ({ detail: `pod must not set sysctl ${quote(s.name)}` })),
    },
    {
        id: "hostProbesAndHostLifecycle",
        level: "baseline",
        run: (_m, spec) =>
            containersOf(spec).flatMap((c) => {
                const hosts = [
                    ...badHosts(c.livenessProbe, "livenessProbe"),
                    ...badHosts(c.readinessProbe, "readinessProbe"),
                    ...badHosts(c.startupProbe, "startupProbe"),
                    ...badHosts(c.lifecycle?.postStart, "lifecycle.postStart"),
                    ...badHosts(c.lifecycle?.preStop, "lifecycle.preStop"),
                ];
                return hosts.length > 0
                    ? [
                          {
                              container: c.name,
                              detail: `${who(c)} must not set a probe or lifecycle host (${hosts.join(", ")})`,
                          },
                      ]
                    : [];
            }),
    },
];
