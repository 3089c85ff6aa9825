/** The list of the policy pack's rules for docs/policies.md, read from the pack's own list (policy/policies.ts). */
import type { Policy } from "@pulumi/policy";
import { POLICY_GROUPS } from "../../policy/policies";
import { enforcementOf, readPackConfig } from "../pack-config";
import { markdownTable } from "./markdown";

/** Every rule with its group, its enforcement level in each of `stacks` and its description. */
export function policyTable(stacks: readonly string[]): string {
    const configs = stacks.map((stack) => readPackConfig(stack));
    const rows = Object.entries(POLICY_GROUPS).flatMap(([group, policies]) =>
        policies.map((p: Policy) => [
            `\`${p.name}\``,
            group,
            ...configs.map((config) => enforcementOf(p, config)),
            p.description,
        ]),
    );
    return markdownTable(["rule", "group", ...stacks, "description"], rows);
}
