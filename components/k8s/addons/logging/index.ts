import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { EVERY_NODE_TOLERATIONS, PRIORITY_CLASSES } from "../../../../vocabulary/placement";
import { allowApiServer, allowAwsApis, allowPolicies } from "../../network-policies";
import {
    Addon,
    AddonDeclaration,
    AddonPlacement,
    ControllerSettings,
    controllerSettings,
    requireFact,
    resourcesOf,
    WorkloadFootprint,
} from "../addon";
import { chartRelease, PinnedChart } from "../chart";
import { CONTAINER_LOG_GROUP_PREFIX, SPRING_TEXT_PARSER } from "./facts";
import { containerLogStatements } from "./iam";

/**
 * aws-for-fluent-bit 0.2.0 (image 3.2.1, Fluent Bit 4.2.2, whose AWS credential chain reads the
 * EKS Pod Identity agent) rather than the CloudWatch Observability add-on: that add-on also
 * installs the CloudWatch agent and Container Insights (metrics Prometheus already has, billed as
 * custom metrics), while the program needs only the logs, into log groups it creates itself.
 */
export const FLUENT_BIT_CHART: PinnedChart = {
    chart: "aws-for-fluent-bit",
    repo: "https://aws.github.io/eks-charts",
    version: "0.2.0",
    checkedAgainst:
        "aws/eks-charts stable/aws-for-fluent-bit values.yaml and templates at 2942cdce (chart 0.2.0, image 3.2.1; priorityClassName is commented in values.yaml and read by templates/daemonset.yaml); rendered with npm run render:addons",
    valuesKeys: [
        "fullnameOverride",
        "serviceAccount.name",
        "priorityClassName",
        "tolerations",
        "resources",
        "service.extraParsers",
        "filter.keepLog",
        "cloudWatchLogs.region",
        "cloudWatchLogs.logGroupName",
        "cloudWatchLogs.logGroupTemplate",
        "cloudWatchLogs.logStreamPrefix",
        "cloudWatchLogs.logStreamTemplate",
        "cloudWatchLogs.autoCreateGroup",
        "cloudWatchLogs.autoRetryRequests",
        "volumes",
        "volumeMounts",
        "serviceMonitor.enabled",
        "podSecurityContext.seccompProfile.type",
        "containerSecurityContext.allowPrivilegeEscalation",
        "containerSecurityContext.capabilities.drop",
        "containerSecurityContext.readOnlyRootFilesystem",
        "containerSecurityContext.seccompProfile.type",
    ],
};

/** Fluent Bit's HTTP server (health and metrics), chart 0.2.0's `service.extraService`. */
const FLUENT_BIT_HTTP_PORT = 2020;
export const FLUENT_BIT_SERVICE_ACCOUNT = "fluent-bit";

export const LOGGING: AddonDeclaration = {
    name: "logging",
    description:
        "Fluent Bit on every node: container logs, JSON parsed with the correlation ids kept as fields, into a KMS-encrypted, cost-tagged log group per namespace.",
    component: "logging",
    namespace: {
        name: "logging",
        podSecurity: "privileged",
        reason: "Fluent Bit tails every container's log files on the node: a hostPath mount of /var/log (read-write for its position database), which baseline forbids, as root (the files are root's); it drops every capability, cannot escalate and runs under the runtime's seccomp profile with a read-only root",
    },
    charts: [FLUENT_BIT_CHART],
    identity: {
        key: "fluent-bit",
        serviceAccount: FLUENT_BIT_SERVICE_ACCOUNT,
        statements: (aws, facts) =>
            containerLogStatements(aws, requireFact(facts, CONTAINER_LOG_GROUP_PREFIX, "logging")),
    },
    dependsOn: ["monitoring"],
    metricsPorts: [FLUENT_BIT_HTTP_PORT],
};

/**
 * Fluent Bit's container inside its privileged namespace: root (the log files under /var/log/pods
 * are root's, mode 0640, which root reads as their owner, so no capability such as DAC_OVERRIDE or
 * DAC_READ_SEARCH is needed) and nothing more. No capability (the default set's NET_RAW and the
 * rest), no privilege escalation, the runtime's seccomp profile, and a read-only root: the image
 * (aws/aws-for-fluent-bit entrypoint.sh and scripts/dockerfiles/runtime/Dockerfile) starts Fluent
 * Bit with its plugins and config and writes nothing, chart 0.2.0's config sets no `storage.path`
 * (buffers stay in memory), and its one file, the tail input's position database
 * `/var/log/flb_kube.db` (values.yaml `input.db`), is on the host's /var/log. The chart's
 * `podSecurityContext` and `containerSecurityContext` are empty by default at 0.2.0.
 */
