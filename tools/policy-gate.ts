/**
 * The offline policy gate: runs the whole program for a stack under mocks (its real stack file),
 * renders each delivered service's chart with the real helm, and runs every resource and stack
 * policy of the pack over all of it, the way the CrossGuard runtime does (props behind
 * `unknownCheckingProxy`, `getConfig` from the stack's policy config with schema defaults,
 * `notApplicable`, `stackTags`). No cloud account is needed.
 */
import type {
    EnforcementLevel,
    PolicyResource,
    ResourceValidationPolicy,
    StackValidationPolicy,
} from "@pulumi/policy";
import { POLICY_GROUPS } from "../policy/policies";
import { knownStacks, ProgramRun, runProgram, RunOptions } from "./harness";
import { configOf, enforcementOf, PackConfig, readPackConfig } from "./pack-config";
import { policyResources } from "./policy-resources";

/** One violation a policy reported, at the level the stack's config gives the policy. */
export interface Violation {
    policy: string;
    group: string;
    enforcementLevel: EnforcementLevel;
    message: string;
    urn?: string;
}

/** Every policy's verdict over one stack. */
export interface GateResult {
    stack: string;
    violations: Violation[];
    mandatory: Violation[];
    /** Resources the policies saw: the program's and the rendered chart objects. */
    resources: PolicyResource[];
    /** Resource-policy evaluations made (resource x applicable policy). */
    checks: number;
    /** The stack policies that found themselves not applicable (e.g. a cluster-layer rule over a bootstrap run). */
    notApplicable: string[];
}

/** Raised by a policy's `notApplicable`, as the runtime's own error is. */
class NotApplicable extends Error {}
const notApplicable = (reason?: string): never => {
    throw new NotApplicable(reason ?? "not applicable");
};

const NO_TAGS: ReadonlyMap<string, string> = new Map();

/**
 * One resource policy over one resource, with arguments built as the runtime builds them.
 * Returns the violations' messages (with the URN each names), or "not-applicable".
 */
export async function checkResource(
    policy: ResourceValidationPolicy,
    resource: PolicyResource,
    config: PackConfig = {},
): Promise<{ message: string; urn?: string }[] | "not-applicable"> {
    const policyConfig = configOf(policy, config);
    const found: { message: string; urn?: string }[] = [];
    try {
        for (const validate of [policy.validateResource ?? []].flat()) {
            await validate(
                {
                    type: resource.type,
                    props: resource.props,
                    urn: resource.urn,
                    name: resource.name,
                    opts: resource.opts,
                    provider: resource.provider,
                    stackTags: NO_TAGS,
                    isType: resource.isType,
                    asType: resource.asType as any,
                    getConfig: <T extends object>() => policyConfig as T,
                    notApplicable,
                },
                (message, urn) => found.push({ message, urn: urn ?? resource.urn }),
            );
        }
    } catch (e) {
        if (e instanceof NotApplicable) return "not-applicable";
        throw e;
    }
    return found;
}

/** One stack policy over a list of resources; the violations, or "not-applicable". */
export async function checkStack(
    policy: StackValidationPolicy,
    resources: PolicyResource[],
    config: PackConfig = {},
): Promise<{ message: string; urn?: string }[] | "not-applicable"> {
    const policyConfig = configOf(policy, config);
    const found: { message: string; urn?: string }[] = [];
    try {
        await policy.validateStack(
            {
                resources,
                stackTags: NO_TAGS,
                getConfig: <T extends object>() => policyConfig as T,
                notApplicable,
            },
            (message, urn) => found.push({ message, urn }),
        );
    } catch (e) {
        if (e instanceof NotApplicable) return "not-applicable";
        throw e;
    }
    return found;
}

/** Runs every policy over a program run. */
export async function evaluate(run: ProgramRun, config: PackConfig): Promise<GateResult> {
    const resources = await policyResources(run);
    const violations: Violation[] = [];
    const notApplicable: string[] = [];
    let checks = 0;
    for (const [group, policies] of Object.entries(POLICY_GROUPS)) {
        for (const policy of policies as (ResourceValidationPolicy | StackValidationPolicy)[]) {
            const enforcementLevel = enforcementOf(policy, config);
            if (enforcementLevel === "disabled") continue;
            const record = (found: { message: string; urn?: string }[] | "not-applicable") => {
                if (found !== "not-applicable")
                    violations.push(
                        ...found.map((f) => ({ policy: policy.name, group, enforcementLevel, ...f })),
                    );
            };
            if ("validateStack" in policy) {
                const found = await checkStack(policy, resources, config);
                if (found === "not-applicable") notApplicable.push(policy.name);
                record(found);
                continue;
            }
            for (const resource of resources) {
                checks++;
                record(await checkResource(policy, resource, config));
            }
        }
    }
    return {
        stack: run.stack,
        violations,
        mandatory: violations.filter((v) => v.enforcementLevel === "mandatory"),
        resources,
        checks,
        notApplicable,
    };
}

/** Throws a clear error unless `stack` has both a stack file and a policy config. */
export function requireKnownStack(stack: string, tool: string): void {
    const stacks = knownStacks();
    if (!stacks.includes(stack)) {
        throw new Error(
            `Unknown stack "${stack}": the ${tool} knows ${stacks.join(", ")} (a stack needs Pulumi.<stack>.yaml and policy/<stack>.json)`,
        );
    }
}

/**
 * A stack file edit that makes the run the stack's bootstrap (`tacos:ci.bootstrap: true`: the AWS
 * layer and the profile only, as a first deploy from outside the VPC runs), after `editConfig`.
 */
export function bootstrapRun(
    editConfig?: (config: Record<string, any>) => void,
): (config: Record<string, any>) => void {
    return (config) => {
        editConfig?.(config);
        config["tacos:ci"] = { ...config["tacos:ci"], bootstrap: true };
    };
}

/** Runs the program for `stack` (optionally with its stack file edited, and `options`' secrets) and every policy over it. */
export async function runGate(
    stack: string,
    editConfig?: (config: Record<string, any>) => void,
    options: RunOptions = {},
): Promise<GateResult> {
    requireKnownStack(stack, "gate");
    const config = readPackConfig(stack);
    const run = await runProgram(stack, editConfig, options);
    if (run.error) {
        throw run.error;
    }
    return evaluate(run, config);
}

/** Violations grouped by policy, each policy's group, level and count, then every message with the URN it names. */
export function violationLines(violations: readonly Violation[]): string[] {
    const byPolicy = new Map<string, Violation[]>();
    for (const v of violations) {
        byPolicy.set(v.policy, [...(byPolicy.get(v.policy) ?? []), v]);
    }
    return [...byPolicy].flatMap(([policy, list]) => [
        `\n${policy} [${list[0].group}, ${list[0].enforcementLevel}] ${list.length} violation(s)`,
        ...list.map((v) => `  - ${v.message}${v.urn ? `\n    at ${v.urn}` : ""}`),
    ]);
}

/** A person's reading of a gate result: violations grouped by policy. */
export function formatResult(result: GateResult): string {
    const lines = [
        `Policy gate, stack ${result.stack}: ${result.resources.length} resources, ${result.checks} resource checks`,
    ];
    lines.push(...violationLines(result.violations));
    if (result.notApplicable.length > 0) {
        lines.push(`\nNot applicable to this run: ${result.notApplicable.join(", ")}`);
    }
    const advisory = result.violations.length - result.mandatory.length;
    lines.push(
        `\n${result.mandatory.length} mandatory, ${advisory} advisory violation(s): ${result.mandatory.length === 0 ? "PASS" : "FAIL"}`,
    );
    return lines.join("\n");
}
