/** What the monitoring component is built from: the stack's settings and the facts it is given. */
import type * as pulumi from "@pulumi/pulumi";
import type { ObservabilityConfig } from "../../../config";
import type { AddonPlacement, ControllerSettings, ScrapeTarget, WorkloadFootprint } from "../addon";
import type { PlatformAlerts } from "./facts";

/** The monitoring component's arguments. */
export interface MonitoringArgs extends ControllerSettings, AddonPlacement {
    region: string;
    clusterName: pulumi.Input<string>;
    environment: string;
    observability: ObservabilityConfig;
    /** The alert SNS topic Alertmanager publishes to. */
    alertTopicArn: pulumi.Input<string>;
    /** The SNS topic Alertmanager publishes the Watchdog's heartbeat to. */
    heartbeatTopicArn: pulumi.Input<string>;
    /** The KMS key Prometheus' volumes are encrypted with. */
    volumeKeyArn: pulumi.Input<string>;
    /** Tags of every volume. */
    tags: Record<string, string>;
    /** Where Prometheus scrapes. */
    scrapeTargets: ScrapeTarget[];
    /** Namespaces (other than its own) whose pods query Prometheus' API. */
    prometheusClients: string[];
    /** The platform's alert rules (built by the apps layer from the catalogue and the config). */
    alerts: PlatformAlerts;
    /** The monitoring workloads' replicas and sizing (monitoringFootprint). */
    footprint: WorkloadFootprint[];
}
