/**
 * Security rules for Kubernetes workloads: the restricted Pod Security controls the platform
 * requires of every pod, checked by the one Pod Security engine (vocabulary/pod-security.ts,
 * PSA's own checks), plus what the standards do not cover: a read-only root filesystem and
 * pinned images.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { LayeredResourcePolicy } from "./layers";
import { podSecurityCheckFindings, PodMetadata, PodSpec } from "../../vocabulary/pod-security";
import { containersOf, isKind, kindOf, objectName, podTemplate, WORKLOAD_KINDS } from "./kubernetes";

/** The pod template of a workload object, with the name reports give it; undefined for other objects. */
function workloadPod(args: { type: string; props: Record<string, any> }) {
    if (!isKind(args.type, ...WORKLOAD_KINDS)) return undefined;
    const template = podTemplate(args.type, args.props);
    if (!template?.spec) return undefined;
    return { template, where: `${kindOf(args.type)} ${objectName(args.props)}` };
}

/**
 * A rule that reports what the Pod Security checks `checkIds` (PSA's check ids) find in every
 * workload's pod: each report names the check, the pod or container, and the field that must change.
 */
function podSecurityRule(
    name: string,
    description: string,
    checkIds: readonly string[],
): LayeredResourcePolicy {
    return {
        name,
        layer: "cluster",
        description,
        validateResource: (args, report) => {
            const pod = workloadPod(args);
            if (!pod) return;
            const { spec, metadata } = pod.template;
            for (const finding of podSecurityCheckFindings(
                checkIds,
                spec as PodSpec,
                metadata as PodMetadata,
            ))
                report(`${pod.where}: ${finding.message}`);
        },
    };
}

/** Runs `check` on every container of a workload object, reporting with the container named. */
function eachContainer(
    check: (container: Record<string, any>) => string | undefined,
): ResourceValidationPolicy["validateResource"] {
    return (args, report) => {
        const pod = workloadPod(args);
        if (!pod) return;
        for (const { name, container } of containersOf(pod.template.spec)) {
            const problem = check(container);
            if (problem) report(`${pod.where}, container ${name}: ${problem}`);
        }
    };
}

export const k8sRunAsNonRoot = podSecurityRule(
    "k8s-run-as-non-root",
    "Checks whether every container runs as a non-root user.",
    ["runAsNonRoot", "runAsUser"],
);

export const k8sNoPrivilegeEscalation = podSecurityRule(
    "k8s-no-privilege-escalation",
    "Checks whether every container forbids privilege escalation.",
    ["allowPrivilegeEscalation"],
);

export const k8sDropAllCapabilities = podSecurityRule(
    "k8s-drop-all-capabilities",
    "Checks whether every container drops ALL Linux capabilities and adds none beyond NET_BIND_SERVICE.",
    ["capabilities_restricted"],
);

export const k8sSeccompRuntimeDefault = podSecurityRule(
    "k8s-seccomp-runtime-default",
    "Checks whether every container runs under the RuntimeDefault (or a Localhost) seccomp profile.",
    ["seccompProfile_restricted"],
);

export const k8sNoHostAccess = podSecurityRule(
    "k8s-no-host-access",
    "Checks whether pods use no host namespaces, host ports, hostPath volumes or privileged containers.",
    ["hostNamespaces", "hostPathVolumes", "privileged", "hostPorts"],
);

/** Not a control of the Pod Security Standards: the platform's own requirement. */
export const k8sReadOnlyRootFilesystem: LayeredResourcePolicy = {
    name: "k8s-read-only-root-filesystem",
    layer: "cluster",
    description: "Checks whether every container's root filesystem is read-only.",
    validateResource: eachContainer((c) =>
        c.securityContext?.readOnlyRootFilesystem === true
            ? undefined
            : "must set readOnlyRootFilesystem: true (mount an emptyDir where it writes).",
    ),
};

export const k8sPinnedImages: LayeredResourcePolicy = {
    name: "k8s-pinned-images",
    layer: "cluster",
    description:
        "Checks whether every container image is pinned by an immutable tag or a digest, never latest or untagged.",
    validateResource: eachContainer((c) => {
        const image = String(c.image ?? "");
        if (/@sha256:[0-9a-f]{64}$/.test(image)) return undefined;
        const tag = /:([^/:@]+)$/.exec(image)?.[1];
        return tag && tag !== "latest"
            ? undefined
            : `image ${image || "(none)"} must carry an immutable tag or digest.`;
    }),
};
