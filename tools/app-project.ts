/**
 * Which kinds an Argo CD AppProject lets its Applications create, as Argo CD decides it: a
 * namespaced kind must match the project's `namespaceResourceWhitelist` (an empty list allows
 * every kind) and no entry of its `namespaceResourceBlacklist`; group and kind each match as a
 * glob (argoproj/argo-cd pkg/apis/application/v1alpha1/types.go, `IsGroupKindPermitted` and
 * `isResourceInList`, which use Go's `filepath.Match`).
 */

/** A group and kind as an AppProject lists them ("" is the core group). */
export interface GroupKind {
    group: string;
    kind: string;
}

/** The namespaced lists of an AppProject's spec. */
export interface ProjectKinds {
    namespaceResourceWhitelist?: GroupKind[];
    namespaceResourceBlacklist?: GroupKind[];
}

/**
 * Go's `filepath.Match` for the patterns a project uses: `*` (any run of characters but `/`),
 * `?` (one such character), everything else literal. A bracket class is taken literally, so a
 * project that uses one fails the check rather than passing it unseen.
 */
function globMatch(pattern: string, value: string): boolean {
    const source = pattern
        .split("")
        .map((c) => (c === "*" ? "[^/]*" : c === "?" ? "[^/]" : c.replace(/[\\^$.|+()[\]{}]/g, "\\$&")))
        .join("");
    return new RegExp(`^${source}$`).test(value);
}

const inList = (gk: GroupKind, list: GroupKind[] = []) =>
    list.some((item) => globMatch(item.kind, gk.kind) && globMatch(item.group, gk.group));

/** True when the project lets an Application create a namespaced object of this group and kind. */
export function permitsNamespaced(project: ProjectKinds, gk: GroupKind): boolean {
    const white = project.namespaceResourceWhitelist ?? [];
    return (white.length === 0 || inList(gk, white)) && !inList(gk, project.namespaceResourceBlacklist);
}

/** The group and kind of a rendered object (`apps/v1` is group `apps`; `v1` the core group). */
export function groupKindOf(object: { apiVersion?: unknown; kind?: unknown }): GroupKind {
    const apiVersion = String(object.apiVersion ?? "");
    return { group: apiVersion.includes("/") ? apiVersion.split("/")[0] : "", kind: String(object.kind) };
}

/** `group/Kind`, or `Kind` for the core group: how a refused kind is named. */
export const formatGroupKind = (gk: GroupKind) => (gk.group ? `${gk.group}/${gk.kind}` : gk.kind);
