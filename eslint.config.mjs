// Lint: typescript-eslint's recommended rules over the program, its components and tests, and the
// directions the layers may import in (test/lint.test.ts shows each direction refused).
import js from "@eslint/js";
import { readdirSync, readFileSync } from "node:fs";
import { URL } from "node:url";
import tseslint from "typescript-eslint";

/** Import patterns (gitignore-style, matched against the import string) and why they are refused. */
const layer = (patterns, message) => ({ group: patterns, message });
/** The pack's rule modules and its entry point (which builds the PolicyPack), by relative path. */
const RULE_MODULES = {
    regex: "^(\\.\\.?/)+(.*/)?policy(/index(\\.ts)?|/rules(/.*)?)?$",
    message:
        "Import the pack's policy list (policy/policies), never a rule module or the pack's entry point; shared facts live in vocabulary/.",
};
const K8S = layer(["**/k8s", "**/k8s/**"], "The AWS layer never imports the cluster layer.");
const APPS = layer(["**/apps", "**/apps/**"], "The AWS and cluster layers never import the apps layer.");

/** The npm packages the pack installs (policy/package.json): all the pack and the vocabulary may import. */
const PACK_PACKAGES = Object.keys(
    JSON.parse(readFileSync(new URL("./policy/package.json", import.meta.url))).dependencies,
);
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
const OTHER_PACKAGES = {
    regex: `^(?!\\.|(${PACK_PACKAGES.map(escape).join("|")})(/.*)?$)`,
    message: `The pack and the vocabulary are published alone: they import only the pack's own packages (${PACK_PACKAGES.join(", ")}).`,
};
/** From a file `depth` folders below the root: a relative import that leaves the pack for anything but a vocabulary module. */
const outsidePack = (depth) => ({
    regex: `^${"\\.\\./".repeat(depth)}(?!vocabulary/[\\w.-]+$)`,
    message:
        "The policy pack is self-contained: its rules import only the vocabulary (vocabulary/<module>) and the pack's own files.",
});
const OUTSIDE_VOCABULARY = {
    regex: "^\\.\\./",
    message: "The vocabulary is the bottom layer: it imports only its own modules.",
};

/** The add-ons: one folder each under components/k8s/addons/, named as the registry names them. */
const ADDON_FOLDERS = readdirSync(new URL("./components/k8s/addons/", import.meta.url), {
    withFileTypes: true,
})
    .filter((entry) => entry.isDirectory())
    .map((entry) => escape(entry.name));
const ADDON = `(${ADDON_FOLDERS.join("|")})`;
const ONLY_FACTS =
    "Outside an add-on's folder, import only its facts.ts (components/k8s/addons/<name>/facts); its other files are its own.";
/** From anywhere outside components/k8s/addons/: an add-on's folder (its index) or any of its files but facts.ts. */
const ADDON_INTERNALS = { regex: `(^|/)addons/${ADDON}(/(?!facts$).*)?$`, message: ONLY_FACTS };
/** From the registry's folder (components/k8s/addons/*.ts): the same, as `./<name>`. */
const SIBLING_INTERNALS = { regex: `^\\./${ADDON}(/(?!facts$).*)?$`, message: ONLY_FACTS };
/** From the registry itself, which installs each add-on from its index.ts. */
const REGISTRY_INTERNALS = { regex: `^\\./${ADDON}/(?!facts$|index$).+$`, message: ONLY_FACTS };
/** From inside an add-on's folder: another add-on's files but facts.ts, or the registry. */
const OTHER_ADDON_INTERNALS = { regex: `^\\.\\./${ADDON}(/(?!facts$).*)?$`, message: ONLY_FACTS };
const REGISTRY = {
    regex: "^\\.\\.(/index)?/?$",
    message: "An add-on never imports the registry (components/k8s/addons/index.ts), which imports it.",
};
/** From the contract (addon.ts, chart.ts): anything of the registry's folder but the contract itself. */
const CONTRACT_IMPORTS = {
    regex: "^\\.(/(?!(addon|chart)$).*)?$",
    message:
        "The add-on contract (addon.ts, chart.ts) imports no add-on and not the registry: a type it needs from one is a type parameter or the contract's own.",
};

