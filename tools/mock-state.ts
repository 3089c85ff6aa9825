/**
 * What the mocks answer for a registered resource: the physical name a provider would give it and
 * the computed attributes (ARNs, URLs, endpoints) shaped as AWS's, so that the program's outputs and
 * the policies read realistic values.
 */
import { createHash } from "crypto";

/** Account id the mocks put in every ARN. */
export const MOCK_ACCOUNT = "111122223333";

/**
 * The physical name a provider would give a resource: its `name` input (a replication group's id),
 * else the logical name with a random-looking suffix.
 */
export function physicalName(type: string, name: string, inputs: Record<string, any>): string {
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
export function mockState(
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
        case "eks:index:Cluster":
            return eksClusterOutputs(id, arn("eks", `cluster/${id}`), region, {
                endpoint: `https://${mockUuid(name).replace(/-/g, "").toUpperCase()}.gr7.${region}.eks.amazonaws.com`,
                certificateAuthority: { data: "TU9DSy1DQQ==" },
                version: inputs.version,
                vpcConfig: { clusterSecurityGroupId: "sg-0c1a2b3c4d5e6f708" },
            });
        case "eks:index:ManagedNodeGroup": {
            const group = `${name}-0a1b2c3`.slice(-64);
            return { nodeGroup: { nodeGroupName: group } };
        }
        default:
            return { name: id, arn: arn(type.split(":")[0], id) };
    }
}

/** The outputs of an `eks:index:Cluster` the program reads: the EKS cluster, its security group, the kubeconfig. */
function eksClusterOutputs(
    name: string,
    arn: string,
    region: string,
    cluster: {
        endpoint: string;
        certificateAuthority: { data: string };
        version: string;
        vpcConfig: Record<string, string>;
    },
): Record<string, any> {
    return {
        eksCluster: { name, arn, ...cluster },
        clusterSecurityGroupId: cluster.vpcConfig.clusterSecurityGroupId,
        // The component's kubeconfig, shaped as @pulumi/eks 4.3.0 writes it (nodejs/eks/cluster/cluster.ts, generateKubeconfig).
        kubeconfigJson: JSON.stringify({
            apiVersion: "v1",
            kind: "Config",
            clusters: [
                {
                    name: "kubernetes",
                    cluster: {
                        server: cluster.endpoint,
                        "certificate-authority-data": cluster.certificateAuthority.data,
                    },
                },
            ],
            contexts: [{ name: "aws", context: { cluster: "kubernetes", user: "aws" } }],
            "current-context": "aws",
            users: [
                {
                    name: "aws",
                    user: {
                        exec: {
                            apiVersion: "client.authentication.k8s.io/v1beta1",
                            command: "aws",
                            args: [
                                "--region",
                                region,
                                "eks",
                                "get-token",
                                "--cluster-name",
                                name,
                                "--output",
                                "json",
                            ],
                            env: [
                                {
                                    name: "KUBERNETES_EXEC_INFO",
                                    value: '{"apiVersion": "client.authentication.k8s.io/v1beta1"}',
                                },
                            ],
                        },
                    },
                },
            ],
        }),
    };
}
