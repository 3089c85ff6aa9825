/** The list of the policy pack's rules for docs/policies.md, read from the pack's own list (policy/policies.ts). */
import type { EnforcementLevel, Policy } from "@pulumi/policy";
import { POLICY_GROUPS } from "../../policy/policies";
import { PackConfig, readPackConfig } from "../policy-gate";
import { markdownTable } from "./markdown";

/**
 * A rule's level in a stack's policy config, resolved as tools/policy-gate.ts resolves it: the
 * rule's own entry, then `all`, then the rule's own level, then the pack's (mandatory).
 */
function levelIn(policy: Policy, config: PackConfig): EnforcementLevel {
    const own = config[policy.name];
    const level = typeof own === "string" ? own : own?.enforcementLevel;
    return level ?? (config.all as EnforcementLevel | undefined) ?? policy.enforcementLevel ?? "mandatory";
}

/** Every rule with its group, its enforcement level in each of `stacks` and its description. */
export function policyTable(stacks: readonly string[]): string {
    const configs = stacks.map((stack) => readPackConfig(stack));
    const rows = Object.entries(POLICY_GROUPS).flatMap(([group, policies]) =>
        policies.map((p: Policy) => [
            `\`${p.name}\``,
            group,
            ...configs.map((config) => levelIn(p, config)),
            p.description,
        ]),
    );
    return markdownTable(["rule", "group", ...stacks, "description"], rows);
}
