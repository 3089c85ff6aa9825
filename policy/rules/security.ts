/**
 * Security rules: EKS, KMS, SQS, IAM, node groups, security groups, Kubernetes workloads,
 * services, namespaces, network isolation and Argo CD projects.
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { containersOf, isKind, kindOf, objectName, podTemplate, WORKLOAD_KINDS } from "./kubernetes";
import { APPLICATION_NAMESPACES, CONTROL_PLANE_LOG_TYPES, SUPPORTED_KUBERNETES_VERSIONS, UNSCOPABLE_ACTIONS } from "./settings";
import { asList, parseJson } from "./values";

const EKS_COMPONENT = "eks:index:Cluster";
const EKS_CLUSTER = "aws:eks/cluster:Cluster";

/** The EKS settings a rule needs, from either the @pulumi/eks component or a raw aws.eks.Cluster. */
function eksSettings(type: string, props: Record<string, any>) {
    if (type === EKS_COMPONENT) {
        return {
            encryptionKey: props.encryptionConfigKeyArn,
            logTypes: asList<string>(props.enabledClusterLogTypes),
            publicAccess: props.endpointPublicAccess !== false,
            publicCidrs: asList<string>(props.publicAccessCidrs),
            version: props.version,
        };
    }
    if (type === EKS_CLUSTER) {
        return {
            encryptionKey: props.encryptionConfig?.provider?.keyArn,
            logTypes: asList<string>(props.enabledClusterLogTypes),
            publicAccess: props.vpcConfig?.endpointPublicAccess !== false,
            publicCidrs: asList<string>(props.vpcConfig?.publicAccessCidrs),
            version: props.version,
        };
    }
    return undefined;
}

export const eksSecretsEncryption: ResourceValidationPolicy = {
    name: "eks-secrets-encryption",
    description: "Checks whether EKS clusters encrypt Kubernetes secrets with a KMS key.",
    validateResource: (args, report) => {
        const eks = eksSettings(args.type, args.props);
        if (eks && !eks.encryptionKey) {
            report("The EKS cluster must encrypt secrets with a KMS key (encryptionConfigKeyArn).");
        }
    },
};

export const eksControlPlaneLogging: ResourceValidationPolicy = {
    name: "eks-control-plane-logging",
    description: "Checks whether EKS clusters send all five control-plane log types to CloudWatch.",
    validateResource: (args, report) => {
        const eks = eksSettings(args.type, args.props);
        const missing = eks ? CONTROL_PLANE_LOG_TYPES.filter((t) => !eks.logTypes.includes(t)) : [];
        if (missing.length > 0) {
            report(`The EKS cluster must enable every control-plane log type; missing: ${missing.join(", ")}.`);
        }
    },
};

export const eksEndpointNotPublic: ResourceValidationPolicy = {
    name: "eks-endpoint-not-public",
    description: "Checks whether the EKS API endpoint is private, or public only to named CIDRs where the stack allows that.",
    configSchema: { properties: { allowPublicEndpoint: { type: "boolean", default: false } } },
    validateResource: (args, report) => {
        const eks = eksSettings(args.type, args.props);
        if (!eks || !eks.publicAccess) {
            return;
        }
        const { allowPublicEndpoint } = args.getConfig<{ allowPublicEndpoint?: boolean }>();
        if (!allowPublicEndpoint) {
            report("The EKS API endpoint must not be public in this stack (endpointPublicAccess: false).");
        } else if (eks.publicCidrs.length === 0 || eks.publicCidrs.some((c) => /\/0$/.test(c))) {
            report("A public EKS API endpoint must be limited to named CIDRs, never 0.0.0.0/0.");
        }
    },
};

export const eksSupportedVersion: ResourceValidationPolicy = {
    name: "eks-supported-version",
    description: "Checks whether EKS clusters run a Kubernetes version in standard support.",
    configSchema: { properties: { supportedVersions: { type: "array", items: { type: "string" }, default: [...SUPPORTED_KUBERNETES_VERSIONS] } } },
    validateResource: (args, report) => {
        const eks = eksSettings(args.type, args.props);
        const supported = args.getConfig<{ supportedVersions?: string[] }>().supportedVersions ?? [...SUPPORTED_KUBERNETES_VERSIONS];
        if (eks && !supported.includes(eks.version)) {
            report(`The EKS cluster must pin a supported Kubernetes version (${supported.join(", ")}); it has ${eks.version ?? "none"}.`);
        }
    },
};

