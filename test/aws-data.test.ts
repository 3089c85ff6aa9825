/** The AWS layer of both stacks: the data stores, protection of stateful resources, and the stack outputs. */
import * as assert from "assert";
import { TABLE_NAMES } from "../components/aws/data";
import { QUEUES } from "../components/aws/messaging";
import { findResource, ofType } from "../tools/harness";
import { sectionOf, STACKS, useStackRuns } from "./stacks";

describe("AWS layer: data, protection and outputs", () => {
    const runs = useStackRuns();

    describe("data", () => {
        for (const stack of STACKS) {
            it(`${stack}: every table is on demand with point-in-time recovery and encryption`, () => {
                const tables = ofType(runs[stack], "aws:dynamodb/table:Table");
                assert.deepStrictEqual(
                    tables.map((t) => t.name.replace(/^data-/, "")).sort(),
                    [...TABLE_NAMES].sort(),
                );
                for (const t of tables) {
                    assert.strictEqual(t.inputs.billingMode, "PAY_PER_REQUEST");
                    assert.strictEqual(t.inputs.pointInTimeRecovery.enabled, true);
                    assert.strictEqual(t.inputs.serverSideEncryption.enabled, true);
                }
            });

            it(`${stack}: Redis has TLS, at-rest encryption with a rotating key, and a generated auth token kept in Secrets Manager`, () => {
                const [redis] = ofType(runs[stack], "aws:elasticache/replicationGroup:ReplicationGroup");
                assert.strictEqual(redis.inputs.transitEncryptionEnabled, true);
                assert.strictEqual(redis.inputs.atRestEncryptionEnabled, true);
                const key = findResource(runs[stack], "aws:kms/key:Key", "data-redis");
                assert.strictEqual(key.inputs.enableKeyRotation, true);
                assert.strictEqual(redis.inputs.kmsKeyId, key.state.arn);
                const [token] = ofType(runs[stack], "random:index/randomPassword:RandomPassword");
                assert.strictEqual(redis.inputs.authToken, token.state.result);
                assert.ok(redis.secretInputs.includes("authToken"), "the auth token is a secret in state");
                const [version] = ofType(runs[stack], "aws:secretsmanager/secretVersion:SecretVersion");
                assert.strictEqual(version.inputs.secretString, token.state.result);
                assert.ok(version.secretInputs.includes("secretString"));
                const [secret] = ofType(runs[stack], "aws:secretsmanager/secret:Secret");
                assert.strictEqual(secret.inputs.kmsKeyId, key.state.arn);
                assert.strictEqual(runs[stack].outputs.redisSecretName, secret.state.name);
            });

            it(`${stack}: Redis sits in private subnets behind a security group that admits only the cluster`, () => {
                const sg = findResource(runs[stack], "aws:ec2/securityGroup:SecurityGroup", "data-redis");
                const [cluster] = ofType(runs[stack], "eks:index:Cluster");
                assert.deepStrictEqual(
                    sg.inputs.ingress.map((i: any) => [
                        i.fromPort,
                        i.toPort,
                        i.securityGroups,
                        i.cidrBlocks ?? [],
                    ]),
                    [[6379, 6379, [cluster.state.clusterSecurityGroupId], []]],
                );
                const [group] = ofType(runs[stack], "aws:elasticache/subnetGroup:SubnetGroup");
                const privateIds = ofType(runs[stack], "aws:ec2/subnet:Subnet")
                    .filter((s) => s.inputs.tags.Tier === "private")
                    .map((s) => s.id);
                assert.deepStrictEqual([...group.inputs.subnetIds].sort(), privateIds.sort());
            });
        }

        it("prod Redis is Multi-AZ with automatic failover; dev is a single node", () => {
            const [prod] = ofType(runs.prod, "aws:elasticache/replicationGroup:ReplicationGroup");
            assert.deepStrictEqual(
                [prod.inputs.multiAzEnabled, prod.inputs.automaticFailoverEnabled],
                [true, true],
            );
            assert.strictEqual(
                prod.inputs.numCacheClusters,
                sectionOf(runs.prod, "data").redis.numCacheClusters,
            );
            const [dev] = ofType(runs.dev, "aws:elasticache/replicationGroup:ReplicationGroup");
            assert.deepStrictEqual(
                [dev.inputs.multiAzEnabled, dev.inputs.automaticFailoverEnabled, dev.inputs.numCacheClusters],
                [false, false, 1],
            );
        });
    });

    describe("protection of stateful resources", () => {
        /** The stateful resources of each stack, by type: what a replacement or a deletion would lose. */
        const STATEFUL: Record<string, string[]> = {
            "aws:sqs/queue:Queue": QUEUES.flatMap((q) => [`messaging-${q}`, `messaging-${q}-dlq`]),
            "aws:dynamodb/table:Table": TABLE_NAMES.map((t) => `data-${t}`),
            "aws:elasticache/replicationGroup:ReplicationGroup": ["data-redis"],
            "aws:kms/key:Key": ["cluster-secrets", "data-redis", "observability-key"],
            "aws:secretsmanager/secret:Secret": ["data-redis-auth"],
            // The cluster's AWS resource is protected by a transform on the component (aws-cluster.test.ts).
        };

        it("prod protects every queue, table, Redis, KMS key and secret; dev protects none", () => {
            // Karpenter's interruption queue keeps five minutes of AWS events: nothing to protect.
            const stateful = (stack: string, type: string) =>
                ofType(runs[stack], type).filter((r) => !r.name.startsWith("node-autoscaling-"));
            for (const [type, names] of Object.entries(STATEFUL)) {
                const prod = stateful("prod", type);
                const dev = stateful("dev", type);
                for (const found of [prod, dev])
                    assert.deepStrictEqual(found.map((r) => r.name).sort(), [...names].sort(), type);
                assert.deepStrictEqual(
                    prod.filter((r) => !r.options.protect).map((r) => r.name),
                    [],
                    `unprotected in prod: ${type}`,
                );
                assert.deepStrictEqual(
                    dev.filter((r) => r.options.protect).map((r) => r.name),
                    [],
                    `protected in dev: ${type}`,
                );
            }
        });

        it("prod turns on cloud-side deletion protection and long recovery windows; dev does not", () => {
            const tables = (stack: string) =>
                ofType(runs[stack], "aws:dynamodb/table:Table").map(
                    (t) => t.inputs.deletionProtectionEnabled,
                );
            assert.ok(tables("prod").every(Boolean));
            assert.ok(!tables("dev").some(Boolean));
            assert.strictEqual(ofType(runs.prod, "eks:index:Cluster")[0].inputs.deletionProtection, true);
            assert.strictEqual(ofType(runs.dev, "eks:index:Cluster")[0].inputs.deletionProtection, false);
            assert.ok(
                ofType(runs.prod, "aws:kms/key:Key").every((k) => k.inputs.deletionWindowInDays === 30),
            );
            assert.strictEqual(
                ofType(runs.prod, "aws:secretsmanager/secret:Secret")[0].inputs.recoveryWindowInDays,
                30,
            );
            assert.strictEqual(
                ofType(runs.dev, "aws:secretsmanager/secret:Secret")[0].inputs.recoveryWindowInDays,
                0,
            );
        });
    });

    describe("stack outputs", () => {
        for (const stack of STACKS) {
            it(`${stack}: cluster name, kubeconfig, queues, tables, roles, Redis endpoint and secret`, () => {
                const out = runs[stack].outputs as Record<string, any>;
                assert.strictEqual(out.clusterName, `traffic-tacos-${stack}`);
                assert.ok(typeof out.kubeconfig === "string" && out.kubeconfig.includes("Config"));
                assert.deepStrictEqual(Object.keys(out.queueUrls).sort(), [...QUEUES].sort());
                assert.ok(Object.values(out.queueArns).every((a: any) => a.startsWith("arn:aws:sqs:")));
                assert.deepStrictEqual(Object.keys(out.tableNames).sort(), [...TABLE_NAMES].sort());
                assert.ok(Object.values(out.roleArns).every((a: any) => a.startsWith("arn:aws:iam::")));
                assert.match(out.redisEndpoint, /cache\.amazonaws\.com$/);
                assert.strictEqual(out.redisSecretName, `traffic-tacos-${stack}/redis/auth-token`);
            });

            it(`${stack}: the kubeconfig output is a secret`, () => {
                assert.ok(runs[stack].secretOutputs.includes("kubeconfig"));
            });
        }
    });
});
