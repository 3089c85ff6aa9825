/**
 * Runs the real Pulumi program for a stack under `pulumi.runtime.setMocks`, with the stack's real
 * stack file, and records every registered resource: type, name, resolved inputs and options
 * (parent, provider, protect, dependencies...). Tests, the policy gate and reports read this one
 * list. Nothing here talks to a cloud.
 */
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { SECRET_CONFIG_KEYS } from "../components/config/secrets";
import { parseStackConfig, RawStackConfig, StackConfig } from "../components/config";
import { mockState, physicalName } from "./mock-state";
import { RecordedResource, recordRegistrations } from "./registrations";
import { programConfig, SecretSource, secretKeysOf } from "./secret-config";
import { readStackConfig, REPO_ROOT, toRuntimeConfig, withTestSecrets } from "./stack-files";

export {
    hostStartArgs,
    hostStartEnv,
    knownStacks,
    readStackConfig,
    REPO_ROOT,
    withTestSecrets,
} from "./stack-files";
export { SECRET_STAND_INS, TEST_SECRETS } from "./secret-config";

export { MOCK_ACCOUNT } from "./mock-state";
export type { RecordedResource } from "./registrations";

/** The Pulumi project the mocks run the program as (Pulumi.yaml's name). */
export const PROJECT = "tacos-platform";

/** One run of the program under mocks: what it registered and exported, or the error it threw. */
export interface ProgramRun {
    stack: string;
    /** The stack file's config as the program read it. */
    config: Record<string, unknown>;
    resources: RecordedResource[];
    /** Stack outputs, resolved. */
    outputs: Record<string, unknown>;
    /** Names of the stack outputs that are secret. */
    secretOutputs: string[];
    /** Set when the program threw (e.g. a config error); no outputs then. */
    error?: Error;
}

/** Resolves an Output (or plain value) to its value. */
export function resolve<T>(value: pulumi.Input<T>): Promise<T> {
    return new Promise((done) =>
        pulumi.output(value).apply((v) => {
            done(v as T);
            return v;
        }),
    );
}

/** Forgets the program's modules so that the next `require` runs it again. */
function unloadProgram(): void {
    for (const file of Object.keys(require.cache)) {
        const keep = ["test", "tools", "policy"].some((dir) => file.startsWith(path.join(REPO_ROOT, dir)));
        if (file.startsWith(REPO_ROOT) && !file.includes(`${path.sep}node_modules${path.sep}`) && !keep) {
            delete require.cache[file];
        }
    }
}

let running: Promise<unknown> = Promise.resolve();

/** How a run reads its stack file and secrets. */
export interface RunOptions {
    /**
     * `test` gives a missing secret the test secret, silently; `stack-file` (plan, policy:gate)
     * warns about each missing required secret. Either way a plain secret is refused and an
     * encrypted one counts as set.
     * @default "test"
     */
    secrets?: SecretSource;
    /** Receives each warning about a missing secret. @default console.error */
    warn?: (message: string) => void;
    /** Edits the stack file's config as read from disk, before any secret is added. */
    editStackFile?: (config: Record<string, any>) => void;
    /** Reads this stack's file instead (a new stack copied from an existing one). @default stack */
    stackFile?: string;
}

/**
 * Runs the whole program for `stack` under mocks. `editConfig` may change the config the program
 * gets (test secrets included) first, to test a broken stack file; a secret key it sets counts as
 * set with `pulumi config set --secret`.
 */
export function runProgram(
    stack: string,
    editConfig?: (config: Record<string, any>) => void,
    options: RunOptions = {},
): Promise<ProgramRun> {
    // One program at a time: the Pulumi runtime is a process-wide singleton.
    const run = running.then(() => runProgramNow(stack, editConfig, options));
    running = run.catch(() => undefined);
    return run;
}

/** Points the Pulumi runtime at mocks that answer as mock-state.ts says, with `config` as the stack's config. */
async function startMocks(stack: string, config: Record<string, any>, secretKeys: string[]): Promise<void> {
    const region = String(config["aws:region"] ?? "us-east-1");
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                const state = { ...args.inputs, ...mockState(args.type, args.name, args.inputs, region) };
                return { id: `${physicalName(args.type, args.name, args.inputs)}-id`, state };
            },
            call: (args) => args.inputs,
        },
        PROJECT,
        stack,
        false,
    );
    pulumi.runtime.setAllConfig(toRuntimeConfig(config), secretKeys);
}

