/**
 * Whether a revision is on the Git remote Argo CD reads, decided from `git ls-remote` (the refs
 * the remote offers) and the local clone's history, without fetching anything.
 *
 * Argo CD's repo server fetches the revision from the remote; a commit that no branch or tag of
 * the remote contains is not reachable there (a commit only in a local clone, or only in a
 * deleted branch). So a tag counts when the remote has it, and a commit when it is a remote
 * branch's or tag's commit, or an ancestor (in this clone's history) of one.
 */
import { spawnSync } from "child_process";

/** One Git command's outcome. */
export interface GitResult {
    ok: boolean;
    stdout: Buffer;
    stderr: string;
}

/** `git -C <repoDir> <args>`; never throws. */
export function git(repoDir: string, args: string[], input?: Buffer): GitResult {
    const result = spawnSync("git", ["-C", repoDir, ...args], { input, maxBuffer: 256 * 2 ** 20 });
    return {
        ok: result.status === 0,
        stdout: result.stdout ?? Buffer.alloc(0),
        stderr: result.stderr?.toString() ?? String(result.error ?? ""),
    };
}

/** Where a revision stands on the remote: its commit, or why it is not usable. */
export type RemoteRevision = { commit: string } | { problem: string };

/** A full commit SHA, as the stack config takes the chart revision. */
export const COMMIT_SHA = /^[0-9a-f]{40}$/;

/** The remote's branches and tags, each with its commit (annotated tags peeled). */
function remoteRefs(repoDir: string, remote: string): Map<string, string> | string {
    const listed = git(repoDir, ["ls-remote", "--heads", "--tags", remote]);
    if (!listed.ok) return `git ls-remote ${remote} failed: ${listed.stderr.trim()}`;
    const refs = new Map<string, string>();
    for (const line of listed.stdout.toString().split("\n")) {
        const [sha, ref] = line.split("\t");
        if (!sha || !ref) continue;
        // `refs/tags/v1^{}` is the commit an annotated tag points at: it wins over the tag object.
        if (ref.endsWith("^{}")) refs.set(ref.slice(0, -3), sha);
        else if (!refs.has(ref)) refs.set(ref, sha);
    }
    return refs;
}

/** Whether the commit `sha` is in the clone at `repoDir`. */
export const inClone = (repoDir: string, sha: string) =>
    git(repoDir, ["cat-file", "-e", `${sha}^{commit}`]).ok;

/**
 * The commit `revision` (a full commit SHA or a tag) is on `remote`, checked against `git
 * ls-remote <remote>` run in `repoDir` (so the clone's own credentials apply).
 */
export function revisionOnRemote(repoDir: string, remote: string, revision: string): RemoteRevision {
    const refs = remoteRefs(repoDir, remote);
    if (typeof refs === "string") return { problem: refs };
    if (!COMMIT_SHA.test(revision)) {
        const commit = refs.get(`refs/tags/${revision}`);
        return commit
            ? { commit }
            : { problem: `tag ${revision} is not on ${remote}: push it (git push ${remote} ${revision})` };
    }
    const tips = [...new Set(refs.values())];
    if (tips.includes(revision)) return { commit: revision };
    if (!inClone(repoDir, revision)) {
        return {
            problem: `commit ${revision} is in neither this clone nor a branch or tag of ${remote}: fetch it (git fetch ${remote}) or pin a commit that is`,
        };
    }
    const known = tips.filter((tip) => inClone(repoDir, tip));
    if (known.some((tip) => git(repoDir, ["merge-base", "--is-ancestor", revision, tip]).ok)) {
        return { commit: revision };
    }
    const unknown = tips.length - known.length;
    return {
        problem:
            `commit ${revision} is only in this clone: no branch or tag of ${remote} contains it, so Argo CD cannot fetch it; push it` +
            (unknown > 0 ? ` (or git fetch ${remote}: ${unknown} of its refs are not in this clone)` : ""),
    };
}

/** The URL a remote name stands for in `repoDir` (`remote` itself when it is a URL or a path). */
export function remoteUrl(repoDir: string, remote: string): string {
    const url = git(repoDir, ["remote", "get-url", remote]);
    return url.ok ? url.stdout.toString().trim() : remote;
}

/** `owner/name` of a GitHub-style URL in any of its forms (https, ssh, with or without .git); undefined otherwise. */
export function repositoryOf(url: string): string | undefined {
    const match = /^(?:https:\/\/|ssh:\/\/git@|git@)([\w.-]+)[/:]([\w.-]+\/[\w.-]+?)(?:\.git)?\/?$/.exec(url);
    return match ? `${match[1]}/${match[2]}`.toLowerCase() : undefined;
}
