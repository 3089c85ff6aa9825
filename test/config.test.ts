import * as assert from "assert";
import { STACKS } from "./stacks";
import { problemsAfter } from "./config-problems";
import * as fs from "fs";
import * as path from "path";
import {
    ConfigError,
    parseStackConfig,
    platformConfigSchema,
    SECRET_CONFIG_KEYS,
    StackConfig,
} from "../components/config";
import {
    parsedStackConfig,
    parserInput,
    readStackConfig,
    REPO_ROOT,
    runProgram,
    withTestSecrets,
} from "../tools/harness";

const parse = (stack: string): StackConfig => parsedStackConfig(stack);

describe("stack config", () => {
    for (const stack of STACKS) {
        it(`accepts the ${stack} stack file and fills in defaults`, () => {
            const config = parse(stack);
            assert.strictEqual(config.stack, stack);
            assert.strictEqual(config.tags.ManagedBy, "pulumi");
            assert.strictEqual(config.tags.Environment, stack);
            assert.strictEqual(config.messaging.reservationEvents.maxReceiveCount, 3);
            assert.strictEqual(config.messaging.paymentWebhooks.visibilityTimeoutSeconds, 30);
            assert.strictEqual(config.securityPolicy.podSecurityLevel, "restricted");
            assert.ok(config.cluster.nodeGroups.system, "system node group");
        });
    }

    it("reports every bad field in one error", () => {
        const problems = problemsAfter((c) => {
            c["tacos:cluster"].nodeGroups.system.minSize = 9;
            c["tacos:network"].cidr = "not-a-cidr";
            delete c["tacos:tags"].Owner;
            c["tacos:data"].redis.nodeType = "r7g.large";
        });
        for (const field of [
            "cluster.nodeGroups.system.maxSize",
            "network.cidr",
            "tags.Owner",
            "data.redis.nodeType",
        ]) {
            assert.ok(
                problems.some((p) => p.startsWith(field)),
                `${field} missing from:\n${problems.join("\n")}`,
            );
        }
        assert.ok(problems.length >= 4);
    });

    it("rejects a secret key set in plain stack config", () => {
        const raw = parserInput(withTestSecrets(readStackConfig("dev")));
        assert.throws(
            () => parseStackConfig("dev", { ...raw, plainSecrets: ["argocdAdminPasswordHash"] }),
            (e: ConfigError) =>
                e.problems.length === 1 &&
                e.problems[0].startsWith(
                    "argocdAdminPasswordHash must be set with pulumi config set --secret, not in plain stack config: remove it from Pulumi.dev.yaml",
                ),
        );
    });

    it("hands secrets on as Pulumi secrets only", async () => {
        const config = parse("dev");
        assert.ok(config.secrets.argocdAdminPasswordHash);
        assert.strictEqual(await (config.secrets.argocdAdminPasswordHash as any).isSecret, true);
    });

    it("stops the program before any resource is registered", async () => {
        const run = await runProgram("dev", (c) => {
            c["tacos:cluster"].nodeGroups.system.minSize = 9;
        });
        assert.ok(
            run.error instanceof Error && run.error.name === "ConfigError",
            `expected a ConfigError, got ${run.error}`,
        );
        assert.match(run.error.message, /cluster\.nodeGroups\.system\.maxSize must be >= minSize/);
        assert.deepStrictEqual(run.resources, []);
    });

    it("describes every config section in Pulumi.yaml", () => {
        const projectFile = fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8");
        for (const key of [...Object.keys(platformConfigSchema.shape), ...SECRET_CONFIG_KEYS]) {
            assert.match(
                projectFile,
                new RegExp(`#\\s+tacos:${key}\\s+\\S`),
                `tacos:${key} is not described in Pulumi.yaml`,
            );
        }
    });

    it("gives every schema field a description", () => {
        const missing: string[] = [];
        const walk = (schema: any, where: string) => {
            const def = schema?._zod?.def;
            if (!def) return;
            if (["default", "prefault", "optional", "pipe"].includes(def.type)) {
                walk(def.innerType ?? def.in, where);
                return;
            }
            if (def.type === "object") {
                for (const [key, child] of Object.entries(def.shape)) {
                    const path = where ? `${where}.${key}` : key;
                    if (!(child as any).description) missing.push(path);
                    walk(child, path);
                }
            } else if (def.type === "record" && def.valueType._zod.def.type === "object") {
                walk(def.valueType, `${where}.<name>`);
            } else if (def.type === "array") {
                walk(def.element, `${where}[]`);
            }
        };
        walk(platformConfigSchema, "");
        assert.deepStrictEqual(missing, []);
    });
});