/**
 * Runs `body` without source-mapped stack traces. Pulumi records a source position (a stack trace)
 * per resource; mapping each through the TypeScript source maps costs more than the program itself,
 * and mocks need no positions. The SDK also takes a stack trace for every internal promise; mocks
 * use none of them.
 */
async function withoutStackTraces<T>(body: () => Promise<T>): Promise<T> {
    const sourceMaps = process.sourceMapsEnabled;
    const traceLimit = Error.stackTraceLimit;
    process.setSourceMapsEnabled(false);
    Error.stackTraceLimit = 0;
    const result = await body();
    Error.stackTraceLimit = traceLimit;
    process.setSourceMapsEnabled(sourceMaps);
    return result;
}

/** The program's exports, resolved, and the names of those that are secret. */
async function resolveOutputs(
    exports: Record<string, unknown>,
): Promise<{ outputs: Record<string, unknown>; secretOutputs: string[] }> {
    const outputs: Record<string, unknown> = {};
    const secretOutputs: string[] = [];
    for (const [key, value] of Object.entries(exports)) {
        outputs[key] = await resolve(value as pulumi.Input<unknown>);
        if (pulumi.Output.isInstance(value) && (await (value as any).isSecret)) {
            secretOutputs.push(key);
        }
    }
    return { outputs, secretOutputs };
}

async function runProgramNow(
    stack: string,
    editConfig: ((config: Record<string, any>) => void) | undefined,
    options: RunOptions,
): Promise<ProgramRun> {
    const file = structuredClone(readStackConfig(options.stackFile ?? stack));
    options.editStackFile?.(file);
    const prepared = programConfig(stack, file, options.secrets ?? "test");
    prepared.warnings.forEach(options.warn ?? ((message) => console.error(message)));
    const config = prepared.config as Record<string, any>;
    editConfig?.(config);
    const resources: RecordedResource[] = [];
    await startMocks(stack, config, secretKeysOf(config, file));
    recordRegistrations(resources);
    unloadProgram();
    return withoutStackTraces(async () => {
        let error: Error | undefined;
        let exports: Record<string, unknown> = {};
        try {
            exports = require(path.join(REPO_ROOT, "index.ts"));
        } catch (e) {
            error = e as Error;
        }
        const { outputs, secretOutputs } = error
            ? { outputs: {}, secretOutputs: [] }
            : await resolveOutputs(exports);
        await pulumi.runtime.disconnect();
        return { stack, config, resources, outputs, secretOutputs, error };
    });
}

/** Resources of a type. */
export function ofType(run: ProgramRun, type: string): RecordedResource[] {
    return run.resources.filter((r) => r.type === type);
}

/** The one resource with this type and name, or an error naming what was there. */
export function findResource(run: ProgramRun, type: string, name: string): RecordedResource {
    const found = run.resources.find((r) => r.type === type && r.name === name);
    if (!found) {
        throw new Error(
            `no ${type} named ${name}; have: ${ofType(run, type)
                .map((r) => r.name)
                .join(", ")}`,
        );
    }
    return found;
}

const cache = new Map<string, Promise<ProgramRun>>();

/** The run of a stack's unmodified stack file, shared by every test that reads it. */
export function stackRun(stack: string): Promise<ProgramRun> {
    if (!cache.has(stack)) {
        cache.set(stack, runProgram(stack));
    }
    return cache.get(stack)!;
}

/** A stack file's config (`aws:region`, `tacos:*`) in the shape the config loader hands to the parser. */
export function parserInput(config: Record<string, any>): RawStackConfig {
    const raw: RawStackConfig = { region: config["aws:region"], platform: {}, secrets: {} };
    for (const [key, value] of Object.entries(config)) {
        if (!key.startsWith("tacos:")) continue;
        const name = key.slice("tacos:".length);
        if ((SECRET_CONFIG_KEYS as readonly string[]).includes(name)) raw.secrets[name] = value;
        else raw.platform[name] = value;
    }
    return raw;
}

/** A stack's parsed config, as the program reads it (with the test secrets). */
export function parsedStackConfig(stack: string): StackConfig {
    return parseStackConfig(stack, parserInput(withTestSecrets(readStackConfig(stack))));
}
