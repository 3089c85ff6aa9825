/**
 * The repository's stack files as the offline tools read them: which stacks there are, each
 * file's config, the placeholders of the secret keys a stack keeps encrypted, and config in the
 * form Pulumi hands a program.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { argocdSecretNeeds, requiredSecretKeys } from "../components/config/secrets";
import { programConfig, TEST_SECRETS } from "./secret-config";

export const REPO_ROOT = path.resolve(__dirname, "..");

/** The stack file's config plus the test secrets of any secret it requires and does not hold. */
export function withTestSecrets(config: Record<string, unknown>): Record<string, unknown> {
    const required = requiredSecretKeys(argocdSecretNeeds(config["tacos:argocd"]));
    const secrets = required.map((key) => [`tacos:${key}`, TEST_SECRETS[`tacos:${key}`]]);
    return { ...Object.fromEntries(secrets), ...config };
}

/** The stacks of this repository: those with both a stack file and a policy pack config. */
export function knownStacks(dir = REPO_ROOT): string[] {
    return fs
        .readdirSync(dir)
        .map((f) => /^Pulumi\.([\w-]+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => !!s && fs.existsSync(path.join(dir, "policy", `${s}.json`)))
        .sort();
}

/** The last parse of each stack file, by path, with the text it was parsed from. */
const parsedFiles = new Map<string, { text: string; config: Record<string, unknown> }>();

/**
 * The `config:` map of a stack file, as YAML values: a fresh copy for each caller to change at
 * will. A file whose text has not changed since the last call is not parsed again (one plan reads
 * the stack file once per chart it renders).
 */
export function readStackConfig(stack: string, dir = REPO_ROOT): Record<string, unknown> {
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        throw new Error(`No stack file Pulumi.${stack}.yaml for stack "${stack}"`);
    }
    const text = fs.readFileSync(file, "utf8");
    const cached = parsedFiles.get(file);
    if (cached?.text !== text) {
        parsedFiles.set(file, { text, config: parseStackFile(stack, text) });
    }
    return structuredClone(parsedFiles.get(file)!.config);
}

/** The `config:` map of a stack file's text; an error naming the file when it is not one. */
function parseStackFile(stack: string, text: string): Record<string, unknown> {
    let parsed: any;
    try {
        parsed = YAML.parse(text);
    } catch (e) {
        throw new Error(`Cannot read the stack file Pulumi.${stack}.yaml: ${(e as Error).message}`);
    }
    if (
        parsed !== null &&
        (typeof parsed !== "object" ||
            Array.isArray(parsed) ||
            (parsed.config !== undefined &&
                (typeof parsed.config !== "object" || Array.isArray(parsed.config))))
    ) {
        throw new Error(
            `Cannot read the stack file Pulumi.${stack}.yaml: it must be a mapping with a config: mapping`,
        );
    }
    return (parsed?.config ?? {}) as Record<string, unknown>;
}

/** Config as Pulumi hands it to a program: `ns:key` to a string, objects JSON-encoded. */
export function toRuntimeConfig(config: Record<string, unknown>): Record<string, string> {
    return Object.fromEntries(
        Object.entries(config).map(([key, value]) => [
            key,
            typeof value === "string" ? value : JSON.stringify(value),
        ]),
    );
}

/** The environment scripts/host-start.js reads: a stack's runtime config and which keys are secret. */
export function hostStartEnv(
    stack: string,
    editStackFile?: (config: Record<string, any>) => void,
): Record<string, string> {
    const file = readStackConfig(stack);
    editStackFile?.(file);
    const { config, secretKeys } = programConfig(stack, file, "test");
    return {
        HOST_START_CONFIG: JSON.stringify(toRuntimeConfig(config)),
        HOST_START_SECRET_KEYS: JSON.stringify(secretKeys),
    };
}

/**
 * node's arguments to load the program as Pulumi's host does (scripts/host-start.js): Pulumi.yaml's
 * runtime.options.nodeargs, which the host passes to node, then the script and the stack.
 */
export function hostStartArgs(stack: string): string[] {
    const project = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8"));
    const nodeArgs: string = project?.runtime?.options?.nodeargs ?? "";
    return [...nodeArgs.split(/\s+/).filter(Boolean), path.join("scripts", "host-start.js"), stack];
}
