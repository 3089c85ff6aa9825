import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import type { CanaryConfig } from "../config";
import { APP_NAMESPACE, CATALOGUE, SERVICE_NAMES, ServiceName } from "./catalogue";
import type { ArgoCdOutputs as ArgoCd } from "../k8s/addons/argocd/facts";
import type { ChartValues } from "./values";
import { chartDigest } from "./chart-digest";
import { deliveryOrder } from "./delivery-order";
import { SECRET_REFS } from "./env";
import { readinessAnnotations, SYNC_RETRY } from "./readiness";

/**
 * What Argo CD leaves alone in a service's objects. Every service runs under an HPA or a KEDA
 * ScaledObject, which owns the replica count of its Deployment or Rollout. With canaries, Argo
 * Rollouts' Gateway API plugin owns the HTTPRoute's backend weights while a canary runs, and marks
 * the route with CANARY_ROUTE_LABEL then; with RespectIgnoreDifferences a sync keeps the live
 * rules of a marked route instead of resetting the canary. Only while marked: Argo CD v3.2
 * replaces a custom resource's whole list with the live one when it keeps an ignored field
 * (argo-cd #17694), so ignoring the weights for good would freeze the route's rules for good.
 */
export function ignoredFields(
    service: ServiceName,
    canary: boolean,
): { group: string; kind: string; name: string; jsonPointers?: string[]; jqPathExpressions?: string[] }[] {
    const workload = canary
        ? { group: "argoproj.io", kind: "Rollout" }
        : { group: "apps", kind: "Deployment" };
    return [
        { ...workload, name: service, jsonPointers: ["/spec/replicas"] },
        ...(canary && CATALOGUE[service].exposedPaths
            ? [
                  {
                      group: "gateway.networking.k8s.io",
                      kind: "HTTPRoute",
                      name: service,
                      jqPathExpressions: [CANARY_ROUTE_RULES],
                  },
              ]
            : []),
    ];
}

/** The label the Gateway API plugin puts on a route while a canary runs (v0.15.0, internal/defaults: its default key and value). */
export const CANARY_ROUTE_LABEL = {
    key: "rollouts.argoproj.io/gatewayapi-canary",
    value: "in-progress",
} as const;
/** The route's rules while the plugin marks it (the plugin's multiple-routes documentation's expression). */
export const CANARY_ROUTE_RULES = `select(.metadata.labels["${CANARY_ROUTE_LABEL.key}"] == "${CANARY_ROUTE_LABEL.value}") | .spec.rules`;

/** Path of the chart inside this repository. */
export const CHART_PATH = "charts/tacos-service";

export interface ServiceDeliveryArgs {
    /** argocd: an Application per service; helm: a Helm release per service. */
    mode: "argocd" | "helm";
    /** The canary releases (Rollouts), if the services are released so: Argo CD then leaves their replicas and route weights alone. */
    canary?: CanaryConfig;
    /** Stack name: selects `values-<stack>.yaml` of the chart. */
    stack: string;
    /** Chart values of each service. */
    values: Record<ServiceName, ChartValues>;
    /** This repository and the pinned revision whose chart Argo CD renders. */
    repoUrl: string;
    chartRevision: string;
    /** Argo CD, whose namespace and AppProject the Applications belong to; required in argocd mode. */
    argocd?: ArgoCd;
    /** JWT signing secret of gateway-api and the optional webhook secret of payment-sim-api. */
    jwtSecret: pulumi.Output<string>;
    webhookSecret?: pulumi.Output<string>;
    labels: Record<string, string>;
}

/**
 * Delivers the five services from the tacos-service chart, each after the services it calls, so
 * that callees are healthy before their callers. GitOps by default: an Argo CD Application per
 * service with automated sync, prune, self-heal and unlimited retries, ignoring the replica count
 * its autoscaler owns, which Pulumi counts as delivered once Argo CD reports it Synced and Healthy.
 * Alternatively a Helm release per service that rolls itself back on a failed upgrade and is
 * upgraded whenever a file of the chart changes. The Secrets the chart references are created
 * here from secret config. Each Application is created by Pulumi, not synced by a parent
 * Application, so Argo CD's sync waves would order nothing: the order is Pulumi's dependencies.
 */
export class ServiceDelivery extends pulumi.ComponentResource {
    /** The Application (or Release) of each service. */
    public readonly deliveries: Record<ServiceName, pulumi.CustomResource>;

