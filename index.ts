/**
 * The Traffic Tacos platform, one stack: composition only. Reads the validated config, creates
 * the components in dependency order and exports the stack outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { AwsScope, GrantTargets } from "./components/aws/access";
import { CiRunner } from "./components/aws/ci-runner";
import { Cluster } from "./components/aws/cluster";
import { Data } from "./components/aws/data";
import { WorkloadIdentity } from "./components/aws/identity";
import { karpenterDiscoveryTag, KarpenterInfrastructure } from "./components/aws/karpenter";
import { Messaging } from "./components/aws/messaging";
import { Network } from "./components/aws/network";
import { createAwsProvider } from "./components/aws/provider";
import { BlockStorage } from "./components/aws/block-storage";
import { ebsCsiIdentity } from "./components/aws/ebs-csi-driver-policy";
import { containerLogGroupPrefix, ObservabilityInfrastructure } from "./components/aws/observability";
import { APP_NAMESPACE, appScrapeTarget } from "./components/apps/catalogue";
import { alertExemptions, alertRuleGroups, alertSettings } from "./components/apps/alerts";
import { dashboards } from "./components/apps/dashboards";
import { ServiceDelivery } from "./components/apps/delivery";
import { serviceIdentities } from "./components/apps/identities";
import {
    allServiceValues,
    checkServiceSizing,
    ServiceWiring,
    sizingAtMaxScale,
} from "./components/apps/values";
import { loadConfig } from "./components/config";
import {
    ADDON_NAMES as ADDONS,
    addonIdentities,
    addonNamespaces,
    checkAddons,
    installAddons,
    requireInstalled,
} from "./components/k8s/addons";
import { provide, publicSubnetCidrs } from "./components/k8s/addons/addon";
import { KARPENTER_AWS } from "./components/k8s/addons/karpenter/facts";
import { CONTAINER_LOG_GROUP_PREFIX } from "./components/k8s/addons/logging/facts";
import { ALERTING_AWS, PLATFORM_ALERTS } from "./components/k8s/addons/monitoring/facts";
import { DASHBOARDS } from "./components/k8s/addons/grafana/facts";
import { NamespaceBaseline } from "./components/k8s/namespace";
import { createK8sProvider } from "./components/k8s/provider";
import { computeContainerLimits, computeQuota } from "./components/k8s/quota";
import { PlatformProfile } from "./components/profile";
import { costLabels } from "./components/tags";
import { mapValues, mergeDistinct } from "./components/util";

const config = loadConfig();
checkAddons(ADDONS, config);
checkServiceSizing(config);
new PlatformProfile("profile", config);
const prefix = `${config.tags.Project}-${config.stack}`;
const awsOpts = { providers: [createAwsProvider(`${prefix}-aws`, config)] };
const base = { tags: config.tags, protection: config.protection };

const discoveryTag = karpenterDiscoveryTag(prefix);
const network = new Network(
    "network",
    {
        region: config.region,
        network: config.network,
        tags: config.tags,
        privateSubnetTags: { [discoveryTag.key]: discoveryTag.value },
    },
    awsOpts,
);
const cluster = new Cluster(
    "cluster",
    {
        ...base,
        clusterName: prefix,
        region: config.region,
        privateSubnetIds: network.privateSubnetIds,
        cluster: config.cluster,
    },
    awsOpts,
);
const karpenter = new KarpenterInfrastructure(
    "node-autoscaling",
    {
        clusterName: prefix,
        eksClusterName: cluster.clusterName,
        clusterSecurityGroupId: cluster.clusterSecurityGroupId,
        tags: config.tags,
    },
    awsOpts,
);
const messaging = new Messaging("messaging", { ...base, prefix, messaging: config.messaging }, awsOpts);
const data = new Data(
    "data",
    {
        ...base,
        prefix,
        data: config.data,
        vpcId: network.vpcId,
        privateSubnetIds: network.privateSubnetIds,
        clientSecurityGroupId: cluster.clusterSecurityGroupId,
    },
    awsOpts,
);

const accountId = cluster.clusterArn.apply((arn) => arn.split(":")[4]);
const observability = new ObservabilityInfrastructure(
    "observability",
    {
        prefix,
        region: config.region,
        accountId,
        observability: config.observability,
        queues: messaging.queues,
        logNamespaces: [...addonNamespaces(ADDONS), APP_NAMESPACE, "kube-system"],
        protection: config.protection,
        tags: config.tags,
    },
    awsOpts,
);

// What the add-ons read of the AWS layer (each add-on's facts.ts names what it reads).
const awsFacts = {
    ...provide(KARPENTER_AWS, karpenter),
    ...provide(ALERTING_AWS, { alertTopicArn: observability.alertTopicArn, keyArn: observability.keyArn }),
    ...provide(CONTAINER_LOG_GROUP_PREFIX, containerLogGroupPrefix(prefix)),
};
const scope: AwsScope = { region: config.region, accountId, clusterName: prefix, vpcId: network.vpcId };
const targets: GrantTargets = {
    ...scope,
    tableArns: mapValues(data.tables, (t) => t.arn),
    queueArns: mapValues(messaging.queues, (q) => q.arn),
    eventBusArn: messaging.eventBusArn,
    scheduleGroupName: messaging.scheduleGroupName,
    schedulerRoleArn: messaging.schedulerRoleArn,
    redisSecretArn: data.redisSecretArn,
    dataKeyArn: data.dataKeyArn,
};
const identities = mapValues(
    mergeDistinct(
        "workload identity",
        serviceIdentities(),
        addonIdentities(ADDONS, scope, awsFacts),
        ebsCsiIdentity(scope, observability.keyArn),
    ),
    (declaration, key) =>
        new WorkloadIdentity(
            `identity-${key}`,
            {
                ...declaration,
                clusterName: cluster.clusterName,
                clusterArn: cluster.clusterArn,
                targets,
                tags: config.tags,
                agent: cluster.podIdentityAgent,
            },
            awsOpts,
        ),
);

// Volumes for Prometheus and Alertmanager: the EBS CSI driver, once its identity exists.
const blockStorage = new BlockStorage(
    "block-storage",
    {
        clusterName: cluster.clusterName,
        version: config.cluster.addons.ebsCsiDriver,
        tags: config.tags,
        dependsOn: [identities["ebs-csi-driver"], ...cluster.nodeGroups],
    },
    awsOpts,
);

// The in-VPC runner that CI's cluster jobs run on (the cluster's endpoint is private).
const runner = new CiRunner(
    "ci-runner",
    {
        prefix,
        region: config.region,
        accountId: targets.accountId,
        vpcId: network.vpcId,
        privateSubnetIds: network.privateSubnetIds,
        clusterSecurityGroupId: cluster.clusterSecurityGroupId,
        runner: config.ci.runner,
        logRetentionDays: config.cluster.logRetentionDays,
        tags: config.tags,
    },
    awsOpts,
);

/**
 * Cluster and apps layers: everything through one Kubernetes provider, after the nodes, the
 * access entries and the Pod Identity associations exist (so that add-ons start with their AWS
 * credentials). Skipped while the stack bootstraps (ci.bootstrap) from outside the VPC.
 */