export const kmsKeyRotation: ResourceValidationPolicy = {
    name: "kms-key-rotation",
    description: "Checks whether customer-managed KMS keys rotate automatically.",
    validateResource: (args, report) => {
        if (args.type === "aws:kms/key:Key" && args.props.enableKeyRotation !== true && (args.props.customerMasterKeySpec ?? args.props.keySpec ?? "SYMMETRIC_DEFAULT") === "SYMMETRIC_DEFAULT") {
            report("KMS keys must rotate: set enableKeyRotation to true.");
        }
    },
};

export const sqsEncryption: ResourceValidationPolicy = {
    name: "sqs-encryption",
    description: "Checks whether SQS queues are encrypted at rest.",
    validateResource: (args, report) => {
        if (args.type === "aws:sqs/queue:Queue" && args.props.sqsManagedSseEnabled !== true && !args.props.kmsMasterKeyId) {
            report("SQS queues must be encrypted at rest (sqsManagedSseEnabled or kmsMasterKeyId).");
        }
    },
};

/** True for a statement that denies every request made without TLS. */
function deniesInsecureTransport(statement: Record<string, any>): boolean {
    const condition = statement.Condition?.Bool?.["aws:SecureTransport"];
    return statement.Effect === "Deny" && (statement.Principal === "*" || statement.Principal?.AWS === "*") && String(condition) === "false";
}

export const sqsTlsOnly: StackValidationPolicy = {
    name: "sqs-tls-only",
    description: "Checks whether every SQS queue has a queue policy that denies access without TLS.",
    validateStack: (args, report) => {
        const policies = args.resources.filter((r) => r.type === "aws:sqs/queuePolicy:QueuePolicy");
        for (const queue of args.resources.filter((r) => r.type === "aws:sqs/queue:Queue")) {
            const own = policies.filter((p) => p.dependencies.some((d) => d.urn === queue.urn));
            const denies = own.some((p) => asList(parseJson(p.props.policy)?.Statement).some(deniesInsecureTransport));
            if (!denies) {
                report(`Queue ${queue.name} must have a queue policy denying aws:SecureTransport = false.`, queue.urn);
            }
        }
    },
};

const IDENTITY_POLICY_TYPES = ["aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy", "aws:iam/userPolicy:UserPolicy", "aws:iam/groupPolicy:GroupPolicy"];

export const iamNoWildcardActions: ResourceValidationPolicy = {
    name: "iam-no-wildcard-actions",
    description: "Checks whether IAM policies allow no `*` action, whole or per service.",
    validateResource: (args, report) => {
        if (!IDENTITY_POLICY_TYPES.includes(args.type)) return;
        for (const s of asList(parseJson(args.props.policy)?.Statement)) {
            const wild = asList<string>(s.Action).filter((a) => a.includes("*"));
            if (s.Effect === "Allow" && (wild.length > 0 || s.NotAction)) {
                report(`IAM policies must name every action they allow; found ${wild.length > 0 ? wild.join(", ") : "NotAction"}.`);
            }
        }
    },
};

export const iamNoWildcardResources: ResourceValidationPolicy = {
    name: "iam-no-wildcard-resources",
    description: "Checks whether IAM policies grant on `Resource: \"*\"` only actions that AWS cannot scope.",
    configSchema: { properties: { unscopableActions: { type: "array", items: { type: "string" }, default: [...UNSCOPABLE_ACTIONS] } } },
    validateResource: (args, report) => {
        if (!IDENTITY_POLICY_TYPES.includes(args.type)) return;
        const allowed = args.getConfig<{ unscopableActions?: string[] }>().unscopableActions ?? [...UNSCOPABLE_ACTIONS];
        for (const s of asList(parseJson(args.props.policy)?.Statement)) {
            if (s.Effect !== "Allow" || !asList<string>(s.Resource).includes("*")) continue;
            const scopable = asList<string>(s.Action).filter((a) => !allowed.includes(a));
            if (scopable.length > 0) {
                report(`Actions that can be scoped must name their resources, not "*": ${scopable.join(", ")}.`);
            }
        }
    },
};

