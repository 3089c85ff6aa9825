// Lint: typescript-eslint's recommended rules over the program, its components and tests, and the
// directions the layers may import in (test/lint.test.ts shows each direction refused).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** Import patterns (gitignore-style, matched against the import string) and why they are refused. */
const layer = (patterns, message) => ({ group: patterns, message });
/** The pack's rule modules and its entry point (which builds the PolicyPack), by relative path. */
const RULE_MODULES = {
    regex: "^(\\.\\.?/)+(.*/)?policy(/index(\\.ts)?|/rules(/.*)?)?$",
    message: "Import the pack's shared surface (policy/shared) or its policy list (policy/policies), never a rule module or the pack's entry point.",
};
const K8S = layer(["**/k8s", "**/k8s/**"], "The AWS layer never imports the cluster layer.");
const APPS = layer(["**/apps", "**/apps/**"], "The AWS and cluster layers never import the apps layer.");
const PROGRAM = {
    regex: "^(\\.\\./)+((components|tools|scripts|test)(/.*)?|index(\\.ts)?)$",
    message: "The policy pack is self-contained: it imports nothing of the program, tools or tests.",
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
        "no-restricted-syntax": ["error", { selector: "ImportExpression", message: "Use a static import, which the layer directions can check." }],
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
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
        },
    },
    {
        // Plain Node scripts (CommonJS), run without a TypeScript loader on purpose.
        files: ["scripts/**/*.js"],
        languageOptions: { sourceType: "commonjs", globals: { require: "readonly", process: "readonly", __dirname: "readonly", setTimeout: "readonly" } },
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
    // The foundations (AWS layer, config, tags, the profile) sit below the cluster and apps layers.
    restrict(["components/aws/**/*.ts", "components/config/**/*.ts", "components/*.ts"], RULE_MODULES, K8S, APPS),
    restrict(["components/k8s/**/*.ts"], RULE_MODULES, APPS),
    restrict(["index.ts", "components/apps/**/*.ts"], RULE_MODULES),
    // Tools and scripts load the program at run time; only their imports of the pack are checked.
    { files: ["tools/**/*.ts", "scripts/**/*.ts", "scripts/**/*.js"], rules: { "no-restricted-imports": ["error", { patterns: [RULE_MODULES] }] } },
    restrict(["policy/**/*.ts"], PROGRAM),
);
