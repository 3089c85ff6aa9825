/**
 * The Traffic Tacos platform, one stack: composition only. Reads the validated config, creates
 * the components in dependency order and exports the stack outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { GrantTargets } from "./components/aws/access";
import { Cluster } from "./components/aws/cluster";
import { Data } from "./components/aws/data";
import { WorkloadIdentity } from "./components/aws/identity";
import { Messaging } from "./components/aws/messaging";
import { Network } from "./components/aws/network";
import { createAwsProvider } from "./components/aws/provider";
import { loadConfig } from "./components/config";
import { workloadIdentityDeclarations } from "./components/identities";
import { mapValues } from "./components/util";

const config = loadConfig();
const prefix = `${config.tags.Project}-${config.stack}`;
const awsOpts = { providers: [createAwsProvider(`${prefix}-aws`, config)] };
const base = { tags: config.tags, protection: config.protection };

const network = new Network("network", { region: config.region, network: config.network, tags: config.tags }, awsOpts);
const cluster = new Cluster("cluster", {
    ...base,
    clusterName: prefix,
    vpcId: network.vpcId,
    privateSubnetIds: network.privateSubnetIds,
    publicSubnetIds: network.publicSubnetIds,
    cluster: config.cluster,
}, awsOpts);
const messaging = new Messaging("messaging", { ...base, prefix, messaging: config.messaging }, awsOpts);
const data = new Data("data", {
    ...base,
    prefix,
    data: config.data,
    vpcId: network.vpcId,
    privateSubnetIds: network.privateSubnetIds,
    clientSecurityGroupId: cluster.clusterSecurityGroupId,
}, awsOpts);

const targets: GrantTargets = {
    region: config.region,
    accountId: cluster.clusterArn.apply((arn) => arn.split(":")[4]),
    clusterName: cluster.clusterName,
    vpcId: network.vpcId,
    tableArns: mapValues(data.tables, (t) => t.arn),
    queueArns: mapValues(messaging.queues, (q) => q.arn),
    eventBusArn: messaging.eventBusArn,
    scheduleGroupName: messaging.scheduleGroupName,
    schedulerRoleArn: messaging.schedulerRoleArn,
    redisSecretArn: data.redisSecretArn,
    dataKeyArn: data.dataKeyArn,
};
const identities = mapValues(workloadIdentityDeclarations(), (declaration, key) =>
    new WorkloadIdentity(`identity-${key}`, {
        ...declaration,
        clusterName: cluster.clusterName,
        clusterArn: cluster.clusterArn,
        targets,
        tags: config.tags,
        agent: cluster.podIdentityAgent,
    }, awsOpts));

export const vpcId = network.vpcId;
export const clusterName = cluster.clusterName;
export const kubeconfig = pulumi.secret(cluster.kubeconfig);
export const queueUrls = mapValues(messaging.queues, (q) => q.url);
export const queueArns = mapValues(messaging.queues, (q) => q.arn);
export const eventBusName = messaging.eventBusName;
export const scheduleGroupName = messaging.scheduleGroupName;
export const tableNames = mapValues(data.tables, (t) => t.name);
export const roleArns = mapValues(identities, (identity) => identity.roleArn);
export const redisEndpoint = data.redisEndpoint;
export const redisSecretName = data.redisSecretName;
