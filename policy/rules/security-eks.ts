/**
 * Security rules for the EKS cluster itself: secrets encrypted, every control-plane log, a
 * private endpoint, API authentication with no implied admin, and a Kubernetes version in
 * standard support. Each reads the cluster in both shapes through vocabulary/eks.ts.
 */
import {
    clusterAuthentication,
    clusterEndpoint,
    clusterLogTypes,
    clusterSecretsKey,
    clusterVersion,
} from "../../vocabulary/eks";
import {
    CONTROL_PLANE_LOG_TYPES,
    daysOfStandardSupportLeft,
    KUBERNETES_VERSIONS,
    KubernetesVersion,
    SUPPORTED_KUBERNETES_VERSIONS,
} from "../../vocabulary/versions";
import type { LayeredResourcePolicy } from "./layers";

export const eksSecretsEncryption: LayeredResourcePolicy = {
    name: "eks-secrets-encryption",
    layer: "aws",
    description: "Checks whether EKS clusters encrypt Kubernetes secrets with a KMS key.",
    validateResource: (args, report) => {
        const key = clusterSecretsKey(args.type, args.props);
        if (key && !key.keyArn) {
            report(
                "The EKS cluster must encrypt secrets with a KMS key (encryptionConfig; encryptionConfigKeyArn on the eks component).",
            );
        }
    },
};

export const eksControlPlaneLogging: LayeredResourcePolicy = {
    name: "eks-control-plane-logging",
    layer: "aws",
    description: "Checks whether EKS clusters send all five control-plane log types to CloudWatch.",
    validateResource: (args, report) => {
        const logTypes = clusterLogTypes(args.type, args.props);
        const missing = logTypes ? CONTROL_PLANE_LOG_TYPES.filter((t) => !logTypes.includes(t)) : [];
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
        const eks = clusterEndpoint(args.type, args.props);
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

export const eksApiAuthentication: LayeredResourcePolicy = {
    name: "eks-api-authentication",
    layer: "aws",
    description:
        "Checks whether EKS clusters authenticate through access entries only (mode API, no aws-auth ConfigMap) and give whoever creates them no implied admin entry.",
    validateResource: (args, report) => {
        const auth = clusterAuthentication(args.type, args.props);
        if (!auth) return;
        if (auth.mode !== "API") {
            report(
                `The EKS cluster must use the authentication mode API (an access entry per principal); it uses ${auth.mode ?? "the default"}.`,
            );
        }
        if (auth.creatorAdmin) {
            report(
                "The EKS cluster must not make its creator an admin: set accessConfig.bootstrapClusterCreatorAdminPermissions to false.",
            );
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
        const eks = clusterVersion(args.type, args.props);
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
