// Lint: typescript-eslint's recommended rules over the program, its components and tests, and the
// directions the layers may import in (test/lint.test.ts shows each direction refused).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** Import patterns (gitignore-style, matched against the import string) and why they are refused. */
const layer = (patterns, message) => ({ group: patterns, message });
const RULE_MODULES = layer(["**/policy/rules", "**/policy/rules/**"], "Import the pack's shared surface (policy/shared) or its policy list (policy/policies), never a rule module.");
const K8S = layer(["**/k8s", "**/k8s/**"], "The AWS layer never imports the cluster layer.");
const APPS = layer(["**/apps", "**/apps/**"], "The AWS and cluster layers never import the apps layer.");

const restrict = (files, ...patterns) => ({ files, rules: { "no-restricted-imports": ["error", { patterns }] } });

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
    restrict(["components/aws/**/*.ts"], RULE_MODULES, K8S, APPS),
    restrict(["components/k8s/**/*.ts"], RULE_MODULES, APPS),
    restrict(["index.ts", "components/*.ts", "components/apps/**/*.ts", "components/config/**/*.ts", "tools/**/*.ts", "scripts/**/*.ts"], RULE_MODULES),
);
