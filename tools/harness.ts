/**
 * Runs the real Pulumi program for a stack under `pulumi.runtime.setMocks`, with the stack's real
 * stack file, and records every registered resource: type, name, resolved inputs and options
 * (parent, provider, protect, dependencies...). Tests, the policy gate and reports read this one
 * list. Nothing here talks to a cloud.
 */
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import * as path from "path";
import { SECRET_CONFIG_KEYS } from "../components/config/schema";
import { parseStackConfig, RawStackConfig, StackConfig } from "../components/config";
import { readStackConfig, REPO_ROOT, toRuntimeConfig, withTestSecrets } from "./stack-files";

export {
    hostStartEnv,
    knownStacks,
    readStackConfig,
    REPO_ROOT,
    TEST_SECRETS,
    toRuntimeConfig,
    withTestSecrets,
} from "./stack-files";

export const PROJECT = "tacos-platform";
/** Account id the mocks put in every ARN. */
export const MOCK_ACCOUNT = "111122223333";

export interface RecordedResource {
    type: string;
    name: string;
    urn: string;
    /** Physical id the mocks assigned. */
    id: string;
    custom: boolean;
    remote: boolean;
    /** Inputs as the provider receives them (every Output resolved). */
    inputs: Record<string, any>;
    /** Paths (dotted) of the inputs that are secret. */
    secretInputs: string[];
    /** State the mocks returned (inputs plus computed attributes such as ARNs). */
    state: Record<string, any>;
    options: {
        parent: string;
        provider: string;
        protect: boolean;
        dependsOn: string[];
        ignoreChanges: string[];
        deleteBeforeReplace: boolean;
        retainOnDelete: boolean;
    };
}

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

function physicalName(type: string, name: string, inputs: Record<string, any>): string {
    if (typeof inputs.name === "string") {
        return inputs.name;
    }
    if (type === "aws:elasticache/replicationGroup:ReplicationGroup") {
        return inputs.replicationGroupId;
    }
    return `${name}-0a1b2c3`.slice(-64);
}

