/** The restricted controls of the Pod Security Standards, one check each (sources: vocabulary/pod-security-types.ts). */
import {
    containersOf,
    GOOD_PROFILE_TYPES,
    inUserNamespace,
    isWindows,
    list,
    podAndContainers,
    procMountCheck,
    quote,
    who,
} from "./pod-security-reading";
import type { Check, Finding } from "./pod-security-types";

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
/** The restricted checks, in the order of the published standard; some override a baseline check. */
export const RESTRICTED_CHECKS: Check[] = [
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
            const found: Finding[] =
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
            const found: Finding[] =
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
                      const found: Finding[] = [];
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
