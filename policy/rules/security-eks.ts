/**
 * Security rules for the EKS cluster itself: secrets encrypted, every control-plane log, a
 * private endpoint, and a Kubernetes version in standard support.
 */
import { asList } from "../../vocabulary/values";
import {
    CONTROL_PLANE_LOG_TYPES,
    daysOfStandardSupportLeft,
    KUBERNETES_VERSIONS,
    KubernetesVersion,
    SUPPORTED_KUBERNETES_VERSIONS,
} from "../../vocabulary/versions";
import type { LayeredResourcePolicy } from "./layers";

/** The EKS settings a rule needs, from an aws.eks.Cluster; undefined for other resources. */
function eksSettings(type: string, props: Record<string, any>) {
    if (type !== "aws:eks/cluster:Cluster") return undefined;
    return {
        encryptionKey: props.encryptionConfig?.provider?.keyArn,
        logTypes: asList<string>(props.enabledClusterLogTypes),
        publicAccess: props.vpcConfig?.endpointPublicAccess !== false,
        publicCidrs: asList<string>(props.vpcConfig?.publicAccessCidrs),
        version: props.version as string | undefined,
        supportType: props.upgradePolicy?.supportType as string | undefined,
    };
}

export const eksSecretsEncryption: LayeredResourcePolicy = {
    name: "eks-secrets-encryption",
    layer: "aws",
    description: "Checks whether EKS clusters encrypt Kubernetes secrets with a KMS key.",
    validateResource: (args, report) => {
        const eks = eksSettings(args.type, args.props);
        if (eks && !eks.encryptionKey) {
            report("The EKS cluster must encrypt secrets with a KMS key (encryptionConfig).");
        }
    },
};

export const eksControlPlaneLogging: LayeredResourcePolicy = {
    name: "eks-control-plane-logging",
    layer: "aws",
    description: "Checks whether EKS clusters send all five control-plane log types to CloudWatch.",
    validateResource: (args, report) => {
        const eks = eksSettings(args.type, args.props);
        const missing = eks ? CONTROL_PLANE_LOG_TYPES.filter((t) => !eks.logTypes.includes(t)) : [];
        if (missing.length > 0) {
            report(
                `The EKS cluster must enable every control-plane log type; missing: ${missing.join(", ")}.`,
            );
        }
    },
};

export const eksEndpointNotPublic: LayeredResourcePolicy = {
    name: "eks-endpoint-not-public",
    layer: "aws",
    description:
        "Checks whether the EKS API endpoint is private, or public only to named CIDRs where the stack allows that.",
    configSchema: { properties: { allowPublicEndpoint: { type: "boolean", default: false } } },
    validateResource: (args, report) => {
        const eks = eksSettings(args.type, args.props);
        if (!eks || !eks.publicAccess) {
            return;
        }
        const { allowPublicEndpoint } = args.getConfig<{ allowPublicEndpoint?: boolean }>();
        if (!allowPublicEndpoint) {
            report(
                "The EKS API endpoint must not be public in this stack (vpcConfig.endpointPublicAccess: false).",
            );
        } else if (eks.publicCidrs.length === 0 || eks.publicCidrs.some((c) => /\/0$/.test(c))) {
            report("A public EKS API endpoint must be limited to named CIDRs, never 0.0.0.0/0.");
        }
    },
};

export const eksSupportedVersion: LayeredResourcePolicy = {
    name: "eks-supported-version",
    layer: "aws",
    description:
        "Checks whether EKS clusters run a Kubernetes version that stays in standard support for the configured number of days, on the STANDARD support type (never billed as extended support).",
    configSchema: {
        properties: {
            minDaysOfStandardSupport: { type: "integer", minimum: 0, default: 60 },
            asOf: { type: "string", description: "The date to judge from (YYYY-MM-DD); today when unset." },
        },
    },
    validateResource: (args, report) => {
        const eks = eksSettings(args.type, args.props);
        if (!eks) return;
        const { minDaysOfStandardSupport = 60, asOf } = args.getConfig<{
            minDaysOfStandardSupport?: number;
            asOf?: string;
        }>();
        const today = asOf ? new Date(`${asOf}T00:00:00Z`) : new Date();
        const left = eks.version === undefined ? undefined : daysOfStandardSupportLeft(eks.version, today);
        if (left === undefined) {
            report(
                `The EKS cluster must pin a Kubernetes version from the platform's table (${SUPPORTED_KUBERNETES_VERSIONS.join(", ")}); it has ${eks.version ?? "none"}.`,
            );
        } else if (left < minDaysOfStandardSupport) {
            const end = KUBERNETES_VERSIONS[eks.version as KubernetesVersion].endOfStandardSupport;
            report(
                `Kubernetes ${eks.version} leaves EKS standard support on ${end} (${left} days from ${today.toISOString().slice(0, 10)}); it must have at least ${minDaysOfStandardSupport}: upgrade the cluster.`,
            );
        }
        if (eks.supportType !== "STANDARD") {
            report(
                `The EKS cluster must set upgradePolicy.supportType to STANDARD; without it, EKS bills extended support (six times the control-plane price) once the version leaves standard support.`,
            );
        }
    },
};
