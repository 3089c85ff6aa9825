/**
 * The policy pack as a folder of its own, for `pulumi policy publish` (which packs the folder it runs in
 * with `npm pack`): the pack's files under `policy/` and the vocabulary it imports under `vocabulary/`,
 * side by side as in this repository, so that no import is rewritten, with the pack's package.json,
 * lockfile (as npm-shrinkwrap.json), PulumiPolicy.yaml and a tsconfig at its root. Nothing else of the
 * repository goes in, so a pack that imported anything else would not build there. The stacks' pack
 * settings (policy/<stack>.json) stay out: `pulumi policy enable --config` supplies them.
 */
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "./stack-files";

/** The pack's sources in `policy/`: its TypeScript files and folders, without installed or built ones. */
function packSources(): string[] {
    return fs
        .readdirSync(path.join(REPO_ROOT, "policy"), { withFileTypes: true })
        .filter((e) => (e.isDirectory() ? !["node_modules", "bin"].includes(e.name) : e.name.endsWith(".ts")))
        .map((e) => e.name);
}
/**
 * Files that sit at the staged folder's root, copied from `policy/` (source -> name). npm never packs a
 * package-lock.json, but it packs an npm-shrinkwrap.json and `npm install` honours it, so the pack's
 * indirect dependencies stay pinned where Pulumi installs a published pack.
 */
const ROOT_FILES = { "PulumiPolicy.yaml": "PulumiPolicy.yaml", "package-lock.json": "npm-shrinkwrap.json" };

/** The tsconfig of the staged pack: the pack's own, over both folders. */
function stagedTsconfig(): Record<string, unknown> {
    const own = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "policy", "tsconfig.json"), "utf8"));
    return { ...own, include: ["policy/**/*.ts", "vocabulary/**/*.ts"] };
}

/** The pack's package.json with its entry point in the staged layout. */
function stagedPackageJson(): Record<string, unknown> {
    const own = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "policy", "package.json"), "utf8"));
    return { ...own, main: `policy/${own.main}` };
}

/** Writes the stand-alone pack into `dir` (created, and emptied first); returns `dir`. */
export function stagePolicyPack(dir: string): string {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(path.join(dir, "policy"), { recursive: true });
    for (const file of packSources()) {
        fs.cpSync(path.join(REPO_ROOT, "policy", file), path.join(dir, "policy", file), { recursive: true });
    }
    fs.cpSync(path.join(REPO_ROOT, "vocabulary"), path.join(dir, "vocabulary"), { recursive: true });
    for (const [file, name] of Object.entries(ROOT_FILES)) {
        fs.copyFileSync(path.join(REPO_ROOT, "policy", file), path.join(dir, name));
    }
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(stagedPackageJson(), null, 2) + "\n");
    fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(stagedTsconfig(), null, 2) + "\n");
    return dir;
}
