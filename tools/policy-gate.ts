/**
 * The offline policy gate: runs the whole program for a stack under mocks (its real stack file),
 * renders each delivered service's chart with the real helm, and runs every resource and stack
 * policy of the pack over all of it, the way the CrossGuard runtime does (props behind
 * `unknownCheckingProxy`, `getConfig` from the stack's policy config with schema defaults,
 * `notApplicable`, `stackTags`). No cloud account is needed.
 */
import type {
    EnforcementLevel,
    Policy,
    PolicyResource,
    ResourceValidationPolicy,
    StackValidationPolicy,
} from "@pulumi/policy";
import { unknownCheckingProxy } from "@pulumi/policy";
import * as fs from "fs";
import * as path from "path";
import { POLICY_GROUPS } from "../policy/policies";
import { deliveredValues } from "../vocabulary/stack";
import { knownStacks, ProgramRun, RecordedResource, REPO_ROOT, runProgram } from "./harness";
import { renderAsync } from "./helm";

export interface Violation {
    policy: string;
    group: string;
    enforcementLevel: EnforcementLevel;
    message: string;
    urn?: string;
}

export interface GateResult {
    stack: string;
    violations: Violation[];
    mandatory: Violation[];
    /** Resources the policies saw: the program's and the rendered chart objects. */
    resources: PolicyResource[];
    /** Resource-policy evaluations made (resource x applicable policy). */
    checks: number;
}

/** Raised by a policy's `notApplicable`, as the runtime's own error is. */
class NotApplicable extends Error {}
const notApplicable = (reason?: string): never => {
    throw new NotApplicable(reason ?? "not applicable");
};

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

function enforcementOf(policy: Policy, config: PackConfig): EnforcementLevel {
    const own = config[policy.name];
    const level = typeof own === "string" ? own : own?.enforcementLevel;
    return level ?? (config.all as EnforcementLevel | undefined) ?? policy.enforcementLevel ?? "mandatory";
}

function configOf(policy: Policy, config: PackConfig): Record<string, unknown> {
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

function isTypeOf(type: string, resourceClass: any): boolean {
    return (
        resourceClass?.__pulumiType === type ||
        (typeof resourceClass?.isInstance === "function" && resourceClass.isInstance({ __pulumiType: type }))
    );
}

/** A PolicyResource as the runtime presents one: props behind the unknown-checking proxy. */
export function makePolicyResource(
    r: Pick<RecordedResource, "type" | "name" | "urn" | "inputs"> & Partial<RecordedResource>,
): PolicyResource {
    const props = unknownCheckingProxy(r.inputs);
    return {
        type: r.type,
        name: r.name,
        urn: r.urn,
        props,
        opts: {
            protect: r.options?.protect ?? false,
            ignoreChanges: r.options?.ignoreChanges ?? [],
            deleteBeforeReplace: r.options?.deleteBeforeReplace,
            aliases: [],
            additionalSecretOutputs: [],
            customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        } as PolicyResource["opts"],
        dependencies: [],
        propertyDependencies: {},
        isType: (cls: any) => isTypeOf(r.type, cls),
        asType: (cls: any) => (isTypeOf(r.type, cls) ? (props as any) : undefined),
    };
}

/** The program's resources and the rendered chart objects, as PolicyResources. */
export async function policyResources(run: ProgramRun): Promise<PolicyResource[]> {
    const byUrn = new Map<string, PolicyResource>();
    for (const r of run.resources) {
        byUrn.set(r.urn, makePolicyResource(r));
    }
    for (const r of run.resources) {
        const resource = byUrn.get(r.urn)!;
        resource.dependencies = r.options.dependsOn
            .map((urn) => byUrn.get(urn))
            .filter((d): d is PolicyResource => !!d);
        resource.parent = byUrn.get(r.options.parent);
        const providerUrn = r.options.provider.split("::").slice(0, -1).join("::");
        const provider = byUrn.get(providerUrn);
        if (provider) {
            resource.provider = {
                type: provider.type,
                props: provider.props,
                urn: provider.urn,
                name: provider.name,
            };
        }
    }
    return [...byUrn.values(), ...(await renderedObjects(run))];
}

/** Objects the tacos-service chart renders for each delivered service, as PolicyResources. */
async function renderedObjects(run: ProgramRun): Promise<PolicyResource[]> {
    const values = deliveredValues(run.resources.map((r) => ({ type: r.type, props: r.inputs })));
    const rendered = await Promise.all(values.map((v) => renderAsync(v.name, run.stack, v)));
    return values.flatMap((v, i) =>
        rendered[i].map((object) => {
            const apiVersion = object.apiVersion.includes("/")
                ? object.apiVersion
                : `core/${object.apiVersion}`;
            const type = `kubernetes:${apiVersion}:${object.kind}`;
            const namespaced = { ...object, metadata: { namespace: "tacos", ...object.metadata } };
            const urn = `urn:pulumi:${run.stack}::tacos-platform::rendered:${v.name}$${type}::${object.metadata.name}`;
            return makePolicyResource({ type, name: object.metadata.name, urn, inputs: namespaced });
        }),
    );
}

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
                record(await checkStack(policy, resources, config));
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

/** Runs the program for `stack` (optionally with its stack file edited) and every policy over it. */
export async function runGate(
    stack: string,
    editConfig?: (config: Record<string, any>) => void,
): Promise<GateResult> {
    requireKnownStack(stack, "gate");
    const config = readPackConfig(stack);
    const run = await runProgram(stack, editConfig);
    if (run.error) {
        throw run.error;
    }
    return evaluate(run, config);
}

/** A person's reading of a gate result: violations grouped by policy. */
export function formatResult(result: GateResult): string {
    const lines = [
        `Policy gate, stack ${result.stack}: ${result.resources.length} resources, ${result.checks} resource checks`,
    ];
    const byPolicy = new Map<string, Violation[]>();
    for (const v of result.violations) {
        byPolicy.set(v.policy, [...(byPolicy.get(v.policy) ?? []), v]);
    }
    for (const [policy, list] of byPolicy) {
        lines.push(`\n${policy} [${list[0].group}, ${list[0].enforcementLevel}] ${list.length} violation(s)`);
        for (const v of list) {
            lines.push(`  - ${v.message}${v.urn ? `\n    at ${v.urn}` : ""}`);
        }
    }
    const advisory = result.violations.length - result.mandatory.length;
    lines.push(
        `\n${result.mandatory.length} mandatory, ${advisory} advisory violation(s): ${result.mandatory.length === 0 ? "PASS" : "FAIL"}`,
    );
    return lines.join("\n");
}
