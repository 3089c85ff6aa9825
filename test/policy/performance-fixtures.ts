/**
 * Fixtures the performance suites share: delivered services, the platform's alert rule, add-on
 * footprints, the system node group.
 */
import { FOOTPRINT_TYPE } from "../../vocabulary/footprint";
import { nodeGroup, resource } from "./cases";

/** A delivered service named `name`, its ServiceMonitor on or off. */
export const delivered = (name: string, serviceMonitor = true) =>
    resource("kubernetes:argoproj.io/v1alpha1:Application", {
        metadata: { name },
        spec: { source: { helm: { valuesObject: { name, serviceMonitor: { enabled: serviceMonitor } } } } },
    });
/** The platform's PrometheusRule with a latency alert for each of `services`, and `annotations`. */
export const platformRule = (services: string[], annotations: Record<string, string> = {}) =>
    resource("kubernetes:monitoring.coreos.com/v1:PrometheusRule", {
        metadata: { name: "tacos-platform", namespace: "monitoring", annotations },
        spec: {
            groups: [
                {
                    name: "tacos-services",
                    rules: services.map((service) => ({
                        alert: `${service}LatencyHigh`,
                        expr: "histogram_quantile(0.95, x) > 0.2",
                        labels: { kind: "latency", service },
                    })),
                },
            ],
        },
    });

/** An add-on's footprint record with `replicas` pods of `cpu` / `memory` on the system nodes (or on every node). */
export const footprint = (addon: string, replicas: number | "every-node", cpu: string, memory: string) =>
    resource(FOOTPRINT_TYPE, {
        addon,
        namespace: addon,
        workloads: [
            {
                name: addon,
                replicas,
                nodes: replicas === "every-node" ? "all" : "system",
                resources: { requests: { cpu, memory }, limits: { cpu, memory } },
            },
        ],
    });
/** The system node group: m7g.xlarge nodes (4 vCPU, 16 GiB) with the system taint. */
export const systemGroup = (desiredSize: number) =>
    nodeGroup({
        nodeGroupName: "system",
        capacityType: "ON_DEMAND",
        taints: [{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }],
        scalingConfig: { minSize: desiredSize, maxSize: 6, desiredSize },
    });
