import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AMBIENT, DATAPLANE_MODE_LABEL } from "../../vocabulary/mesh";
import { AllowRule, allowDns, allowPolicies } from "./network-policies";

import type { PodSecurityLevel } from "../../vocabulary/pod-security-types";

export type { PodSecurityLevel };

export interface NamespaceBaselineArgs {
    /** Namespace name. */
    name: string;
    /** Pod Security Admission level enforced; warn and audit are always `restricted`. */
    enforce: PodSecurityLevel;
    /** Cost labels mirroring the AWS cost tags (and any other labels). */
    labels: Record<string, string>;
    /** Whether to deny all ingress and egress not explicitly allowed. @default true */
    defaultDeny?: boolean;
    /** Allow rules beyond DNS, which every namespace gets. @default [] */
    allow?: AllowRule[];
    /** Hard limits of the namespace's ResourceQuota; none when omitted. */
    quota?: Record<string, string>;
    /** Container limits of the namespace's LimitRange; none when omitted. */
    containerLimits?: k8s.types.input.core.v1.LimitRangeItem;
    /**
     * Whether its pods join Istio's ambient mesh (no sidecars: the Pod Security level holds), with
     * an AuthorizationPolicy that allows nothing, so that each workload admits only what its own
     * policies allow. Needs the mesh's CRDs: depend on the mesh add-on. @default false
     */
    ambientMesh?: boolean;
}

/**
 * Onboards a namespace in one call: Pod Security Admission labels, cost labels, default-deny
 * ingress and egress with DNS allowed, further allow rules, an optional quota and limit range,
 * and optionally the ambient mesh with deny-by-default authorization.
 */
export class NamespaceBaseline extends pulumi.ComponentResource {
    public readonly namespace: k8s.core.v1.Namespace;
    /** The namespace name, known once the namespace exists. */
    public readonly name: pulumi.Output<string>;

    constructor(name: string, args: NamespaceBaselineArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tacos:k8s:NamespaceBaseline", name, {}, opts);
        const parent = { parent: this };
        const labels = { ...args.labels, "app.kubernetes.io/managed-by": "pulumi" };
        this.namespace = new k8s.core.v1.Namespace(
            `${name}-namespace`,
            {
                metadata: {
                    name: args.name,
                    labels: {
                        ...labels,
                        "pod-security.kubernetes.io/enforce": args.enforce,
                        "pod-security.kubernetes.io/enforce-version": "latest",
                        "pod-security.kubernetes.io/warn": "restricted",
                        "pod-security.kubernetes.io/warn-version": "latest",
                        "pod-security.kubernetes.io/audit": "restricted",
                        "pod-security.kubernetes.io/audit-version": "latest",
                        ...(args.ambientMesh ? { [DATAPLANE_MODE_LABEL]: AMBIENT } : {}),
                    },
                },
            },
            parent,
        );
        this.name = this.namespace.metadata.name;
        const inNamespace = { parent: this, dependsOn: [this.namespace] };

        if (args.defaultDeny ?? true) {
            new k8s.networking.v1.NetworkPolicy(
                `${name}-default-deny`,
                {
                    metadata: { name: "default-deny", namespace: this.name, labels },
                    spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
                },
                inNamespace,
            );
        }
        allowPolicies(`${name}-allow`, this.name, [allowDns(), ...(args.allow ?? [])], labels, inNamespace);
        if (args.ambientMesh) {
            new k8s.apiextensions.CustomResource(
                `${name}-allow-nothing`,
                {
                    apiVersion: "security.istio.io/v1",
                    kind: "AuthorizationPolicy",
                    metadata: { name: "allow-nothing", namespace: this.name, labels },
                    spec: {},
                },
                inNamespace,
            );
        }
        if (args.quota) {
            new k8s.core.v1.ResourceQuota(
                `${name}-quota`,
                {
                    metadata: { name: "compute", namespace: this.name, labels },
                    spec: { hard: args.quota },
                },
                inNamespace,
            );
        }
        if (args.containerLimits) {
            new k8s.core.v1.LimitRange(
                `${name}-limits`,
                {
                    metadata: { name: "container-limits", namespace: this.name, labels },
                    spec: { limits: [args.containerLimits] },
                },
                inNamespace,
            );
        }
        this.registerOutputs({ name: this.name, namespace: this.namespace });
    }
}
