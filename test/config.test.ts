import * as assert from "assert";
import { STACKS } from "./stacks";
import * as fs from "fs";
import * as path from "path";
import {
    ConfigError,
    parseStackConfig,
    platformConfigSchema,
    SECRET_CONFIG_KEYS,
    StackConfig,
} from "../components/config";
import { configReference, replaceReferenceBlock } from "../components/config/reference";
import {
    parsedStackConfig,
    parserInput,
    readStackConfig,
    REPO_ROOT,
    runProgram,
    withTestSecrets,
} from "../tools/harness";

/** Parses the dev stack file after `edit`, returning the problems (none when valid). */
function problemsAfter(edit: (config: Record<string, any>) => void): string[] {
    const config = structuredClone(withTestSecrets(readStackConfig("dev"))) as Record<string, any>;
    edit(config);
    try {
        parseStackConfig("dev", parserInput(config));
        return [];
    } catch (e) {
        assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${e}`);
        return e.problems;
    }
}

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

    const cases: { name: string; edit: (c: Record<string, any>) => void; expect: string }[] = [
        {
            name: "a wrong type",
            edit: (c) => (c["tacos:cluster"].nodeGroups.system.maxSize = "8"),
            expect: "cluster.nodeGroups.system.maxSize must be of type number",
        },
        {
            name: "a number out of range",
            edit: (c) => (c["tacos:cluster"].nodeGroups.system.diskSizeGiB = 5),
            expect: "cluster.nodeGroups.system.diskSizeGiB must be >= 20",
        },
        {
            name: "a fractional count",
            edit: (c) => (c["tacos:cluster"].nodeGroups.system.minSize = 1.5),
            expect: "cluster.nodeGroups.system.minSize must be a whole number",
        },
        {
            name: "an unknown top-level key",
            edit: (c) => (c["tacos:clsuter"] = {}),
            expect: "clsuter is not a known setting",
        },
        {
            name: "an unknown nested key",
            edit: (c) => (c["tacos:network"].flowLogs.enable = true),
            expect: "network.flowLogs.enable is not a known setting",
        },
        {
            name: "a malformed CIDR",
            edit: (c) => (c["tacos:network"].cidr = "10.20.0.0/33"),
            expect: "network.cidr must be an IPv4 CIDR block such as 10.0.0.0/16",
        },
        {
            name: "a CIDR with host bits set",
            edit: (c) => (c["tacos:network"].zones[0].publicSubnetCidr = "10.20.0.5/22"),
            expect: "network.zones.0.publicSubnetCidr must be an IPv4 CIDR block such as 10.0.0.0/16",
        },
        {
            name: "an unsupported Kubernetes version",
            edit: (c) => (c["tacos:cluster"].kubernetesVersion = "1.27"),
            expect: "cluster.kubernetesVersion must be one of 1.33, 1.34, 1.35, 1.36",
        },
        {
            name: "min > max",
            edit: (c) => (c["tacos:cluster"].nodeGroups.system.minSize = 9),
            expect: "cluster.nodeGroups.system.maxSize must be >= minSize",
        },
        {
            name: "a desired size outside min..max",
            edit: (c) => (c["tacos:cluster"].nodeGroups.system.desiredSize = 20),
            expect: "cluster.nodeGroups.system.desiredSize must be between minSize and maxSize",
        },
        {
            name: "a missing required cost tag",
            edit: (c) => delete c["tacos:tags"].CostCenter,
            expect: "tags.CostCenter is required",
        },
        {
            name: "an empty cost tag",
            edit: (c) => (c["tacos:tags"].Owner = ""),
            expect: "tags.Owner must not be empty",
        },
        {
            name: "a malformed role ARN",
            edit: (c) => (c["tacos:cluster"].access.adminRoleArn = "arn:aws:iam::1234:role/admin"),
            expect: "cluster.access.adminRoleArn must be an IAM role ARN: arn:aws:iam::<12-digit account>:role/<name>",
        },
        {
            name: "one principal in two access entries",
            edit: (c) => (c["tacos:cluster"].access.previewRoleArn = c["tacos:cluster"].access.deployRoleArn),
            expect: "cluster.access.previewRoleArn must differ from deployRoleArn: EKS allows one access entry per principal",
        },
        {
            name: "a malformed CodeConnections ARN",
            edit: (c) =>
                (c["tacos:ci"].runner.codeConnectionArn =
                    "arn:aws:codeconnections:ap-northeast-2:111122223333:connection/x"),
            expect: "ci.runner.codeConnectionArn must be a CodeConnections connection ARN",
        },
        {
            name: "a malformed certificate ARN",
            edit: (c) =>
                (c["tacos:gateway"].certificateArn = "arn:aws:acm:ap-northeast-2:111122223333:cert/x"),
            expect: "gateway.certificateArn must be an ACM certificate ARN",
        },
        {
            name: "overlapping subnets",
            edit: (c) => (c["tacos:network"].zones[1].privateSubnetCidr = "10.20.96.0/19"),
            expect: "network.zones.1.privateSubnetCidr overlaps zones.0.privateSubnetCidr (10.20.64.0/18)",
        },
        {
            name: "a subnet outside the VPC",
            edit: (c) => (c["tacos:network"].zones[0].publicSubnetCidr = "10.99.0.0/22"),
            expect: "network.zones.0.publicSubnetCidr must lie inside the VPC CIDR 10.20.0.0/16",
        },
        {
            name: "a repeated zone",
            edit: (c) => (c["tacos:network"].zones[1].name = "ap-northeast-2a"),
            expect: "network.zones.1.name repeats availability zone ap-northeast-2a",
        },
        {
            name: "a zone of another region",
            edit: (c) => (c["tacos:network"].zones[1].name = "us-west-2b"),
            expect: "network.zones.1.name must be an availability zone of ap-northeast-2",
        },
        {
            name: "too few zones",
            edit: (c) => c["tacos:network"].zones.pop(),
            expect: "network.zones must list at least 2 availability zones",
        },
        {
            name: "too many zones",
            edit: (c) =>
                c["tacos:network"].zones.push(
                    {
                        name: "ap-northeast-2b",
                        publicSubnetCidr: "10.20.8.0/22",
                        privateSubnetCidr: "10.20.192.0/18",
                    },
                    {
                        name: "ap-northeast-2d",
                        publicSubnetCidr: "10.20.12.0/22",
                        privateSubnetCidr: "10.20.16.0/20",
                    },
                ),
            expect: "network.zones must list at most 3 availability zones",
        },
        {
            name: "a retention its dead-letter queue could not outlive",
            edit: (c) => (c["tacos:messaging"] = { reservationEvents: { retentionDays: 14 } }),
            expect: "messaging.reservationEvents.retentionDays must be <= 13",
        },
        {
            name: "an unsupported region",
            edit: (c) => (c["aws:region"] = "mars-east-1"),
            expect: "aws:region must be one of us-east-1, us-west-2, eu-west-1, ap-northeast-2",
        },
        {
            name: "a public endpoint without CIDRs",
            edit: (c) => (c["tacos:cluster"].endpoint.publicAccessCidrs = []),
            expect: "cluster.endpoint.publicAccessCidrs must list the CIDRs allowed when publicAccess is true",
        },
        {
            name: "a public endpoint open to the internet",
            edit: (c) => (c["tacos:cluster"].endpoint.publicAccessCidrs = ["0.0.0.0/0"]),
            expect: "cluster.endpoint.publicAccessCidrs.0 must not open the endpoint to the whole internet",
        },
        {
            name: "CIDRs for a private endpoint",
            edit: (c) => (c["tacos:cluster"].endpoint.publicAccess = false),
            expect: "cluster.endpoint.publicAccessCidrs must be empty when publicAccess is false",
        },
        {
            name: "Multi-AZ Redis with one node",
            edit: (c) => (c["tacos:data"].redis.multiAz = true),
            expect: "data.redis.numCacheClusters must be >= 2 when multiAz is true",
        },
        {
            name: "an exposed Gateway without a certificate",
            edit: (c) => delete c["tacos:gateway"].certificateArn,
            expect: "gateway.certificateArn is required when the Gateway is exposed",
        },
        {
            name: "no system node group",
            edit: (c) => delete c["tacos:cluster"].nodeGroups.system,
            expect: "cluster.nodeGroups must include a `system` node group",
        },
        {
            name: "two architectures in one node group",
            edit: (c) => (c["tacos:cluster"].nodeGroups.system.instanceTypes = ["m7g.xlarge", "m7i.xlarge"]),
            expect: "cluster.nodeGroups.system.instanceTypes.1 m7i.xlarge is x86_64, but m7g.xlarge is arm64: a group runs one architecture",
        },
        {
            name: "a log retention CloudWatch does not offer",
            edit: (c) => (c["tacos:cluster"].logRetentionDays = 45),
            expect: "cluster.logRetentionDays must be one of the CloudWatch Logs retention periods",
        },
        {
            name: "an unknown interface endpoint",
            edit: (c) => (c["tacos:network"].interfaceEndpoints = ["dynamo"]),
            expect: "network.interfaceEndpoints.0 must be one of",
        },
        {
            name: "an unpinned add-on version",
            edit: (c) => (c["tacos:cluster"].addons.podIdentityAgent = "latest"),
            expect: "cluster.addons.podIdentityAgent must be a pinned EKS add-on version such as v1.3.9-eksbuild.3",
        },
        {
            name: "no admin password and no SSO",
            edit: (c) => delete c["tacos:argocdAdminPasswordHash"],
            expect: "argocdAdminPasswordHash is required unless argocd.oidc is set",
        },
        {
            name: "an admin password that is not a bcrypt hash",
            edit: (c) => (c["tacos:argocdAdminPasswordHash"] = "hunter2hunter2"),
            expect: "argocdAdminPasswordHash must be a bcrypt hash",
        },
        {
            name: "SSO without its client secret",
            edit: (c) => (c["tacos:argocd"].oidc = { issuer: "https://sso.example.com", clientId: "argocd" }),
            expect: "argocdOidcClientSecret is required when argocd.oidc is set",
        },
        {
            name: "a host name that is not a DNS name",
            edit: (c) => (c["tacos:argocd"].hostname = "Argo CD"),
            expect: "argocd.hostname must be a fully qualified lower-case DNS name",
        },
        {
            name: "min > max replicas of a service",
            edit: (c) =>
                (c["tacos:performanceProfile"].services["gateway-api"] = {
                    minReplicas: 20,
                    maxReplicas: 10,
                }),
            expect: "performanceProfile.services.gateway-api.maxReplicas must be >= minReplicas",
        },
        {
            name: "an unknown service",
            edit: (c) => (c["tacos:performanceProfile"].services["gateway"] = {}),
            expect: "performanceProfile.services.gateway is not a known setting",
        },
        { name: "a missing section", edit: (c) => delete c["tacos:data"], expect: "data is required" },
        {
            name: "no NodePool",
            edit: (c) => (c["tacos:karpenter"].nodePools = {}),
            expect: "karpenter.nodePools must define at least one NodePool",
        },
        {
            name: "an x86 type in a NodePool",
            edit: (c) => (c["tacos:karpenter"].nodePools.apps.instanceTypes[0] = "m7i.xlarge"),
            expect: "karpenter.nodePools.apps.instanceTypes.0 m7i.xlarge is x86_64: the application nodes run the arm64 (Graviton) AMI",
        },
        {
            name: "a NodePool type missing from the instance table",
            edit: (c) => (c["tacos:karpenter"].nodePools.apps.instanceTypes[0] = "m8g.xlarge"),
            expect: "karpenter.nodePools.apps.instanceTypes.0 m8g.xlarge is not in the platform's instance table",
        },
        {
            name: "a spot NodePool with too few types",
            edit: (c) => (c["tacos:karpenter"].nodePools.apps.instanceTypes = ["m7g.xlarge", "m6g.xlarge"]),
            expect: "karpenter.nodePools.apps.instanceTypes must list at least 3 instance types when the pool runs spot",
        },
        {
            name: "a NodePool limit below its largest type",
            edit: (c) => (c["tacos:karpenter"].nodePools.apps.limits.cpu = 4),
            expect: "karpenter.nodePools.apps.limits.cpu must be at least 8, the vCPU of the pool's largest instance type",
        },
        {
            name: "a NodePool weight out of range",
            edit: (c) => (c["tacos:karpenter"].nodePools.apps.weight = 101),
            expect: "karpenter.nodePools.apps.weight must be <= 100",
        },
        {
            name: "a node lifetime Karpenter cannot parse",
            edit: (c) => (c["tacos:karpenter"].expireAfter = "30d"),
            expect: "karpenter.expireAfter must be a duration such as 30s, 10m, 720h (or Never)",
        },
        {
            name: "a peak window that is not cron",
            edit: (c) => (c["tacos:karpenter"].peakWindow = { schedule: "daily at 9", duration: "4h" }),
            expect: "karpenter.peakWindow.schedule must be a five-field cron schedule",
        },
        {
            name: "a peak window in seconds",
            edit: (c) => (c["tacos:karpenter"].peakWindow = { schedule: "0 9 * * *", duration: "90s" }),
            expect: "karpenter.peakWindow.duration must be hours and minutes such as 4h, 30m or 2h30m",
        },
        {
            name: "a budget that is no node count",
            edit: (c) => (c["tacos:karpenter"].disruptionBudget = "ten"),
            expect: "karpenter.disruptionBudget must be a node count such as 3 or a percentage such as 10%",
        },
        {
            name: "a scale-up period shorter than the HPA's sync",
            edit: (c) => (c["tacos:performanceProfile"].scaleUp = { periodSeconds: 5 }),
            expect: "performanceProfile.scaleUp.periodSeconds must be >= 15",
        },
        {
            name: "a canary in helm mode",
            edit: (c) => (c["tacos:delivery"].mode = "helm"),
            expect: "delivery.canary needs delivery.mode argocd",
        },
        {
            name: "falling canary weights",
            edit: (c) =>
                (c["tacos:delivery"].canary.steps = [
                    { weight: 60, minutes: 1 },
                    { weight: 50, minutes: 1 },
                    { weight: 100, minutes: 1 },
                ]),
            expect: "delivery.canary.steps.1.weight must be above the previous step's 60",
        },
        {
            name: "a last canary step short of 100%",
            edit: (c) => (c["tacos:delivery"].canary.steps = [{ weight: 50, minutes: 1 }]),
            expect: "delivery.canary.steps.0.weight must be 100",
        },
        {
            name: "a canary step too short to fail",
            edit: (c) => (c["tacos:delivery"].canary.analysis = { intervalSeconds: 60, failureLimit: 1 }),
            expect: "delivery.canary.steps.0.minutes must allow more than analysis.failureLimit (1) measurements 60 s apart",
        },
        {
            name: "canary measurements between two scrapes",
            edit: (c) => (c["tacos:observability"].prometheus = { scrapeIntervalSeconds: 60 }),
            expect: "delivery.canary.analysis.intervalSeconds must be at least observability.prometheus.scrapeIntervalSeconds (60)",
        },
    ];

    for (const { name, edit, expect } of cases) {
        it(`rejects ${name}, naming the field`, () => {
            const problems = problemsAfter(edit);
            assert.ok(
                problems.some((p) => p.startsWith(expect)),
                `expected a problem starting "${expect}", got:\n${problems.join("\n")}`,
            );
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
                e.problems.includes(
                    "argocdAdminPasswordHash must be set with pulumi config set --secret, not in plain stack config",
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

describe("README config reference", () => {
    it("lists every config key, as the schema defines it today", () => {
        const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
        assert.strictEqual(
            readme,
            replaceReferenceBlock(readme, configReference()),
            "README.md is stale: run npm run docs",
        );
        for (const key of Object.keys(platformConfigSchema.shape)) {
            assert.ok(readme.includes(`\`tacos:${key}\``), key);
        }
    });
});