const NO_EXPORT_ALL = {
    selector: "ExportAllDeclaration",
    message: "Name what a module re-exports (`export { a } from`), so that its importers can be found.",
};
const NO_DYNAMIC_IMPORT = {
    selector: "ImportExpression",
    message: "Use a static import, which the layer directions can check.",
};

/**
 * Import patterns refused for `files`. `require()` and dynamic `import()` are refused there too,
 * so that no import escapes the patterns.
 */
const restrict = (files, ...patterns) => ({
    files,
    rules: {
        "no-restricted-imports": ["error", { patterns }],
        "@typescript-eslint/no-require-imports": "error",
        "no-restricted-syntax": ["error", NO_DYNAMIC_IMPORT, NO_EXPORT_ALL],
    },
});

export default tseslint.config(
    { ignores: ["node_modules/", "bin/", ".tools/", "policy/node_modules/", "policy/bin/"] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        files: ["**/*.ts"],
        rules: {
            "@typescript-eslint/no-explicit-any": "off",
            "@typescript-eslint/no-require-imports": "off",
            "@typescript-eslint/no-unused-vars": [
                "error",
                { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
            ],
            "no-restricted-syntax": ["error", NO_EXPORT_ALL],
        },
    },
    {
        // Plain Node scripts (CommonJS), run without a TypeScript loader on purpose.
        files: ["scripts/**/*.js"],
        languageOptions: {
            sourceType: "commonjs",
            globals: {
                require: "readonly",
                process: "readonly",
                __dirname: "readonly",
                setTimeout: "readonly",
            },
        },
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
    // The foundations (AWS layer, config, tags, the profile) sit below the cluster and apps layers.
    restrict(
        ["components/aws/**/*.ts", "components/config/**/*.ts", "components/*.ts"],
        RULE_MODULES,
        K8S,
        APPS,
    ),
    restrict(["components/k8s/**/*.ts"], RULE_MODULES, APPS, ADDON_INTERNALS),
    // Each add-on owns its folder: others read only its facts.ts; the registry installs it from its index.ts; the
    // contract knows none of them. (Tests read an add-on's internals to check them.)
    restrict(["components/k8s/addons/*.ts"], RULE_MODULES, APPS, SIBLING_INTERNALS),
    restrict(["components/k8s/addons/index.ts"], RULE_MODULES, APPS, REGISTRY_INTERNALS),
    restrict(
        ["components/k8s/addons/addon.ts", "components/k8s/addons/chart.ts"],
        RULE_MODULES,
        APPS,
        CONTRACT_IMPORTS,
    ),
    restrict(["components/k8s/addons/*/**/*.ts"], RULE_MODULES, APPS, OTHER_ADDON_INTERNALS, REGISTRY),
    restrict(
        ["index.ts", "components/apps/**/*.ts", "components/stack/**/*.ts"],
        RULE_MODULES,
        ADDON_INTERNALS,
    ),
    // Tools and scripts load the program at run time; only their imports of the pack and of add-ons are checked.
    {
        files: ["tools/**/*.ts", "scripts/**/*.ts", "scripts/**/*.js"],
        rules: { "no-restricted-imports": ["error", { patterns: [RULE_MODULES, ADDON_INTERNALS] }] },
    },
    restrict(["policy/*.ts"], outsidePack(1), OTHER_PACKAGES),
    restrict(["policy/*/*.ts"], outsidePack(2), OTHER_PACKAGES),
    restrict(["vocabulary/**/*.ts"], OUTSIDE_VOCABULARY, OTHER_PACKAGES),
    // A folder's public entry point (its index.ts) may pass on its modules whole; the vocabulary has none.
    {
        files: ["**/index.ts"],
        ignores: ["vocabulary/**"],
        rules: { "no-restricted-syntax": ["error", NO_DYNAMIC_IMPORT] },
    },
);
