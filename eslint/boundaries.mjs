// Import boundaries checked on the path an import resolves to, not on its spelling: `./../x`, `a/../../b`
// and `typeof import("…")` name the file they resolve to, so no spelling slips past a zone. Globs are
// matched with Node's path.matchesGlob against paths relative to ESLint's working directory, without
// extension; an import of a folder counts as an import of its index.
import { existsSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import * as path from "node:path";

const BUILTINS = new Set(builtinModules);
const isBuiltin = (spec) => spec.startsWith("node:") || BUILTINS.has(spec.split("/")[0]);
const packageOf = (spec) =>
    spec
        .split("/")
        .slice(0, spec.startsWith("@") ? 2 : 1)
        .join("/");
const matches = (rel, globs) => (globs ?? []).some((glob) => path.matchesGlob(rel, glob));

/** The module specifiers a file names: imports, re-exports, `import()`, `require()` and `typeof import()`. */
function onSpecifier(report) {
    const check = (node, source) => {
        if (source?.type === "Literal" && typeof source.value === "string") report(node, source.value);
    };
    return {
        ImportDeclaration: (node) => check(node, node.source),
        ExportNamedDeclaration: (node) => check(node, node.source),
        ExportAllDeclaration: (node) => check(node, node.source),
        ImportExpression: (node) => check(node, node.source),
        TSImportType: (node) => check(node, node.argument?.literal ?? node.argument),
        TSExternalModuleReference: (node) => check(node, node.expression),
        CallExpression: (node) => {
            if (node.callee.type === "Identifier" && node.callee.name === "require")
                check(node, node.arguments[0]);
        },
    };
}

/** Where a relative specifier of `file` leads, relative to `cwd`, without extension; a folder as its index. */
function target(cwd, file, spec) {
    let abs = path.resolve(path.dirname(file), spec).replace(/\.(ts|js|mjs|cjs|json)$/, "");
    if (existsSync(abs) && statSync(abs).isDirectory()) abs = path.join(abs, "index");
    return path.relative(cwd, abs).split(path.sep).join("/");
}

/**
 * Whether an import from `from` (relative path) of `to` (resolved, relative) breaks a zone:
 * - `deny` (globs) with `except` (globs): the target must not match deny unless it matches except;
 * - `allow` (globs): the target must match one of them;
 * - `privateFolders` (a folder whose subfolders are private), `public` (names) and `registry` (a file):
 *   a file outside `<folder>/<name>/` may import only its `public` files, except the registry, which
 *   may import each one's index.
 */
function breaks(zone, from, to) {
    if (zone.deny && matches(to, zone.deny) && !matches(to, zone.except)) return true;
    if (zone.allow && !matches(to, zone.allow)) return true;
    if (zone.privateFolders) {
        const [own] = path.relative(zone.privateFolders, path.dirname(to)).split("/");
        const inPrivate = !to.startsWith("..") && path.dirname(to).startsWith(`${zone.privateFolders}/`);
        if (!inPrivate) return false;
        const folder = `${zone.privateFolders}/${own}`;
        if (from.startsWith(`${folder}/`)) return false;
        const name = to.slice(folder.length + 1);
        if (zone.public.includes(name)) return false;
        return !(from === zone.registry && name === "index");
    }
    return false;
}

/**
 * Options: an array of zones `{ from, deny?, except?, allow?, privateFolders?, public?, registry?, packages?,
 * message }`. `from` (globs) picks the files a zone holds; `packages`, when set, lists the npm packages they
 * may import besides Node's built-ins.
 */
const zonesRule = {
    meta: {
        type: "problem",
        docs: { description: "Imports stay inside the folders their zone may reach, by resolved path." },
        schema: [{ type: "array" }],
    },
    create(context) {
        const cwd = context.cwd;
        const from = path.relative(cwd, context.filename).split(path.sep).join("/");
        const zones = (context.options[0] ?? []).filter((zone) => matches(from, zone.from));
        if (zones.length === 0) return {};
        return onSpecifier((node, spec) => {
            for (const zone of zones) {
                const refused = spec.startsWith(".")
                    ? breaks(zone, from, target(cwd, context.filename, spec))
                    : zone.packages !== undefined &&
                      !isBuiltin(spec) &&
                      !zone.packages.includes(packageOf(spec));
                if (refused) context.report({ node, message: zone.message });
            }
        });
    },
};

export const boundaries = { rules: { zones: zonesRule } };
