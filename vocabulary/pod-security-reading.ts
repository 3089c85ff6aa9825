/**
 * Reading a pod as the Pod Security checks do (vocabulary/pod-security-types.ts names the
 * sources): its containers in PSA's order, its user namespace and OS, and a field checked on the
 * pod's and each container's security context.
 */
import type { Container, Finding, PodSpec } from "./pod-security-types";
import { list, podContainers } from "./workloads";

/** A value in double quotes, as PSA quotes it. */
export const quote = (s: string) => `"${s}"`;
export { list };

/** Every container of a pod, init containers first, then containers, then ephemeral containers (PSA's order). */
export function containersOf(spec: PodSpec): Container[] {
    return podContainers<Container>(spec);
}

/** True when the pod runs in a user namespace (`hostUsers: false`). */
export const inUserNamespace = (spec: PodSpec) => spec.hostUsers === false;
/** True for a Windows pod (`os.name: windows`). */
export const isWindows = (spec: PodSpec) => spec.os?.name === "windows";
/** How a message names a container. */
export const who = (c: Container) => `container ${quote(c.name)}`;

/** Seccomp and AppArmor profile types every level allows. */
export const GOOD_PROFILE_TYPES = new Set(["RuntimeDefault", "Localhost"]);

/** A pod-level and per-container field check: `bad` says what is wrong with one security context, or nothing. */
export function podAndContainers<P, C>(
    spec: PodSpec,
    pod: P | undefined,
    container: (c: Container) => C | undefined,
    bad: (ctx: P | C) => string | undefined,
) {
    const found: Finding[] = [];
    const podProblem = pod === undefined ? undefined : bad(pod);
    if (podProblem) found.push({ detail: `pod ${podProblem}` });
    for (const c of containersOf(spec)) {
        const ctx = container(c);
        const problem = ctx === undefined ? undefined : bad(ctx);
        if (problem) found.push({ container: c.name, detail: `${who(c)} ${problem}` });
    }
    return found;
}

/** The procMount control: no container sets a non-default /proc mount. */
export function procMountCheck(spec: PodSpec): Finding[] {
    return containersOf(spec)
        .filter(
            (c) => c.securityContext?.procMount !== undefined && c.securityContext.procMount !== "Default",
        )
        .map((c) => ({
            container: c.name,
            detail: `${who(c)} must not set securityContext.procMount to ${quote(String(c.securityContext?.procMount))}`,
        }));
}
