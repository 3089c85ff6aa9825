/** The AWS Load Balancer Controller's gateway.k8s.aws kinds, which have no models package, as zod schemas. */
import { z } from "zod";

/** Metadata of a namespaced object (a chart's objects get their namespace from the release). */
const namespaced = z
    .object({ name: z.string().min(1), namespace: z.string().min(1).optional() })
    .passthrough();

/**
 * The AWS Load Balancer Controller's gateway.k8s.aws/v1 kinds, as far as the platform writes them,
 * transcribed from the controller's CRDs at v3.5.0 (config/crd/gateway/gateway-crds.yaml);
 * unknown fields are refused, as the API server's structural schema would prune them.
 */
export const AWS_GATEWAY_KINDS: Record<string, z.ZodType> = {
    LoadBalancerConfiguration: z.strictObject({
        apiVersion: z.literal("gateway.k8s.aws/v1"),
        kind: z.literal("LoadBalancerConfiguration"),
        metadata: namespaced,
        spec: z.strictObject({
            scheme: z.enum(["internal", "internet-facing"]),
            ipAddressType: z.enum(["ipv4", "dualstack", "dualstack-without-public-ipv4"]).optional(),
            listenerConfigurations: z
                .array(
                    z.strictObject({
                        protocolPort: z
                            .string()
                            .regex(
                                /^(HTTP|HTTPS|TLS|TCP|UDP|TCP_UDP):(6553[0-5]|655[0-2]\d|65[0-4]\d{2}|6[0-4]\d{3}|[1-5]\d{4}|[1-9]\d{0,3})$/,
                            ),
                        defaultCertificate: z.string().optional(),
                        certificates: z.array(z.string()).optional(),
                        sslPolicy: z.string().optional(),
                    }),
                )
                .optional(),
            loadBalancerAttributes: z
                .array(z.strictObject({ key: z.string(), value: z.string() }))
                .optional(),
            tags: z.record(z.string(), z.string()).optional(),
            wafV2: z.strictObject({ webACL: z.string() }).optional(),
        }),
    }),
    TargetGroupConfiguration: z.strictObject({
        apiVersion: z.literal("gateway.k8s.aws/v1"),
        kind: z.literal("TargetGroupConfiguration"),
        metadata: namespaced,
        spec: z.strictObject({
            targetReference: z
                .strictObject({
                    group: z.string().optional(),
                    kind: z.string().optional(),
                    name: z.string().min(1),
                })
                .optional(),
            defaultConfiguration: z
                .strictObject({
                    targetType: z.enum(["instance", "ip"]).optional(),
                    protocol: z.enum(["HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP"]).optional(),
                    protocolVersion: z.enum(["HTTP1", "HTTP2", "GRPC"]).optional(),
                    healthCheckConfig: z
                        .strictObject({
                            healthCheckPath: z.string().optional(),
                            healthCheckPort: z.string().optional(),
                            healthCheckProtocol: z.enum(["HTTP", "HTTPS", "TCP"]).optional(),
                            healthCheckInterval: z.number().int().optional(),
                            healthCheckTimeout: z.number().int().optional(),
                            healthyThresholdCount: z.number().int().optional(),
                            unhealthyThresholdCount: z.number().int().optional(),
                            matcher: z
                                .strictObject({
                                    httpCode: z.string().optional(),
                                    grpcCode: z.string().optional(),
                                })
                                .optional(),
                        })
                        .optional(),
                    tags: z.record(z.string(), z.string()).optional(),
                })
                .optional(),
        }),
    }),
    // Only the source-ip condition the Argo CD route uses (`spec.conditions`, field enum [source-ip]).
    ListenerRuleConfiguration: z.strictObject({
        apiVersion: z.literal("gateway.k8s.aws/v1"),
        kind: z.literal("ListenerRuleConfiguration"),
        metadata: namespaced,
        spec: z.strictObject({
            conditions: z
                .array(
                    z.strictObject({
                        field: z.literal("source-ip"),
                        matchIndexes: z.array(z.number().int()).optional(),
                        sourceIPConfig: z.strictObject({ values: z.array(z.string()).min(1) }),
                    }),
                )
                .min(1),
            tags: z.record(z.string(), z.string()).optional(),
        }),
    }),
};
