/**
 * The values of the tacos-service chart (charts/tacos-service), as one zod schema: the program
 * builds them of the type it infers (components/apps/values.ts), the stack's readers read the
 * delivered values as that type (stack.ts), and the chart's values.schema.json, which Helm checks
 * the merged values against, is generated from it (npm run chart:schema). A key the program
 * leaves to the chart's values.yaml is optional here.
 */
import { z } from "zod";
import {
    atLeast,
    dnsLabel,
    envName,
    httpPath,
    labelKey,
    labelValue,
    port,
    text,
} from "./chart-values-fields";
import { PRIORITY_CLASSES } from "./placement";
import { autoscalingSchema } from "./chart-values-scaling";
import { rolloutSchema } from "./chart-values-rollout";
import { httpRouteSchema, meshSchema, networkPolicySchema } from "./chart-values-traffic";

const probeTiming = {
    periodSeconds: atLeast(1).optional(),
    timeoutSeconds: atLeast(1).optional(),
    failureThreshold: atLeast(1).optional(),
};

/** An HTTP check on `path`, or a TCP check on the named `tcpPort`, which replaces the HTTP check when set. */
const httpOrTcpProbe = (tcpPort: string) => {
    const named = text.describe(tcpPort);
    return z.union([
        z.strictObject({ path: httpPath, tcpPort: named.optional(), ...probeTiming }),
        z.strictObject({ path: httpPath.optional(), tcpPort: named, ...probeTiming }),
    ]);
};

/** A quantity with a digit other than 0: a zero request or limit is a missing one. */
const nonZero = /[1-9]/;

/**
 * Requests or limits: the quantity forms the Kubernetes documentation's "Resource Management for
 * Pods and Containers" (kubernetes.io/docs/concepts/configuration/manage-resources-containers)
 * gives, never zero. The chart's templates check that no request exceeds its limit.
 */
const quantities = z.strictObject({
    cpu: z
        .string()
        .regex(/^([0-9]+m|[0-9]+(\.[0-9]+)?)$/)
        .regex(nonZero)
        .describe("CPU quantity, e.g. 250m or 1; not zero"),
    memory: z
        .string()
        .regex(/^[0-9]+(Ki|Mi|Gi|k|M|G)?$/)
        .regex(nonZero)
        .describe("memory quantity, e.g. 256Mi; not zero"),
});

export const serviceValuesSchema = z
    .strictObject({
        global: z.record(z.string(), z.unknown()).optional().describe("Helm's own; unused."),
        name: dnsLabel.describe("service name"),
        version: labelValue.describe("Version label (the image tag when empty)."),
        component: z.enum(["edge", "backend", "worker"]).describe("app.kubernetes.io/component."),
        image: z.strictObject({
            repository: z
                .string()
                .min(1)
                .regex(/^[a-z0-9.-]+(:[0-9]+)?\/[a-z0-9._/-]+$/),
            tag: z
                .string()
                .regex(/^[0-9a-f]{7,40}$/)
                .describe("immutable git short SHA (never latest)"),
            digest: z
                .string()
                .regex(/^(sha256:[0-9a-f]{64})?$/)
                .optional(),
            pullPolicy: z.enum(["IfNotPresent", "Always"]).optional(),
        }),
        ports: z
            .array(
                z.strictObject({
                    name: z.string().regex(/^[a-z]([-a-z0-9]{0,13}[a-z0-9])?$/),
                    port,
                    appProtocol: z.enum(["http", "grpc"]),
                }),
            )
            .min(1)
            .describe("Container ports, each name and number once; the first is the Service's default."),
        probes: z.strictObject({
            port: text.describe("Name of the container port the HTTP health endpoints are served on."),
            liveness: httpOrTcpProbe(
                "Named container port of a TCP liveness check; when set it replaces the HTTP check (for a service whose HTTP health endpoint fails with its dependencies).",
            ),
            readiness: z.strictObject({ path: httpPath, ...probeTiming }),
            startup: httpOrTcpProbe(
                "Named container port of a TCP start-up check; when set it replaces the HTTP check.",
            ),
        }),
        resources: z.strictObject({ requests: quantities, limits: quantities }),
        env: z
            .record(envName, z.string())
            .describe("Plain environment (a ConfigMap; a change rolls the pods)."),
        secretEnv: z
            .array(
                z.strictObject({
                    name: envName,
                    secretName: dnsLabel,
                    key: text,
                    optional: z.boolean().optional(),
                }),
            )
            .describe("Environment from Secrets, by reference only."),
        runAsUser: atLeast(1).describe("User and group to run as (the image's non-root user)."),
        serviceAccount: z
            .strictObject({ annotations: z.record(z.string(), z.string()).optional() })
            .optional(),
        autoscaling: autoscalingSchema,
        replicas: atLeast(0).optional().describe("Replicas when autoscaling.mode is none."),
        podDisruptionBudget: z.strictObject({ maxUnavailable: atLeast(1).optional() }).optional(),
        topologySpread: z
            .strictObject({
                zoneWhenUnsatisfiable: z.enum(["DoNotSchedule", "ScheduleAnyway"]).optional(),
                nodeLossTolerationSeconds: z
                    .int()
                    .min(0)
                    .max(3600)
                    .optional()
                    .describe(
                        "Seconds the pods stay on a lost (unreachable or not ready) node before eviction.",
                    ),
            })
            .optional(),
        networkPolicy: networkPolicySchema,
        httpRoute: httpRouteSchema,
        serviceMonitor: z.strictObject({
            enabled: z.boolean(),
            port: z.string().describe("Name of the port serving metrics."),
            path: httpPath,
            interval: z.string().regex(/^[0-9]+(s|m)$/),
        }),
        labels: z
            .record(labelKey, labelValue)
            .describe("Extra labels on every object and pod (the cost labels)."),
        rollingUpdate: z.strictObject({
            maxSurge: z
                .string()
                .regex(/^([1-9]|[1-9][0-9]|100)%$/)
                .describe("Extra pods a rolling update may start (maxUnavailable is 0)."),
        }),
        priorityClassName: z
            .enum([PRIORITY_CLASSES.service.name, PRIORITY_CLASSES.worker.name])
            .describe(
                "PriorityClass of the pods: the platform's class for services or for the queue worker.",
            ),
        logParser: z
            .string()
            .regex(/^$|^[a-z0-9][a-z0-9-]*$/)
            .describe(
                "Fluent Bit parser named in the pod's fluentbit.io/parser annotation, for logs that are not JSON.",
            ),
        verticalPodAutoscaler: z
            .strictObject({ enabled: z.boolean() })
            .describe("A VerticalPodAutoscaler with updateMode Off (recommendations only)."),
        rollout: rolloutSchema,
        mesh: meshSchema,
    })
    .meta({ title: "tacos-service values" });

/** The values of one service's tacos-service chart, as the program delivers them. */
export type ServiceValues = z.infer<typeof serviceValuesSchema>;