/** A stable UUID-shaped id derived from a name, so that two mocked keys never share an ARN. */
function mockUuid(name: string): string {
    const hex = createHash("sha256").update(name).digest("hex");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Computed attributes a real provider would return, so that ARNs and URLs look like AWS's. */
function mockState(
    type: string,
    name: string,
    inputs: Record<string, any>,
    region: string,
): Record<string, any> {
    const acct = MOCK_ACCOUNT;
    const id = physicalName(type, name, inputs);
    const arn = (service: string, resource: string, r = region) =>
        `arn:aws:${service}:${r}:${acct}:${resource}`;
    switch (type) {
        case "aws:sqs/queue:Queue":
            return {
                name: id,
                arn: arn("sqs", id),
                url: `https://sqs.${region}.amazonaws.com/${acct}/${id}`,
            };
        case "aws:dynamodb/table:Table":
            return { name: id, arn: arn("dynamodb", `table/${id}`) };
        case "aws:cloudwatch/eventBus:EventBus":
            return { name: id, arn: arn("events", `event-bus/${id}`) };
        case "aws:cloudwatch/eventRule:EventRule":
            return { name: id, arn: arn("events", `rule/${inputs.eventBusName}/${id}`) };
        case "aws:scheduler/scheduleGroup:ScheduleGroup":
            return { name: id, arn: arn("scheduler", `schedule-group/${id}`) };
        case "aws:iam/role:Role":
            return { name: id, arn: `arn:aws:iam::${acct}:role/${id}` };
        case "aws:secretsmanager/secret:Secret":
            return { name: id, arn: arn("secretsmanager", `secret:${id}-AbCdEf`) };
        case "aws:kms/key:Key": {
            const keyId = mockUuid(name);
            return { keyId, arn: arn("kms", `key/${keyId}`) };
        }
        case "aws:ec2/vpc:Vpc":
            return { ownerId: acct, arn: arn("ec2", "vpc/vpc-0123456789abcdef0") };
        case "aws:ec2/launchTemplate:LaunchTemplate":
            return { latestVersion: 1 };
        case "aws:eks/nodeGroup:NodeGroup":
            return { nodeGroupName: id, arn: arn("eks", `nodegroup/${inputs.clusterName}/${id}/0a1b`) };
        case "aws:elasticache/replicationGroup:ReplicationGroup":
            return {
                primaryEndpointAddress: `master.${id}.abc123.apn2.cache.amazonaws.com`,
                arn: arn("elasticache", `replicationgroup:${id}`),
            };
        case "aws:sns/topic:Topic":
            return { name: id, arn: arn("sns", id) };
        case "aws:cloudwatch/logGroup:LogGroup":
            return { name: id, arn: arn("logs", `log-group:${id}`) };
        case "random:index/randomPassword:RandomPassword":
            return { result: "mock-generated-token-0123456789abcdef" };
        case "aws:eks/cluster:Cluster":
            return {
                name: id,
                arn: arn("eks", `cluster/${id}`),
                endpoint: `https://${mockUuid(name).replace(/-/g, "").toUpperCase()}.gr7.${region}.eks.amazonaws.com`,
                certificateAuthority: { data: "TU9DSy1DQQ==" },
                vpcConfig: { ...inputs.vpcConfig, clusterSecurityGroupId: "sg-0c1a2b3c4d5e6f708" },
            };
        default:
            return { name: id, arn: arn(type.split(":")[0], id) };
    }
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

const SIG = pulumi.runtime.specialSigKey;

/** Replaces secret wrappers by their values, noting where they were. */
function unwrapSecrets(value: Record<string, any>): { inputs: Record<string, any>; secretInputs: string[] } {
    const secretInputs: string[] = [];
    const walk = (v: any, where: string): any => {
        if (v && typeof v === "object") {
            if (v[SIG] === pulumi.runtime.specialSecretSig) {
                secretInputs.push(where);
                return walk(v.value, where);
            }
            if (Array.isArray(v)) {
                return v.map((item, i) => walk(item, `${where}.${i}`));
            }
            return Object.fromEntries(
                Object.entries(v).map(([k, item]) => [k, walk(item, where ? `${where}.${k}` : k)]),
            );
        }
        return v;
    };
    return { inputs: walk(value, ""), secretInputs };
}

let running: Promise<unknown> = Promise.resolve();

/**
 * Runs the whole program for `stack` under mocks. `editConfig` may change the stack file's
 * config first (to test a broken stack file).
 */
export function runProgram(
    stack: string,
    editConfig?: (config: Record<string, any>) => void,
): Promise<ProgramRun> {
    // One program at a time: the Pulumi runtime is a process-wide singleton.
    const run = running.then(() => runProgramNow(stack, editConfig));
    running = run.catch(() => undefined);
    return run;
}

async function runProgramNow(
    stack: string,
    editConfig?: (config: Record<string, any>) => void,
): Promise<ProgramRun> {
    const config = structuredClone(withTestSecrets(readStackConfig(stack))) as Record<string, any>;
    editConfig?.(config);
    const region = String(config["aws:region"] ?? "us-east-1");
    const resources: RecordedResource[] = [];

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
    // Secret keys arrive as secrets, as `pulumi config set --secret` makes them.
    pulumi.runtime.setAllConfig(
        toRuntimeConfig(config),
        SECRET_CONFIG_KEYS.map((key) => `tacos:${key}`).filter((key) => key in config),
    );

    // Wrap the mock monitor so that each registration's options are recorded as sent.
    const monitor = pulumi.runtime.getMonitor() as any;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: any, resp: any) => void) => {
        register(req, (err: any, resp: any) => {
            if (!err && resp) {
                resources.push({
                    type: req.getType(),
                    name: req.getName(),
                    urn: resp.getUrn(),
                    id: resp.getId(),
                    custom: req.getCustom(),
                    remote: req.getRemote(),
                    ...unwrapSecrets(pulumi.runtime.deserializeProperties(req.getObject())),
                    state: unwrapSecrets(pulumi.runtime.deserializeProperties(resp.getObject())).inputs,
                    options: {
                        parent: req.getParent(),
                        provider: req.getProvider(),
                        protect: Boolean(req.getProtect()),
                        dependsOn: req.getDependenciesList(),
                        ignoreChanges: req.getIgnorechangesList(),
                        deleteBeforeReplace: Boolean(req.getDeletebeforereplace()),
                        retainOnDelete: Boolean(req.getRetainondelete()),
                    },
                });
            }
            callback(err, resp);
        });
    };

    unloadProgram();
    // Pulumi records a source position (a stack trace) per resource; mapping each through the
    // TypeScript source maps costs more than the program itself, and mocks need no positions.
    // The SDK also takes a stack trace for every internal promise; mocks use none of them.
    const sourceMaps = process.sourceMapsEnabled;
    const traceLimit = Error.stackTraceLimit;
    process.setSourceMapsEnabled(false);
    Error.stackTraceLimit = 0;
    let error: Error | undefined;
    let exports: Record<string, unknown> = {};
    try {
        exports = require(path.join(REPO_ROOT, "index.ts"));
    } catch (e) {
        error = e as Error;
    }
    const outputs: Record<string, unknown> = {};
    const secretOutputs: string[] = [];
    if (!error) {
        for (const [key, value] of Object.entries(exports)) {
            outputs[key] = await resolve(value as pulumi.Input<unknown>);
            if (pulumi.Output.isInstance(value) && (await (value as any).isSecret)) {
                secretOutputs.push(key);
            }
        }
    }
    await pulumi.runtime.disconnect();
    Error.stackTraceLimit = traceLimit;
    process.setSourceMapsEnabled(sourceMaps);
    return { stack, config, resources, outputs, secretOutputs, error };
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
