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
import { APP_NAMESPACE } from "./components/apps/catalogue";
import { ServiceDelivery } from "./components/apps/delivery";
import { allServiceValues, ServiceWiring, sizingAtMaxScale } from "./components/apps/values";
import { loadConfig } from "./components/config";
import { KEDA_OPERATOR, LOAD_BALANCER_CONTROLLER, workloadIdentityDeclarations } from "./components/identities";
import { ArgoCd } from "./components/k8s/argocd";
import { Gateway } from "./components/k8s/gateway";
import { Keda } from "./components/k8s/keda";
import { NamespaceBaseline } from "./components/k8s/namespace";
import { createK8sProvider } from "./components/k8s/provider";
import { computeContainerLimits, computeQuota } from "./components/k8s/quota";
import { PlatformProfile } from "./components/profile";
import { costLabels, costTags } from "./components/tags";
import { mapValues } from "./components/util";

const config = loadConfig();
new PlatformProfile("profile", config);
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

// Cluster layer: everything below goes through one Kubernetes provider, after the nodes and
// the Pod Identity associations exist (so that add-ons start with their AWS credentials).
const k8sOpts = {
    providers: [createK8sProvider(`${prefix}-k8s`, cluster.kubeconfig, [...cluster.nodeGroups, ...Object.values(identities)])],
};
const publicSubnetCidrs = config.network.zones.map((zone) => zone.publicSubnetCidr);
const namespaceDefaults = { defaultDeny: config.securityPolicy.defaultDenyNetworkPolicies };
const labelsOf = (component: string) => costLabels(config.tags, { component });

const gatewayNs = new NamespaceBaseline("ns-gateway", { ...namespaceDefaults, name: LOAD_BALANCER_CONTROLLER.namespace, enforce: "baseline", labels: labelsOf("gateway") }, k8sOpts);
const kedaNs = new NamespaceBaseline("ns-keda", { ...namespaceDefaults, name: KEDA_OPERATOR.namespace, enforce: "baseline", labels: labelsOf("keda") }, k8sOpts);
const argocdNs = new NamespaceBaseline("ns-argocd", { ...namespaceDefaults, name: "argocd", enforce: "baseline", labels: labelsOf("argocd") }, k8sOpts);
const sized = sizingAtMaxScale(config);
const tacosNs = new NamespaceBaseline("ns-tacos", {
    ...namespaceDefaults,
    name: APP_NAMESPACE,
    enforce: config.securityPolicy.podSecurityLevel,
    labels: labelsOf("applications"),
    quota: computeQuota(sized, config.costOptimization.quotaHeadroomPercent),
    containerLimits: computeContainerLimits(sized),
}, k8sOpts);

const gateway = new Gateway("gateway", {
    namespace: gatewayNs.name,
    clusterName: cluster.clusterName,
    region: config.region,
    vpcId: network.vpcId,
    vpcCidr: config.network.cidr,
    serviceAccount: LOAD_BALANCER_CONTROLLER.serviceAccount,
    gateway: config.gateway,
    routeNamespaces: [APP_NAMESPACE, "argocd"],
    tags: costTags(config.tags, { component: "gateway" }),
    labels: labelsOf("gateway"),
}, k8sOpts);
const keda = new Keda("keda", {
    namespace: kedaNs.name,
    vpcCidr: config.network.cidr,
    operatorServiceAccount: KEDA_OPERATOR.serviceAccount,
    highAvailability: config.addons.highAvailability,
    labels: labelsOf("keda"),
}, k8sOpts);
const argocd = new ArgoCd("argocd", {
    namespace: argocdNs.name,
    argocd: config.argocd,
    highAvailability: config.addons.highAvailability,
    adminPasswordHash: config.secrets.argocdAdminPasswordHash,
    oidcClientSecret: config.secrets.argocdOidcClientSecret,
    appNamespace: APP_NAMESPACE,
    vpcCidr: config.network.cidr,
    publicSubnetCidrs,
    parentRef: gateway.httpsParentRef,
    gatewayCrds: gateway.crds,
    labels: labelsOf("argocd"),
}, k8sOpts);

// Apps layer: the five services from the one chart, values from the catalogue and the stack.
const wiring: ServiceWiring = {
    tableNames: mapValues(data.tables, (t) => t.name),
    queueUrls: mapValues(messaging.queues, (q) => q.url),
    eventBusName: messaging.eventBusName,
    scheduleGroupName: messaging.scheduleGroupName,
    redisEndpoint: data.redisEndpoint,
    redisPort: data.redisPort,
    redisSecretName: data.redisSecretName,
    publicSubnetCidrs,
    privateSubnetCidrs: config.network.zones.map((zone) => zone.privateSubnetCidr),
};
const services = new ServiceDelivery("services", {
    mode: config.delivery.mode,
    stack: config.stack,
    values: allServiceValues({ config, wiring, parentRef: gateway.httpsParentRef }),
    repoUrl: config.argocd.repoUrl,
    chartRevision: config.argocd.chartRevision,
    argocdNamespace: argocdNs.name,
    project: argocd.project.metadata.name,
    jwtSecret: config.secrets.gatewayJwtSecret!,
    webhookSecret: config.secrets.paymentWebhookSecret,
    labels: labelsOf("applications"),
}, { ...k8sOpts, dependsOn: [tacosNs, argocd, keda, gateway] });

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
export const appNamespace = tacosNs.name;
export const argocdUrl = `https://${config.argocd.hostname}`;
export const apiUrl = `https://${config.gateway.apiHostname}`;
export const platformReleases = { argocd: argocd.release.status.version, keda: keda.release.status.version, gateway: gateway.controller.status.version };
export const deliveredServices = Object.keys(services.deliveries);
