/** A disposable copy of the working tree, to run the project's commands on edited stack files. */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "../tools/harness";
import { LINKED_TREES as LINKED } from "../tools/plan/compare-base";

/**
 * Copies every file git tracks or would track (committed or not) into a new temporary directory,
 * links the installed trees, and returns the copy's root. The caller removes it.
 */
export function scratchCopy(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tacos-copy-"));
    const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
        cwd: REPO_ROOT,
        encoding: "utf8",
    })
        .split("\0")
        .filter((file) => file && !LINKED.includes(file) && fs.existsSync(path.join(REPO_ROOT, file)));
    for (const file of files) {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.copyFileSync(path.join(REPO_ROOT, file), path.join(dir, file));
    }
    for (const linked of LINKED) {
        fs.symlinkSync(path.join(REPO_ROOT, linked), path.join(dir, linked));
    }
    return dir;
}

/** Rewrites one file of a copy, failing when `from` does not occur in it. */
export function editFile(root: string, file: string, from: string, to: string): void {
    const at = path.join(root, file);
    const text = fs.readFileSync(at, "utf8");
    if (!text.includes(from)) throw new Error(`${file} does not contain ${JSON.stringify(from)}`);
    fs.writeFileSync(at, text.replace(from, to));
}
