/**
 * The Traffic Tacos platform, one stack: composition only. Reads the validated config, creates
 * the layers in dependency order (AWS, workload identities, cluster add-ons, applications) and
 * exports the stack outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { BlockStorage } from "./components/aws/block-storage";
import { CiRunner } from "./components/aws/ci-runner";
import { createAwsProvider } from "./components/aws/provider";
import { alertExemptions, alertRuleGroups, alertSettings } from "./components/apps/alerts";
import { APP_NAMESPACE, appScrapeTarget } from "./components/apps/catalogue";
import { dashboards } from "./components/apps/dashboards";
import { checkServiceSizing } from "./components/apps/sizing";
import { loadConfig } from "./components/config";
import {
    addonNamespaces,
    allowedNamespaces,
    checkAddons,
    enabledAddons,
    installAddons,
} from "./components/k8s/addons";
import { provide } from "./components/k8s/addons/addon";
import { DASHBOARDS } from "./components/k8s/addons/grafana/facts";
import { PLATFORM_ALERTS } from "./components/k8s/addons/monitoring/facts";
import { createK8sProvider } from "./components/k8s/provider";
import { PlatformProfile } from "./components/profile";
import { createAppsLayer } from "./components/stack/apps-layer";
import { createAwsLayer } from "./components/stack/aws-layer";
import { addonAwsFacts, createWorkloadIdentities } from "./components/stack/identities";
import { mapValues } from "./components/util";

const config = loadConfig();
const enabled = enabledAddons(config);
checkAddons(enabled, config);
checkServiceSizing(config);
new PlatformProfile("profile", config, allowedNamespaces(config));
const prefix = `${config.tags.Project}-${config.stack}`;
const awsOpts = { providers: [createAwsProvider(`${prefix}-aws`, config)] };

// AWS layer: network, cluster, node autoscaling, messaging, data, observability.
const aws = createAwsLayer(
    config,
    prefix,
    [...addonNamespaces(enabled), APP_NAMESPACE, "kube-system"],
    awsOpts,
);
const { network, cluster, karpenter, messaging, data, observability } = aws;

// Workload identities: the services', the add-ons' (their statements from the AWS layer's facts), the EBS CSI driver's.
const awsFacts = addonAwsFacts(aws, prefix);
const identities = createWorkloadIdentities(config, prefix, aws, awsFacts, awsOpts);

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
        accountId: aws.accountId,
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
        enabled,
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
                ...provide(DASHBOARDS, dashboards(config)),
            },
        },
        k8sOpts,
    );
    const apps = createAppsLayer(config, aws, platform, k8sOpts);
    return { ...apps, addons: Object.keys(platform.addons) };
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
