/**
 * The only module that reads `pulumi.Config`. It gathers the whole `tacos:*` namespace and
 * `aws:region`, validates them against the schema in one pass and returns one typed object.
 * A bad stack file stops the program before any resource is registered, with one error that
 * names every bad field by its path.
 */
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { PlatformConfig, Region, SECRET_CONFIG_KEYS, SecretConfig, stackConfigSchema } from "./schema";

export * from "./schema";
export * from "./fields";
export * from "./infrastructure";
export * from "./network";
export * from "./capacity";
export * from "./observability";
export * from "./platform";
export * from "./delivery";

/** The project's config namespace (`tacos:<key>` in the stack files). */
export const CONFIG_NAMESPACE = "tacos";

/** The validated configuration of one stack. */
export interface StackConfig extends PlatformConfig {
    /** Stack name, e.g. `dev`. */
    stack: string;
    /** AWS region from `aws:region`. */
    region: Region;
    /** Secret config values, each a Pulumi secret (never printed, encrypted in state). */
    /** Secret config as Pulumi secrets; the required ones are always set (validation refuses a stack without them). */
    secrets: {
        [K in keyof SecretConfig]: undefined extends SecretConfig[K]
            ? pulumi.Output<string> | undefined
            : pulumi.Output<string>;
    };
}

/** Raised for an invalid stack configuration; `problems` holds one line per bad field. */
export class ConfigError extends Error {
    constructor(public readonly problems: string[]) {
        super(
            `Invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
        );
        this.name = "ConfigError";
    }
}

function displayPath(path: readonly PropertyKey[]): string {
    if (path[0] === "region") {
        return "aws:region";
    }
    const rest = path[0] === "platform" || path[0] === "secrets" ? path.slice(1) : path;
    return rest.map(String).join(".") || "(root)";
}

/** Zod's own wording; a message that does not match was written in the schema and is kept. */
const DEFAULT_MESSAGE = /^(Invalid|Too (small|big)|Unrecognized)/;

function describeIssue(issue: z.core.$ZodIssue): string[] {
    const where = displayPath(issue.path);
    if (issue.code === "unrecognized_keys") {
        return issue.keys.map((key) => `${displayPath([...issue.path, key])} is not a known setting`);
    }
    if (!DEFAULT_MESSAGE.test(issue.message)) {
        return [`${where} ${issue.message}`];
    }
    switch (issue.code) {
        case "invalid_type":
            return [
                /received undefined$/.test(issue.message)
                    ? `${where} is required`
                    : `${where} must be of type ${issue.expected}`,
            ];
        case "too_small":
            return [
                `${where} must ${issue.origin === "array" ? `list at least ${issue.minimum} item(s)` : `be >= ${issue.minimum}`}`,
            ];
        case "too_big":
            return [
                `${where} must ${issue.origin === "array" ? `list at most ${issue.maximum} item(s)` : `be <= ${issue.maximum}`}`,
            ];
        case "invalid_value":
            return [`${where} must be one of ${issue.values.map(String).join(", ")}`];
        default:
            return [`${where} ${issue.message}`];
    }
}

/** Raw config values as the stack holds them, before validation. */
export interface RawStackConfig {
    region: unknown;
    platform: Record<string, unknown>;
    secrets: Record<string, unknown>;
    /** Secret keys whose value was set in plain text (a config error). */
    plainSecrets?: string[];
}

/**
 * Validates raw config values (as the stack file holds them) and applies every default.
 * @throws ConfigError naming every bad field.
 */
export function parseStackConfig(stack: string, raw: RawStackConfig): StackConfig {
    const result = stackConfigSchema.safeParse({
        region: raw.region,
        platform: raw.platform,
        secrets: raw.secrets,
    });
    const problems = (raw.plainSecrets ?? []).map(
        (key) => `${key} must be set with pulumi config set --secret, not in plain stack config`,
    );
    if (!result.success) {
        problems.push(...result.error.issues.flatMap(describeIssue));
    }
    if (problems.length > 0 || !result.success) {
        throw new ConfigError(problems);
    }
    const secrets: Record<string, pulumi.Output<string> | undefined> = {};
    for (const key of SECRET_CONFIG_KEYS) {
        const value = result.data.secrets[key];
        secrets[key] = value === undefined ? undefined : pulumi.secret(value);
    }
    return {
        stack,
        region: result.data.region,
        ...result.data.platform,
        secrets: secrets as StackConfig["secrets"],
    };
}

/** The raw values of a config namespace: JSON-decoded objects, secrets apart. */
function readNamespace(namespace: string): RawStackConfig {
    const plainSecrets: string[] = [];
    const raw: RawStackConfig = {
        region: new pulumi.Config("aws").get("region"),
        platform: {},
        secrets: {},
        plainSecrets,
    };
    const secretNames: readonly string[] = SECRET_CONFIG_KEYS;
    for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
        if (!key.startsWith(`${namespace}:`)) {
            continue;
        }
        const name = key.slice(namespace.length + 1);
        if (secretNames.includes(name)) {
            raw.secrets[name] = value;
            if (!(pulumi.runtime as unknown as { isConfigSecret(k: string): boolean }).isConfigSecret(key)) {
                plainSecrets.push(name);
            }
            continue;
        }
        try {
            raw.platform[name] = /^[[{]/.test(value) ? JSON.parse(value) : value;
        } catch {
            raw.platform[name] = value;
        }
    }
    return raw;
}

/** Reads and validates the current stack's configuration. */
export function loadConfig(): StackConfig {
    return parseStackConfig(pulumi.getStack(), readNamespace(CONFIG_NAMESPACE));
}
