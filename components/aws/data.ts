import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { DataConfig, ProtectionConfig, Tags } from "../config";
import { type CostTags, costTags } from "../tags";
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

/** The port Redis listens on (TLS). */
const REDIS_PORT = 6379;

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
        const tags = costTags(args.tags, { component: "data" });

        this.tables = this.createTables(name, args, tags);

        const key = createKmsKey(
            `${name}-redis`,
            {
                description: `Redis at rest and its auth token secret (${args.prefix})`,
                alias: `${args.prefix}-redis`,
                tags,
                protection: args.protection,
            },
            this,
        );
        this.dataKeyArn = key.arn;

        const { token, secret } = this.createRedisAuthToken(name, args, key, tags);
        this.redisSecretName = secret.name;
        this.redisSecretArn = secret.arn;

        this.redisPort = REDIS_PORT;
        const redis = this.createRedis(name, args, key, token, tags);
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

    /** The DynamoDB tables of `TABLES`: on demand, point-in-time recovery, encrypted, TTL where records expire. */
    private createTables(name: string, args: DataArgs, tags: CostTags): Record<TableName, TableOutputs> {
        const { protection } = args;
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
                { parent: this, protect: protection.protectStatefulResources },
            );
            tables[table] = { name: created.name, arn: created.arn };
        }
        return tables;
    }

    /** Redis's auth token, generated here and kept in Secrets Manager under the data key. */
    private createRedisAuthToken(name: string, args: DataArgs, key: aws.kms.Key, tags: CostTags) {
        const { protection } = args;
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
            { parent: this, protect: protection.protectStatefulResources },
        );
        new aws.secretsmanager.SecretVersion(
            `${name}-redis-auth`,
            { secretId: secret.id, secretString: token.result },
            { parent: this },
        );
        return { token, secret };
    }

    /**
     * The Redis replication group in the private subnets, behind a security group that admits only the
     * cluster: TLS in transit, encrypted at rest with the data key, authenticated with `token`.
     */
    private createRedis(
        name: string,
        args: DataArgs,
        key: aws.kms.Key,
        token: random.RandomPassword,
        tags: CostTags,
    ): aws.elasticache.ReplicationGroup {
        const { redis: cfg } = args.data;
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
        const sg = new aws.ec2.SecurityGroup(
            `${name}-redis`,
            {
                vpcId: args.vpcId,
                description: "Redis: TLS on 6379 from the EKS cluster only",
                ingress: [
                    {
                        protocol: "tcp",
                        fromPort: REDIS_PORT,
                        toPort: REDIS_PORT,
                        securityGroups: [args.clientSecurityGroupId],
                        description: "Redis from the EKS cluster security group",
                    },
                ],
                egress: [],
                tags,
            },
            { parent: this },
        );
        return new aws.elasticache.ReplicationGroup(
            `${name}-redis`,
            {
                replicationGroupId: `${args.prefix}-redis`,
                description: "Traffic Tacos cache and rate limiting",
                engine: "redis",
                engineVersion: cfg.engineVersion,
                nodeType: cfg.nodeType,
                numCacheClusters: cfg.numCacheClusters,
                automaticFailoverEnabled: cfg.multiAz,
                multiAzEnabled: cfg.multiAz,
                port: REDIS_PORT,
                subnetGroupName: subnets.name,
                securityGroupIds: [sg.id],
                transitEncryptionEnabled: true,
                atRestEncryptionEnabled: true,
                kmsKeyId: key.arn,
                authToken: token.result,
                snapshotRetentionLimit: cfg.snapshotRetentionDays,
                autoMinorVersionUpgrade: true,
                tags,
            },
            { parent: this, protect: args.protection.protectStatefulResources },
        );
    }
}