export const FLUENT_BIT_SECURITY = {
    podSecurityContext: { seccompProfile: { type: "RuntimeDefault" } },
    containerSecurityContext: {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
        readOnlyRootFilesystem: true,
        seccompProfile: { type: "RuntimeDefault" },
    },
};

/** One pod on every node, tolerating every taint (a node's logs are shipped whatever runs on it). */
export const loggingFootprint = (): WorkloadFootprint[] => [
    {
        name: "fluent-bit",
        replicas: "every-node",
        nodes: "all",
        resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
    },
];

export interface LoggingArgs extends Pick<ControllerSettings, "vpcCidr">, AddonPlacement {
    region: string;
    /** `/aws/containers/<cluster>`: each namespace's logs go to `<prefix>/<namespace>`, which the AWS layer creates. */
    logGroupPrefix: string;
}

/**
 * Fluent Bit as a DaemonSet: tails /var/log/containers, adds the pod's namespace, labels (the
 * cost labels among them) and annotations, merges a JSON line into the record under `data`
 * (so `data.trace_id`, `data.request_id` are fields) and drops the raw copy, and writes each
 * namespace to its own log group with the stream per pod and container. The groups are the
 * program's (KMS, retention, tags): Fluent Bit may not create any.
 */
export class Logging extends pulumi.ComponentResource {
    public readonly release: k8s.helm.v3.Release;

    constructor(name: string, args: LoggingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tacos:k8s:Logging", name, {}, opts);
        // The kubernetes filter reads pod metadata from the API server; the output writes to CloudWatch Logs.
        allowPolicies(name, args.namespace, [allowApiServer(args.vpcCidr), allowAwsApis()], args.labels, {
            parent: this,
        });
        this.release = chartRelease(
            `${name}-release`,
            {
                releaseName: "fluent-bit",
                namespace: args.namespace,
                chart: FLUENT_BIT_CHART,
                values: {
                    fullnameOverride: "fluent-bit",
                    serviceAccount: { name: FLUENT_BIT_SERVICE_ACCOUNT },
                    priorityClassName: PRIORITY_CLASSES.platform.name,
                    tolerations: EVERY_NODE_TOLERATIONS,
                    resources: resourcesOf(loggingFootprint(), "fluent-bit"),
                    service: { extraParsers: springTextParser() },
                    // A parsed line keeps only its fields (under `data`): the raw copy would double the ingestion bill.
                    filter: { keepLog: "Off" },
                    cloudWatchLogs: {
                        region: args.region,
                        logGroupTemplate: `${args.logGroupPrefix}/$kubernetes['namespace_name']`,
                        // Where a record without Kubernetes metadata goes: the kube-system group, which exists.
                        logGroupName: `${args.logGroupPrefix}/kube-system`,
                        logStreamTemplate: "$kubernetes['pod_name'].$kubernetes['container_name']",
                        logStreamPrefix: "fluent-bit-",
                        autoCreateGroup: false,
                        autoRetryRequests: true,
                    },
                    // containerd's logs are under /var/log/pods (linked from /var/log/containers): the chart's Docker path is not needed.
                    volumes: [{ name: "varlog", hostPath: { path: "/var/log" } }],
                    volumeMounts: [{ name: "varlog", mountPath: "/var/log" }],
                    serviceMonitor: { enabled: true },
                    ...FLUENT_BIT_SECURITY,
                },
            },
            { parent: this },
        );
        this.registerOutputs({ release: this.release, status: this.release.status });
    }
}

/** The extra parsers file: Spring Boot's text pattern, fields named as the JSON services name them. */
export function springTextParser(): string {
    return [
        "[PARSER]",
        `    Name        ${SPRING_TEXT_PARSER}`,
        "    Format      regex",
        "    Regex       ^(?<time>\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}) \\[(?<thread>[^\\]]*)\\] (?<level>[A-Z]+) +\\[(?<trace_id>[^,\\]]*),(?<span_id>[^\\]]*)\\] (?<logger>\\S+) - (?<msg>.*)$",
        "    Time_Key    time",
        "    Time_Format %Y-%m-%d %H:%M:%S",
        "    Time_Keep   On",
        "",
    ].join("\n");
}

export const loggingAddon: Addon<Logging> = {
    declaration: LOGGING,
    footprint: loggingFootprint,
    install: (ctx, opts) =>
        new Logging(
            "logging",
            {
                namespace: ctx.namespace,
                labels: ctx.labels,
                region: ctx.config.region,
                vpcCidr: controllerSettings(ctx.config).vpcCidr,
                logGroupPrefix: requireFact(ctx.facts, CONTAINER_LOG_GROUP_PREFIX, "logging"),
            },
            opts,
        ),
};