export const iamTrustNotOpen: ResourceValidationPolicy = {
    name: "iam-trust-not-open",
    description: "Checks whether IAM role trust policies name their principals instead of trusting everyone.",
    validateResource: (args, report) => {
        if (args.type !== "aws:iam/role:Role") return;
        for (const s of asList(parseJson(args.props.assumeRolePolicy)?.Statement)) {
            const principal = s.Principal;
            const open = principal === "*" || asList(principal?.AWS).includes("*");
            if (s.Effect === "Allow" && open && !s.Condition) {
                report("A role's trust policy must name the principals that may assume it, not \"*\".");
            }
        }
    },
};

export const nodeGroupNoSsh: ResourceValidationPolicy = {
    name: "node-group-no-ssh",
    description: "Checks whether node groups and their launch templates allow no SSH access.",
    validateResource: (args, report) => {
        if (args.type === "aws:eks/nodeGroup:NodeGroup" && args.props.remoteAccess) {
            report("Node groups must not allow SSH: remove remoteAccess.");
        }
        if (args.type === "aws:ec2/launchTemplate:LaunchTemplate" && args.props.keyName) {
            report("Launch templates of nodes must not carry an SSH key pair (keyName).");
        }
    },
};

const WEB_PORTS = [80, 443];

export const securityGroupNoOpenIngress: ResourceValidationPolicy = {
    name: "security-group-no-open-ingress",
    description: "Checks whether security groups admit the internet (0.0.0.0/0 or ::/0) only on HTTP and HTTPS.",
    validateResource: (args, report) => {
        const rules: Record<string, any>[] =
            args.type === "aws:ec2/securityGroup:SecurityGroup" ? asList(args.props.ingress)
            : args.type === "aws:ec2/securityGroupRule:SecurityGroupRule" && args.props.type === "ingress" ? [args.props]
            : args.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" ? [{ ...args.props, cidrBlocks: asList(args.props.cidrIpv4), ipv6CidrBlocks: asList(args.props.cidrIpv6) }]
            : [];
        for (const rule of rules) {
            const open = [...asList<string>(rule.cidrBlocks), ...asList<string>(rule.ipv6CidrBlocks)].some((c) => c === "0.0.0.0/0" || c === "::/0");
            const onlyWeb = WEB_PORTS.includes(rule.fromPort) && rule.fromPort === rule.toPort;
            if (open && !onlyWeb) {
                report(`Security groups may admit the internet only on ports 80 and 443; this rule opens ${rule.fromPort}-${rule.toPort}.`);
            }
        }
    },
};

/** Runs `check` on every container of a workload object, reporting with the container named. */
function eachContainer(check: (pod: Record<string, any>, container: Record<string, any>) => string | undefined): ResourceValidationPolicy["validateResource"] {
    return (args, report) => {
        if (!isKind(args.type, ...WORKLOAD_KINDS)) return;
        const template = podTemplate(args.type, args.props);
        if (!template?.spec) return;
        for (const { name, container } of containersOf(template.spec)) {
            const problem = check(template.spec, container);
            if (problem) report(`${kindOf(args.type)} ${objectName(args.props)}, container ${name}: ${problem}`);
        }
    };
}

export const k8sRunAsNonRoot: ResourceValidationPolicy = {
    name: "k8s-run-as-non-root",
    description: "Checks whether every container runs as a non-root user.",
    validateResource: eachContainer((pod, c) =>
        (c.securityContext?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot) === true && (c.securityContext?.runAsUser ?? pod.securityContext?.runAsUser) !== 0
            ? undefined : "must run as non-root (runAsNonRoot: true, runAsUser not 0)."),
};

export const k8sNoPrivilegeEscalation: ResourceValidationPolicy = {
    name: "k8s-no-privilege-escalation",
    description: "Checks whether every container forbids privilege escalation.",
    validateResource: eachContainer((_pod, c) => (c.securityContext?.allowPrivilegeEscalation === false ? undefined : "must set allowPrivilegeEscalation: false.")),
};

