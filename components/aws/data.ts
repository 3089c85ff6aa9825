import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { DataConfig, ProtectionConfig, Tags } from "../config";
import { costTags } from "../tags";
import { createKmsKey } from "./kms";

/**
 * The DynamoDB tables the services use, with their keys. Keys follow the services' data access
 * code (partition key only; a TTL attribute where records expire).
 */
export const TABLES = {
    users: { hashKey: "user_id", ttl: undefined },
    tickets: { hashKey: "ticket_id", ttl: undefined },
    "ticket-events": { hashKey: "event_id", ttl: undefined },
    reservations: { hashKey: "reservation_id", ttl: undefined },
    orders: { hashKey: "order_id", ttl: undefined },
    idempotency: { hashKey: "idempotency_key", ttl: "expires_at" },
    outbox: { hashKey: "event_id", ttl: "expires_at" },
} as const satisfies Record<string, { hashKey: string; ttl: string | undefined }>;
export type TableName = keyof typeof TABLES;
export const TABLE_NAMES = Object.keys(TABLES) as TableName[];

export interface TableOutputs {
    name: pulumi.Output<string>;
    arn: pulumi.Output<string>;
}

export interface DataArgs {
    /** Prefix of every resource name, e.g. `traffic-tacos-dev`. */
    prefix: string;
    /** Redis settings. */
    data: DataConfig;
    /** Protection of tables, Redis, the key and the secret against deletion. */
    protection: ProtectionConfig;
    /** Subnets for Redis (private). */
    privateSubnetIds: pulumi.Input<string>[];
    /** The VPC of Redis's security group. */
    vpcId: pulumi.Input<string>;
    /** The only security group admitted to Redis: the cluster's. */
    clientSecurityGroupId: pulumi.Input<string>;
    /** Base cost tags of the stack. */
    tags: Tags;
}

/**
 * DynamoDB tables (on demand, point-in-time recovery, encrypted) and an ElastiCache Redis
 * replication group (TLS in transit, encrypted at rest with a rotating KMS key, an auth token
 * generated here and kept in Secrets Manager) reachable only from the cluster.
 */
export class Data extends pulumi.ComponentResource {
    public readonly tables: Record<TableName, TableOutputs>;
    public readonly redisEndpoint: pulumi.Output<string>;
    public readonly redisPort: number;
    public readonly redisSecretName: pulumi.Output<string>;
    public readonly redisSecretArn: pulumi.Output<string>;
    /** KMS key of Redis at rest and of the auth-token secret. */
    public readonly dataKeyArn: pulumi.Output<string>;

    constructor(name: string, args: DataArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tacos:aws:Data", name, {}, opts);
        const { protection, data } = args;
        const tags = costTags(args.tags, { component: "data" });
        const stateful = { parent: this, protect: protection.protectStatefulResources };

        const tables = {} as Record<TableName, TableOutputs>;
        for (const table of TABLE_NAMES) {
            const spec: { hashKey: string; ttl: string | undefined } = TABLES[table];
            const created = new aws.dynamodb.Table(
                `${name}-${table}`,
                {
                    name: `${args.prefix}-${table}`,
                    billingMode: "PAY_PER_REQUEST",
                    hashKey: spec.hashKey,
                    attributes: [{ name: spec.hashKey, type: "S" }],
                    pointInTimeRecovery: { enabled: true },
                    serverSideEncryption: { enabled: true },
                    ttl: spec.ttl ? { attributeName: spec.ttl, enabled: true } : undefined,
                    deletionProtectionEnabled: protection.deletionProtection,
                    tags: { ...tags, Table: table },
                },
                stateful,
            );
            tables[table] = { name: created.name, arn: created.arn };
        }
        this.tables = tables;

        const key = createKmsKey(
            `${name}-redis`,
            {
                description: `Redis at rest and its auth token secret (${args.prefix})`,
                alias: `${args.prefix}-redis`,
                tags,
                protection,
            },
            this,
        );
        this.dataKeyArn = key.arn;

        // ElastiCache auth tokens: 16-128 printable characters; letters and digits only here.
        const token = new random.RandomPassword(
            `${name}-redis-auth`,
            { length: 64, special: false },
            { parent: this },
        );
        const secret = new aws.secretsmanager.Secret(
            `${name}-redis-auth`,
            {
                name: `${args.prefix}/redis/auth-token`,
                description: "Auth token of the platform's Redis (read by gateway-api)",
                kmsKeyId: key.arn,
                recoveryWindowInDays: protection.secretRecoveryWindowDays,
                tags,
            },
            stateful,
        );
        new aws.secretsmanager.SecretVersion(
            `${name}-redis-auth`,
            { secretId: secret.id, secretString: token.result },
            { parent: this },
        );
        this.redisSecretName = secret.name;
        this.redisSecretArn = secret.arn;

        const subnets = new aws.elasticache.SubnetGroup(
            `${name}-redis`,
            {
                name: `${args.prefix}-redis`,
                description: "Private subnets of the platform's Redis",
                subnetIds: args.privateSubnetIds,
                tags,
            },
            { parent: this },
        );
        this.redisPort = 6379;
        const sg = new aws.ec2.SecurityGroup(
            `${name}-redis`,
            {
                vpcId: args.vpcId,
                description: "Redis: TLS on 6379 from the EKS cluster only",
                ingress: [
                    {
                        protocol: "tcp",
                        fromPort: this.redisPort,
                        toPort: this.redisPort,
                        securityGroups: [args.clientSecurityGroupId],
                        description: "Redis from the EKS cluster security group",
                    },
                ],
                egress: [],
                tags,
            },
            { parent: this },
        );
        const redis = new aws.elasticache.ReplicationGroup(
            `${name}-redis`,
            {
                replicationGroupId: `${args.prefix}-redis`,
                description: "Traffic Tacos cache and rate limiting",
                engine: "redis",
                engineVersion: data.redis.engineVersion,
                nodeType: data.redis.nodeType,
                numCacheClusters: data.redis.numCacheClusters,
                automaticFailoverEnabled: data.redis.multiAz,
                multiAzEnabled: data.redis.multiAz,
                port: this.redisPort,
                subnetGroupName: subnets.name,
                securityGroupIds: [sg.id],
                transitEncryptionEnabled: true,
                atRestEncryptionEnabled: true,
                kmsKeyId: key.arn,
                authToken: token.result,
                snapshotRetentionLimit: data.redis.snapshotRetentionDays,
                autoMinorVersionUpgrade: true,
                tags,
            },
            stateful,
        );
        this.redisEndpoint = redis.primaryEndpointAddress;

        this.registerOutputs({
            tables: this.tables,
            redisEndpoint: this.redisEndpoint,
            redisSecretName: this.redisSecretName,
            redisPort: this.redisPort,
            redisSecretArn: this.redisSecretArn,
            dataKeyArn: this.dataKeyArn,
        });
    }
}