function clusterLayer() {
    const k8sOpts = {
        providers: [
            createK8sProvider(`${prefix}-k8s`, cluster.kubeconfig, [
                ...cluster.nodeGroups,
                cluster.coreDns,
                ...cluster.access,
                karpenter.nodeAccess,
                blockStorage.driver,
                ...Object.values(identities),
            ]),
        ],
    };
    const platform = installAddons(
        ADDONS,
        {
            config,
            clusterName: cluster.clusterName,
            vpcId: network.vpcId,
            appScrapeTargets: [appScrapeTarget()],
            facts: {
                ...awsFacts,
                ...provide(PLATFORM_ALERTS, {
                    groups: alertRuleGroups(alertSettings(config)),
                    exemptions: alertExemptions(),
                }),
                ...provide(DASHBOARDS, dashboards()),
            },
        },
        k8sOpts,
    );
    const sized = sizingAtMaxScale(config);
    const tacosNs = new NamespaceBaseline(
        "ns-tacos",
        {
            name: APP_NAMESPACE,
            enforce: config.securityPolicy.podSecurityLevel,
            labels: costLabels(config.tags, { component: "applications" }),
            defaultDeny: config.securityPolicy.defaultDenyNetworkPolicies,
            quota: computeQuota(sized, config.costOptimization.quotaHeadroomPercent),
            containerLimits: computeContainerLimits(sized),
            // Every call between the services mutual TLS from their own identities, once the mesh runs.
            ambientMesh: true,
        },
        {
            ...k8sOpts,
            dependsOn: requireInstalled(platform.addons, ["mesh", "mesh-node"], "the tacos namespace"),
        },
    );

    // Apps layer: the five services from the one chart, values from the catalogue and the stack.
    const wiring: ServiceWiring = {
        tableNames: mapValues(data.tables, (t) => t.name),
        queueUrls: mapValues(messaging.queues, (q) => q.url),
        queueNames: mapValues(messaging.queues, (q) => q.name),
        eventBusName: messaging.eventBusName,
        scheduleGroupName: messaging.scheduleGroupName,
        redisEndpoint: data.redisEndpoint,
        redisPort: data.redisPort,
        redisSecretName: data.redisSecretName,
        publicSubnetCidrs: publicSubnetCidrs(config),
        privateSubnetCidrs: config.network.zones.map((zone) => zone.privateSubnetCidr),
    };
    const services = new ServiceDelivery(
        "services",
        {
            mode: config.delivery.mode,
            canary: config.delivery.canary !== undefined,
            stack: config.stack,
            values: allServiceValues({ config, wiring, parentRef: platform.addons.gateway?.httpsParentRef }),
            repoUrl: config.argocd.repoUrl,
            chartRevision: config.argocd.chartRevision,
            argocd: platform.addons.argocd,
            jwtSecret: config.secrets.gatewayJwtSecret,
            webhookSecret: config.secrets.paymentWebhookSecret,
            labels: costLabels(config.tags, { component: "applications" }),
        },
        { ...k8sOpts, dependsOn: [tacosNs, platform.priorityClasses, ...Object.values(platform.addons)] },
    );
    return {
        appNamespace: tacosNs.name,
        addons: Object.keys(platform.addons),
        deliveredServices: Object.keys(services.deliveries),
    };
}
const workloads = config.ci.bootstrap ? undefined : clusterLayer();

export const vpcId = network.vpcId;
export const clusterName = cluster.clusterName;
export const kubeconfig = pulumi.secret(cluster.kubeconfig);
export const queueUrls = mapValues(messaging.queues, (q) => q.url);
export const queueArns = mapValues(messaging.queues, (q) => q.arn);
export const eventBusName = messaging.eventBusName;
export const scheduleGroupName = messaging.scheduleGroupName;
export const tableNames = mapValues(data.tables, (t) => t.name);
export const roleArns = mapValues(identities, (identity) => identity.roleArn);
export const karpenterInterruptionQueue = karpenter.interruptionQueueName;
export const alertTopicArn = observability.alertTopicArn;
export const redisEndpoint = data.redisEndpoint;
export const redisSecretName = data.redisSecretName;
export const ciRunnerProject = runner.projectName;
export const appNamespace = workloads?.appNamespace;
export const argocdUrl = `https://${config.argocd.hostname}`;
export const apiUrl = `https://${config.gateway.apiHostname}`;
export const addons = workloads?.addons;
export const deliveredServices = workloads?.deliveredServices;
