/**
 * The pack's config for a stack, as the CrossGuard runtime reads it: enforcement levels and each
 * policy's settings.
 */
import type { EnforcementLevel, Policy } from "@pulumi/policy";
import * as fs from "fs";
import * as path from "path";
import { POLICY_GROUPS } from "../policy/policies";
import { REPO_ROOT } from "./stack-files";

/** A stack's policy config (policy/<stack>.json): `all` and each policy's level or settings. */
export type PackConfig = Record<
    string,
    EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)
>;

/** The policy config of a stack (policy/<stack>.json). */
export function readPackConfig(stack: string): PackConfig {
    const file = path.join(REPO_ROOT, "policy", `${stack}.json`);
    let config: PackConfig;
    try {
        config = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new Error(`Cannot read the policy config policy/${stack}.json: ${(e as Error).message}`);
    }
    return checkPackConfig(config, `policy/${stack}.json`);
}

/** `config` when each of its keys is `all` or a policy of the pack; else one error naming every other key. */
export function checkPackConfig(config: PackConfig, where: string): PackConfig {
    // A key that names no policy sets nothing: a misspelt one would leave its rule at the default level unseen.
    const known = new Set(
        Object.values(POLICY_GROUPS)
            .flat()
            .map((p) => p.name),
    );
    const unknown = Object.keys(config).filter((key) => key !== "all" && !known.has(key));
    if (unknown.length > 0) {
        throw new Error(`The policy config ${where} names no policy of the pack at ${unknown.join(", ")}`);
    }
    return config;
}

/** A policy's enforcement level under `config`: its own entry, else `all`, else its own default. */
export function enforcementOf(policy: Policy, config: PackConfig): EnforcementLevel {
    const own = config[policy.name];
    const level = typeof own === "string" ? own : own?.enforcementLevel;
    return level ?? (config.all as EnforcementLevel | undefined) ?? policy.enforcementLevel ?? "mandatory";
}

/** A policy's config under `config`: its schema's defaults overlaid by its own entry; throws on a missing required key. */
export function configOf(policy: Policy, config: PackConfig): Record<string, unknown> {
    const defaults = Object.fromEntries(
        Object.entries(policy.configSchema?.properties ?? {})
            .filter(([, schema]) => (schema as { default?: unknown }).default !== undefined)
            .map(([key, schema]) => [key, (schema as { default?: unknown }).default]),
    );
    const own = config[policy.name];
    const { enforcementLevel: _level, ...values } = typeof own === "object" ? own : {};
    const merged = { ...defaults, ...values };
    const missing = (policy.configSchema?.required ?? []).filter((key) => merged[key] === undefined);
    if (missing.length > 0) {
        throw new Error(`policy ${policy.name} needs config ${missing.join(", ")} in its policy config`);
    }
    return merged;
}