export const k8sDropAllCapabilities: ResourceValidationPolicy = {
    name: "k8s-drop-all-capabilities",
    description: "Checks whether every container drops ALL Linux capabilities and adds none beyond NET_BIND_SERVICE.",
    validateResource: eachContainer((_pod, c) => {
        const caps = c.securityContext?.capabilities ?? {};
        if (!asList<string>(caps.drop).includes("ALL")) return "must drop ALL capabilities.";
        const added = asList<string>(caps.add).filter((a) => a !== "NET_BIND_SERVICE");
        return added.length > 0 ? `must not add capabilities (${added.join(", ")}).` : undefined;
    }),
};

export const k8sSeccompRuntimeDefault: ResourceValidationPolicy = {
    name: "k8s-seccomp-runtime-default",
    description: "Checks whether every container runs under the RuntimeDefault (or a Localhost) seccomp profile.",
    validateResource: eachContainer((pod, c) => {
        const type = c.securityContext?.seccompProfile?.type ?? pod.securityContext?.seccompProfile?.type;
        return type === "RuntimeDefault" || type === "Localhost" ? undefined : "must use seccompProfile RuntimeDefault.";
    }),
};

export const k8sReadOnlyRootFilesystem: ResourceValidationPolicy = {
    name: "k8s-read-only-root-filesystem",
    description: "Checks whether every container's root filesystem is read-only.",
    validateResource: eachContainer((_pod, c) => (c.securityContext?.readOnlyRootFilesystem === true ? undefined : "must set readOnlyRootFilesystem: true (mount an emptyDir where it writes).")),
};

export const k8sNoHostAccess: ResourceValidationPolicy = {
    name: "k8s-no-host-access",
    description: "Checks whether pods use no host namespaces, host ports, hostPath volumes or privileged containers.",
    validateResource: (args, report) => {
        if (!isKind(args.type, ...WORKLOAD_KINDS)) return;
        const spec = podTemplate(args.type, args.props)?.spec;
        if (!spec) return;
        const where = `${kindOf(args.type)} ${objectName(args.props)}`;
        for (const key of ["hostNetwork", "hostPID", "hostIPC"]) {
            if (spec[key] === true) report(`${where} must not use ${key}.`);
        }
        for (const volume of asList<Record<string, any>>(spec.volumes)) {
            if (volume.hostPath) report(`${where} must not mount the host path of volume ${volume.name}.`);
        }
        for (const { name, container } of containersOf(spec)) {
            if (container.securityContext?.privileged === true) report(`${where}, container ${name}: must not be privileged.`);
            for (const port of asList<Record<string, any>>(container.ports)) {
                if (port.hostPort) report(`${where}, container ${name}: must not bind host port ${port.hostPort}.`);
            }
        }
    },
};

export const k8sPinnedImages: ResourceValidationPolicy = {
    name: "k8s-pinned-images",
    description: "Checks whether every container image is pinned by an immutable tag or a digest, never latest or untagged.",
    validateResource: eachContainer((_pod, c) => {
        const image = String(c.image ?? "");
        if (/@sha256:[0-9a-f]{64}$/.test(image)) return undefined;
        const tag = /:([^/:@]+)$/.exec(image)?.[1];
        return tag && tag !== "latest" ? undefined : `image ${image || "(none)"} must carry an immutable tag or digest.`;
    }),
};

export const k8sNoExternalServicesInApps: ResourceValidationPolicy = {
    name: "k8s-no-node-port-services",
    description: "Checks whether Services in application namespaces are ClusterIP only (no NodePort or LoadBalancer).",
    configSchema: { properties: { namespaces: { type: "array", items: { type: "string" }, default: [...APPLICATION_NAMESPACES] } } },
    validateResource: (args, report) => {
        if (!isKind(args.type, "Service")) return;
        const namespaces = args.getConfig<{ namespaces?: string[] }>().namespaces ?? [...APPLICATION_NAMESPACES];
        const type = args.props.spec?.type ?? "ClusterIP";
        if (namespaces.includes(args.props.metadata?.namespace) && (type === "NodePort" || type === "LoadBalancer")) {
            report(`Service ${objectName(args.props)} must be ClusterIP; traffic enters through the Gateway.`);
        }
    },
};

