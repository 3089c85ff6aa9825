// Lint: typescript-eslint's recommended rules over the program, its tools, the pack and the tests, and the
// directions the layers may import in, checked on resolved paths by eslint/boundaries.mjs
// (test/lint.test.ts shows each direction refused and the allowed ones accepted).
import js from "@eslint/js";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import tseslint from "typescript-eslint";
import { boundaries } from "./eslint/boundaries.mjs";

/** The npm packages the pack installs (policy/package.json): all the pack and the vocabulary may import. */
const PACK_PACKAGES = Object.keys(
    JSON.parse(readFileSync(path.join(import.meta.dirname, "policy", "package.json"), "utf8")).dependencies,
);

/** Everything of the program, its tools and scripts: every file but the tests, the pack and the vocabulary. */
const PROGRAM = ["index.ts", "components/**", "tools/**", "scripts/**"];
const FOUNDATIONS = ["components/aws/**", "components/config/**", "components/*.ts"];
const ADDONS = "components/k8s/addons";
const CONTRACT = [`${ADDONS}/addon.ts`, `${ADDONS}/chart.ts`];

/** The import directions, one zone each; a zone's message says what must be true. */
const ZONES = [
    {
        from: FOUNDATIONS,
        deny: ["components/k8s/**"],
        message: "The AWS layer never imports the cluster layer.",
    },
    {
        from: [...FOUNDATIONS, "components/k8s/**"],
        deny: ["components/apps/**"],
        message: "The AWS and cluster layers never import the apps layer.",
    },
    {
        from: PROGRAM,
        deny: ["policy/index", "policy/rules/**"],
        message:
            "Import the pack's policy list (policy/policies), never a rule module or the pack's entry point; shared facts live in vocabulary/.",
    },
    {
        from: PROGRAM,
        privateFolders: ADDONS,
        public: ["facts"],
        registry: `${ADDONS}/index.ts`,
        message:
            "Outside an add-on's folder, import only its facts.ts (components/k8s/addons/<name>/facts); its other files are its own.",
    },
    {
        from: CONTRACT,
        deny: [`${ADDONS}/**`],
        except: [`${ADDONS}/addon`, `${ADDONS}/chart`],
        message:
            "The add-on contract (addon.ts, chart.ts) imports no add-on and not the registry: a type it needs from one is a type parameter or the contract's own.",
    },
    {
        from: [`${ADDONS}/*/**`],
        deny: [`${ADDONS}/index`],
        message: "An add-on never imports the registry (components/k8s/addons/index.ts), which imports it.",
    },
    {
        from: ["policy/**"],
        allow: ["policy/**", "vocabulary/*"],
        packages: PACK_PACKAGES,
        message:
            "The policy pack is self-contained: its files import only the vocabulary (vocabulary/<module>), the pack's own files, Node's built-ins and the pack's own packages.",
    },
    {
        from: ["vocabulary/**"],
        allow: ["vocabulary/*"],
        packages: PACK_PACKAGES,
        message:
            "The vocabulary is the bottom layer and is published with the pack: it imports only its own modules, Node's built-ins and the pack's own packages.",
    },
];

const NO_EXPORT_ALL = {
    selector: "ExportAllDeclaration",
    message: "Name what a module re-exports (`export { a } from`), so that its importers can be found.",
};
const NO_DYNAMIC_IMPORT = {
    selector: "ImportExpression",
    message: "Use a static import, which the layer directions can check.",
};

export default tseslint.config(
    { ignores: ["**/node_modules/", "**/bin/", ".tools/", ".build/"] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        files: ["**/*.ts", "**/*.mjs", "**/*.js"],
        plugins: { tacos: boundaries },
        rules: { "tacos/zones": ["error", ZONES] },
    },
    {
        files: ["**/*.ts"],
        rules: {
            "@typescript-eslint/no-explicit-any": "off",
            "@typescript-eslint/no-unused-vars": [
                "error",
                { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
            ],
            // A folder's public entry point (its index.ts) may pass on its modules whole; the vocabulary has none.
            "no-restricted-syntax": ["error", NO_EXPORT_ALL],
        },
    },
    {
        files: ["**/index.ts"],
        ignores: ["vocabulary/**"],
        rules: { "no-restricted-syntax": "off" },
    },
    {
        // The program, the pack and the vocabulary import statically, so that every import can be checked.
        files: ["index.ts", "components/**/*.ts", "policy/**/*.ts", "vocabulary/**/*.ts"],
        rules: {
            "@typescript-eslint/no-require-imports": "error",
            "no-restricted-syntax": ["error", NO_DYNAMIC_IMPORT, NO_EXPORT_ALL],
        },
    },
    {
        files: ["index.ts", "components/**/index.ts", "policy/**/index.ts"],
        rules: { "no-restricted-syntax": ["error", NO_DYNAMIC_IMPORT] },
    },
    {
        // Tools and tests load the program at run time with require().
        files: ["tools/**/*.ts", "scripts/**/*.ts", "test/**/*.ts"],
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
    {
        // Files stay short enough to read whole, split along named seams; the composition root shorter still.
        files: ["**/*.ts", "**/*.mjs", "**/*.js"],
        rules: { "max-lines": ["error", { max: 300 }] },
    },
    { files: ["index.ts"], rules: { "max-lines": ["error", { max: 160 }] } },
    {
        // A function long enough to need scrolling is split where the split has a name. Tests are exempt:
        // their describe callbacks are suites.
        files: [
            "index.ts",
            "components/**/*.ts",
            "tools/**/*.ts",
            "scripts/**/*.ts",
            "policy/**/*.ts",
            "vocabulary/**/*.ts",
            "eslint/**/*.mjs",
        ],
        rules: {
            "max-lines-per-function": ["error", { max: 80, skipBlankLines: true, skipComments: true }],
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
);