    constructor(name: string, args: ServiceDeliveryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tacos:apps:ServiceDelivery", name, {}, opts);
        const secrets = [
            this.secret(`${name}-jwt`, SECRET_REFS.jwt, args.jwtSecret, args.labels),
            ...(args.webhookSecret
                ? [this.secret(`${name}-webhook`, SECRET_REFS.webhook, args.webhookSecret, args.labels)]
                : []),
        ];

        const calls = Object.fromEntries(
            SERVICE_NAMES.map((service) => [service, CATALOGUE[service].calls.map((c) => c.service)]),
        ) as Record<ServiceName, ServiceName[]>;
        const credential = args.mode === "argocd" && args.argocd?.repository ? [args.argocd.repository] : [];
        this.deliveries = {} as Record<ServiceName, pulumi.CustomResource>;
        for (const service of deliveryOrder(calls)) {
            const callees = calls[service].map((callee) => this.deliveries[callee]);
            const opts = { parent: this, dependsOn: [...secrets, ...credential, ...callees] };
            this.deliveries[service] =
                args.mode === "argocd"
                    ? this.application(`${name}-${service}`, service, args, opts)
                    : this.release(`${name}-${service}`, service, args, opts);
        }
        this.registerOutputs({ deliveries: this.deliveries });
    }

    private secret(
        name: string,
        ref: { secretName: string; key: string },
        value: pulumi.Output<string>,
        labels: Record<string, string>,
    ): k8s.core.v1.Secret {
        return new k8s.core.v1.Secret(
            name,
            {
                metadata: { name: ref.secretName, namespace: APP_NAMESPACE, labels },
                type: "Opaque",
                stringData: { [ref.key]: value },
            },
            { parent: this },
        );
    }

    private application(
        name: string,
        service: ServiceName,
        args: ServiceDeliveryArgs,
        opts: pulumi.CustomResourceOptions,
    ): k8s.apiextensions.CustomResource {
        if (!args.argocd) {
            throw new pulumi.ResourceError("delivery mode argocd needs the argocd add-on installed", this);
        }
        return new k8s.apiextensions.CustomResource(
            name,
            {
                apiVersion: "argoproj.io/v1alpha1",
                kind: "Application",
                metadata: {
                    name: service,
                    namespace: args.argocd.namespace,
                    labels: { ...args.labels, "app.kubernetes.io/name": service },
                    annotations: readinessAnnotations(args.canary, args.chartRevision),
                    finalizers: ["resources-finalizer.argocd.argoproj.io"],
                },
                spec: {
                    project: args.argocd.project.metadata.name,
                    source: {
                        repoURL: args.repoUrl,
                        targetRevision: args.chartRevision,
                        path: CHART_PATH,
                        helm: {
                            releaseName: service,
                            valueFiles: [`values-${args.stack}.yaml`],
                            valuesObject: args.values[service],
                        },
                    },
                    destination: { server: "https://kubernetes.default.svc", namespace: APP_NAMESPACE },
                    syncPolicy: {
                        automated: { prune: true, selfHeal: true },
                        syncOptions: [
                            "ServerSideApply=true",
                            "PruneLast=true",
                            "RespectIgnoreDifferences=true",
                        ],
                        retry: SYNC_RETRY,
                    },
                    ignoreDifferences: ignoredFields(service, args.canary !== undefined),
                    revisionHistoryLimit: 10,
                },
            },
            opts,
        );
    }

    private release(
        name: string,
        service: ServiceName,
        args: ServiceDeliveryArgs,
        opts: pulumi.CustomResourceOptions,
    ): k8s.helm.v3.Release {
        const chartDir = path.join(__dirname, "..", "..", CHART_PATH);
        return new k8s.helm.v3.Release(
            name,
            {
                name: service,
                namespace: APP_NAMESPACE,
                chart: chartDir,
                // The provider upgrades a release when its inputs or its chart's version change: the
                // digest of the chart's files makes a template change an input change. It changes
                // no rendered object, so pods roll only when their own template changed.
                description: `chart files ${chartDigest(chartDir)}`,
                valueYamlFiles: [
                    new pulumi.asset.FileAsset(path.join(chartDir, `values-${args.stack}.yaml`)),
                ],
                values: args.values[service],
                atomic: true,
                cleanupOnFail: true,
                maxHistory: 10,
                timeout: 600,
            },
            opts,
        );
    }
}
