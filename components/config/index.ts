/**
 * The only module that reads `pulumi.Config`. It gathers the whole `tacos:*` namespace and
 * `aws:region`, validates them against the schema in one pass and returns one typed object.
 * A bad stack file stops the program before any resource is registered, with one error that
 * names every bad field by its path.
 */
import * as pulumi from "@pulumi/pulumi";
import { argocdExposureProblems } from "./argocd-exposure";
import { missingChartValues } from "./chart-values";
import { describeIssue, displayPath } from "./problems";
import { privateSubnetProblems } from "./subnet-demand";
import { PlatformConfig, Region, SecretConfig, stackConfigSchema } from "./schema";
import {
    argocdSecretNeeds,
    missingSecretProblem,
    plainSecretProblem,
    requiredSecretKeys,
    SECRET_CONFIG_KEYS,
    SecretKey,
} from "./secrets";

export * from "./schema";
export * from "./fields";
export * from "./infrastructure";
export * from "./network";
export * from "./capacity";
export * from "./load";
export * from "./pull-request";
export * from "./observability";
export * from "./platform";
export * from "./addon-switches";
export * from "./delivery";
export * from "./secrets";
export * from "./subnet-demand";
export * from "./chart-values";
export * from "./argocd-exposure";

/** The project's config namespace (`tacos:<key>` in the stack files). */
export const CONFIG_NAMESPACE = "tacos";

/** The validated configuration of one stack. */
export interface StackConfig extends PlatformConfig {
    /** Stack name, e.g. `dev`. */
    stack: string;
    /** AWS region from `aws:region`. */
    region: Region;
    /** Secret config as Pulumi secrets; the required ones are always set (validation refuses a stack without them). */
    secrets: {
        [K in keyof SecretConfig]: undefined extends SecretConfig[K]
            ? pulumi.Output<string> | undefined
            : pulumi.Output<string>;
    };
}

/**
 * Raised for an invalid stack configuration; `problems` holds one line per bad field. A
 * `pulumi.RunError`, so that Pulumi's Node.js host prints its message without a stack trace
 * (@pulumi/pulumi 3.270.0, cmd/run/run.js: "Always hide the stack for RunErrors").
 */
export class ConfigError extends pulumi.RunError {
    constructor(public readonly problems: string[]) {
        super(
            `Invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
        );
        this.name = "ConfigError";
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
 * The problems of the secret keys: each one set in plain text (whatever its value: its shape is
 * not judged, it must be set again) and each required one missing, with the command that sets it.
 */
function secretProblems(stack: string, raw: RawStackConfig): { problems: string[]; judged: Set<string> } {
    const plain = (raw.plainSecrets ?? []) as SecretKey[];
    const needs = argocdSecretNeeds(raw.platform.argocd);
    const missing = requiredSecretKeys(needs).filter(
        (key) => raw.secrets[key] === undefined && !plain.includes(key),
    );
    // A GitHub App key on a stack that reads a public repository is a mistake, not a harmless extra.
    const repoAccess = (raw.platform.argocd as { repoAccess?: { type?: unknown } } | undefined)?.repoAccess;
    const unneeded: SecretKey[] =
        repoAccess?.type === "public" && raw.secrets.argocdRepoGithubAppPrivateKey !== undefined
            ? ["argocdRepoGithubAppPrivateKey"]
            : [];
    return {
        problems: [
            ...plain.map((key) => plainSecretProblem(key, stack)),
            ...missing.map((key) => missingSecretProblem(key, stack)),
            ...unneeded.map(
                (key) =>
                    `${key} is set but argocd.repoAccess.type is public: remove it (pulumi config rm tacos:${key} -s ${stack}) or read the repository as a GitHub App`,
            ),
        ],
        judged: new Set([...plain, ...missing, ...unneeded]),
    };
}

/**
 * Validates raw config values (as the stack file holds them) and applies every default; also
 * refuses a stack whose chart values file is missing.
 * @throws ConfigError naming every bad field.
 */
export function parseStackConfig(stack: string, raw: RawStackConfig): StackConfig {
    const result = stackConfigSchema.safeParse(
        { region: raw.region, platform: raw.platform, secrets: raw.secrets },
        { reportInput: true },
    );
    const { problems, judged } = secretProblems(stack, raw);
    const chartValues = missingChartValues(stack);
    if (chartValues) {
        problems.unshift(chartValues);
    }
    problems.push(...privateSubnetProblems(raw.platform).map((p) => `${displayPath(p.path)} ${p.message}`));
    problems.push(...argocdExposureProblems(stack, raw.platform.argocd));
    if (!result.success) {
        problems.push(
            ...result.error.issues
                .filter((issue) => !(issue.path[0] === "secrets" && judged.has(String(issue.path[1]))))
                .flatMap(describeIssue),
        );
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
