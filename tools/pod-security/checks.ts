/** The controls of the Pod Security Standards, one check each (see ./types.ts for the sources). */
import { podContainers } from "../../vocabulary/workloads";
import type { Check, Container, Handler, PodSecurityLevel, PodSpec } from "./types";

const quote = (s: string) => `"${s}"`;
const list = <T>(value: T[] | undefined): T[] => (Array.isArray(value) ? value : []);

/** Every container of a pod, init containers first, then containers, then ephemeral containers (PSA's order). */
export function containersOf(spec: PodSpec): Container[] {
    return podContainers<Container>(spec);
}

const inUserNamespace = (spec: PodSpec) => spec.hostUsers === false;
const isWindows = (spec: PodSpec) => spec.os?.name === "windows";
const who = (c: Container) => `container ${quote(c.name)}`;

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
/** Inline volume sources the restricted level allows. */
const RESTRICTED_VOLUME_SOURCES = new Set([
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "image",
    "persistentVolumeClaim",
    "projected",
    "secret",
]);
const GOOD_PROFILE_TYPES = new Set(["RuntimeDefault", "Localhost"]);
const APPARMOR_ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

/** A pod-level and per-container field check: `bad` says what is wrong with one security context, or nothing. */
function podAndContainers<P, C>(
    spec: PodSpec,
    pod: P | undefined,
    container: (c: Container) => C | undefined,
    bad: (ctx: P | C) => string | undefined,
) {
    const found: { container?: string; detail: string }[] = [];
    const podProblem = pod === undefined ? undefined : bad(pod);
    if (podProblem) found.push({ detail: `pod ${podProblem}` });
    for (const c of containersOf(spec)) {
        const ctx = container(c);
        const problem = ctx === undefined ? undefined : bad(ctx);
        if (problem) found.push({ container: c.name, detail: `${who(c)} ${problem}` });
    }
    return found;
}

function badHosts(handler: Handler | undefined, where: string): string[] {
    return [
        ...(handler?.httpGet?.host ? [`${where}.httpGet.host=${quote(handler.httpGet.host)}`] : []),
        ...(handler?.tcpSocket?.host ? [`${where}.tcpSocket.host=${quote(handler.tcpSocket.host)}`] : []),
    ];
}

function procMountCheck(spec: PodSpec) {
    return containersOf(spec)
        .filter(
            (c) => c.securityContext?.procMount !== undefined && c.securityContext.procMount !== "Default",
        )
        .map((c) => ({
            container: c.name,
            detail: `${who(c)} must not set securityContext.procMount to ${quote(String(c.securityContext?.procMount))}`,
        }));
}

/** The checks of both levels, in the order of the published standard. */
const CHECKS: Check[] = [
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
    {
        id: "restrictedVolumes",
        level: "restricted",
        overrides: ["hostPathVolumes"],
        run: (_m, spec) =>
            list(spec.volumes).flatMap((v) => {
                const sources = Object.keys(v).filter(
                    (key) => key !== "name" && v[key] !== undefined && v[key] !== null,
                );
                const bad = sources.filter((source) => !RESTRICTED_VOLUME_SOURCES.has(source));
                // A volume with no source is defaulted to an emptyDir by the API server.
                return bad.length > 0
                    ? [
                          {
                              detail: `volume ${quote(v.name)} uses restricted volume type ${bad.map(quote).join(", ")}`,
                          },
                      ]
                    : [];
            }),
    },
    {
        id: "allowPrivilegeEscalation",
        level: "restricted",
        run: (_m, spec) =>
            isWindows(spec)
                ? []
                : containersOf(spec)
                      .filter((c) => c.securityContext?.allowPrivilegeEscalation !== false)
                      .map((c) => ({
                          container: c.name,
                          detail: `${who(c)} must set securityContext.allowPrivilegeEscalation=false`,
                      })),
    },
    {
        id: "runAsNonRoot",
        level: "restricted",
        run: (_m, spec) => {
            if (inUserNamespace(spec)) return [];
            const podValue = spec.securityContext?.runAsNonRoot;
            const found: { container?: string; detail: string }[] =
                podValue === false ? [{ detail: "pod must not set securityContext.runAsNonRoot=false" }] : [];
            for (const c of containersOf(spec)) {
                const value = c.securityContext?.runAsNonRoot;
                if (value === false)
                    found.push({
                        container: c.name,
                        detail: `${who(c)} must not set securityContext.runAsNonRoot=false`,
                    });
                else if (value === undefined && podValue !== true)
                    found.push({
                        container: c.name,
                        detail: `pod or ${who(c)} must set securityContext.runAsNonRoot=true`,
                    });
            }
            return found;
        },
    },
    {
        id: "runAsUser",
        level: "restricted",
        run: (_m, spec) =>
            inUserNamespace(spec)
                ? []
                : podAndContainers(
                      spec,
                      spec.securityContext,
                      (c) => c.securityContext,
                      (ctx) => (ctx.runAsUser === 0 ? "must not set runAsUser=0" : undefined),
                  ),
    },
    {
        id: "seccompProfile_restricted",
        level: "restricted",
        overrides: ["seccompProfile_baseline"],
        run: (_m, spec) => {
            if (isWindows(spec)) return [];
            const pod = spec.securityContext?.seccompProfile;
            const podGood = pod !== undefined && GOOD_PROFILE_TYPES.has(String(pod.type));
            const found: { container?: string; detail: string }[] =
                pod && !podGood
                    ? [
                          {
                              detail: `pod must not set securityContext.seccompProfile.type to ${quote(String(pod.type))}`,
                          },
                      ]
                    : [];
            for (const c of containersOf(spec)) {
                const own = c.securityContext?.seccompProfile;
                if (own && !GOOD_PROFILE_TYPES.has(String(own.type)))
                    found.push({
                        container: c.name,
                        detail: `${who(c)} must not set securityContext.seccompProfile.type to ${quote(String(own.type))}`,
                    });
                else if (!own && !podGood)
                    found.push({
                        container: c.name,
                        detail: `pod or ${who(c)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
                    });
            }
            return found;
        },
    },
    {
        id: "capabilities_restricted",
        level: "restricted",
        overrides: ["capabilities_baseline"],
        run: (_m, spec) =>
            isWindows(spec)
                ? []
                : containersOf(spec).flatMap((c) => {
                      const caps = c.securityContext?.capabilities;
                      const found: { container?: string; detail: string }[] = [];
                      if (!list(caps?.drop).includes("ALL"))
                          found.push({
                              container: c.name,
                              detail: `${who(c)} must set securityContext.capabilities.drop=["ALL"]`,
                          });
                      const added = list(caps?.add).filter((cap) => cap !== "NET_BIND_SERVICE");
                      if (added.length > 0)
                          found.push({
                              container: c.name,
                              detail: `${who(c)} must not include ${added.map(quote).join(", ")} in securityContext.capabilities.add`,
                          });
                      return found;
                  }),
    },
    {
        id: "procMount_restricted",
        level: "restricted",
        overrides: ["procMount"],
        // Restricted keeps the unconditional check, even in a user namespace.
        run: (_m, spec) => procMountCheck(spec),
    },
];

/** The checks that apply at `level`: none at privileged; at restricted, baseline's minus those a restricted check overrides. */
export function checksFor(level: PodSecurityLevel): Check[] {
    if (level === "privileged") return [];
    if (level === "baseline") return CHECKS.filter((c) => c.level === "baseline");
    const overridden = new Set(CHECKS.flatMap((c) => c.overrides ?? []));
    return CHECKS.filter((c) => !overridden.has(c.id));
}
