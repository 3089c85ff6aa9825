/**
 * The apps layer: the application namespace (in the ambient mesh, its quota from the services at
 * their maximum scale) and the five services from the one chart, values from the catalogue and
 * the stack, delivered after the add-ons.
 */
import type * as pulumi from "@pulumi/pulumi";
import { APP_NAMESPACE } from "../apps/catalogue";
import { ServiceDelivery } from "../apps/delivery";
import type { ServiceWiring } from "../apps/env";
import { sizingAtMaxScale } from "../apps/sizing";
import { allServiceValues } from "../apps/values";
import type { StackConfig } from "../config";
import { InstalledAddons, requireInstalled } from "../k8s/addons";
import { publicSubnetCidrs } from "../k8s/addons/addon";
import type { PriorityClasses } from "../k8s/priority-classes";
import { NamespaceBaseline } from "../k8s/namespace";
import { computeContainerLimits, computeQuota } from "../k8s/quota";
import { costLabels } from "../tags";
import { mapValues } from "../util";
import type { AwsLayer } from "./aws-layer";

/** What the apps layer made: the application namespace and the delivered services' names. */
export interface AppsLayer {
    appNamespace: pulumi.Output<string>;
    deliveredServices: string[];
}

/** Creates the apps layer on the installed add-ons, through `opts`' Kubernetes provider. */
export function createAppsLayer(
    config: StackConfig,
    aws: Pick<AwsLayer, "data" | "messaging">,
    platform: { addons: InstalledAddons; priorityClasses: PriorityClasses },
    opts: pulumi.ComponentResourceOptions,
): AppsLayer {
    const { data, messaging } = aws;
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
            ...opts,
            dependsOn: requireInstalled(platform.addons, ["mesh", "mesh-node"], "the tacos namespace"),
        },
    );
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
            canary: config.delivery.canary,
            stack: config.stack,
            values: allServiceValues({ config, wiring, parentRef: platform.addons.gateway?.httpsParentRef }),
            repoUrl: config.argocd.repoUrl,
            chartRevision: config.argocd.chartRevision,
            argocd: platform.addons.argocd,
            jwtSecret: config.secrets.gatewayJwtSecret,
            webhookSecret: config.secrets.paymentWebhookSecret,
            labels: costLabels(config.tags, { component: "applications" }),
        },
        { ...opts, dependsOn: [tacosNs, platform.priorityClasses, ...Object.values(platform.addons)] },
    );
    return { appNamespace: tacosNs.name, deliveredServices: Object.keys(services.deliveries) };
}