export const k8sAllowedNamespaces: ResourceValidationPolicy = {
    name: "k8s-allowed-namespaces",
    description: "Checks whether Kubernetes objects and Helm releases use only the allowed namespaces.",
    configSchema: { properties: { allowedNamespaces: { type: "array", items: { type: "string" } } }, required: ["allowedNamespaces"] },
    validateResource: (args, report) => {
        if (!args.type.startsWith("kubernetes:") || args.type.startsWith("kubernetes:yaml")) return;
        const allowed = args.getConfig<{ allowedNamespaces: string[] }>().allowedNamespaces;
        const namespace = kindOf(args.type) === "Namespace" ? args.props.metadata?.name : args.type.startsWith("kubernetes:helm.sh") ? args.props.namespace : args.props.metadata?.namespace;
        if (namespace !== undefined && !allowed.includes(namespace)) {
            report(`Namespace ${namespace} is not one of the allowed namespaces (${allowed.join(", ")}).`);
        }
    },
};

/** True for a NetworkPolicy that selects every pod and allows nothing in either direction. */
export function isDefaultDeny(props: Record<string, any>): boolean {
    const spec = props.spec ?? {};
    const types = asList<string>(spec.policyTypes);
    return Object.keys(spec.podSelector ?? { x: 1 }).length === 0 && types.includes("Ingress") && types.includes("Egress") && asList(spec.ingress).length === 0 && asList(spec.egress).length === 0;
}

export const k8sDefaultDenyNetworkPolicy: StackValidationPolicy = {
    name: "k8s-default-deny-network-policy",
    description: "Checks whether every namespace the stack creates has a default-deny NetworkPolicy for ingress and egress.",
    validateStack: (args, report) => {
        const policies = args.resources.filter((r) => isKind(r.type, "NetworkPolicy"));
        for (const ns of args.resources.filter((r) => isKind(r.type, "Namespace"))) {
            const name = ns.props.metadata?.name;
            if (!policies.some((p) => p.props.metadata?.namespace === name && isDefaultDeny(p.props))) {
                report(`Namespace ${name} must have a default-deny NetworkPolicy (podSelector {}, Ingress and Egress, no rules).`, ns.urn);
            }
        }
    },
};

export const argocdProjectNoWildcards: ResourceValidationPolicy = {
    name: "argocd-project-no-wildcards",
    description: "Checks whether Argo CD AppProjects name their source repositories, destinations and cluster-scoped kinds instead of allowing `*`.",
    validateResource: (args, report) => {
        if (!isKind(args.type, "AppProject")) return;
        const spec = args.props.spec ?? {};
        const wild = (v: unknown) => typeof v === "string" && v.includes("*");
        if (asList(spec.sourceRepos).some(wild)) report(`AppProject ${objectName(args.props)}: sourceRepos must name repositories, not "*".`);
        if (asList<Record<string, any>>(spec.destinations).some((d) => wild(d.namespace) || wild(d.server) || wild(d.name))) {
            report(`AppProject ${objectName(args.props)}: destinations must name namespaces and clusters, not "*".`);
        }
        if (asList<Record<string, any>>(spec.clusterResourceWhitelist).some((k) => wild(k.group) || wild(k.kind))) {
            report(`AppProject ${objectName(args.props)}: clusterResourceWhitelist must not allow "*".`);
        }
        if (asList<Record<string, any>>(spec.namespaceResourceWhitelist).some((k) => wild(k.kind))) {
            report(`AppProject ${objectName(args.props)}: namespaceResourceWhitelist must name its kinds.`);
        }
    },
};

export const SECURITY_POLICIES = [
    eksSecretsEncryption,
    eksControlPlaneLogging,
    eksEndpointNotPublic,
    eksSupportedVersion,
    kmsKeyRotation,
    sqsEncryption,
    sqsTlsOnly,
    iamNoWildcardActions,
    iamNoWildcardResources,
    iamTrustNotOpen,
    nodeGroupNoSsh,
    securityGroupNoOpenIngress,
    k8sRunAsNonRoot,
    k8sNoPrivilegeEscalation,
    k8sDropAllCapabilities,
    k8sSeccompRuntimeDefault,
    k8sReadOnlyRootFilesystem,
    k8sNoHostAccess,
    k8sPinnedImages,
    k8sNoExternalServicesInApps,
    k8sAllowedNamespaces,
    k8sDefaultDenyNetworkPolicy,
    argocdProjectNoWildcards,
];
