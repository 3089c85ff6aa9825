/**
 * Every rule of the pack, grouped by area, each scoped to the layers of the stack it judges
 * (rules/layers.ts): a stack without its cluster layer, as a bootstrap run is, is judged by the
 * checks of its profile and its AWS layer only. This module does not construct the PolicyPack.
 */
import type { Policies } from "@pulumi/policy";
import { LayeredPolicy, scopeToLayers } from "./rules/layers";
import { FINOPS_POLICIES } from "./rules/finops";
import { PERFORMANCE_CAPACITY_POLICIES } from "./rules/performance-capacity";
import { PERFORMANCE_LATENCY_POLICIES } from "./rules/performance-latency";
import { PERFORMANCE_RELEASE_POLICIES } from "./rules/performance-releases";
import { PERFORMANCE_WORKLOAD_POLICIES } from "./rules/performance-workloads";
import { ARGOCD_SECURITY_POLICIES } from "./rules/security-argocd";
import { AWS_SECURITY_POLICIES } from "./rules/security-aws";
import { KUBERNETES_SECURITY_POLICIES } from "./rules/security-kubernetes";
import { MESH_NODE_POLICIES } from "./rules/security-mesh-nodes";

/** The rules of one area, as the pack runs them. */
const scoped = (rules: LayeredPolicy[]): LayeredPolicy[] => rules.map(scopeToLayers);

/** The pack's rules by area: security, finops, performance. */
export const POLICY_GROUPS = {
    security: scoped([
        ...AWS_SECURITY_POLICIES,
        ...KUBERNETES_SECURITY_POLICIES,
        ...ARGOCD_SECURITY_POLICIES,
        ...MESH_NODE_POLICIES,
    ]),
    finops: scoped(FINOPS_POLICIES),
    performance: scoped([
        ...PERFORMANCE_WORKLOAD_POLICIES,
        ...PERFORMANCE_CAPACITY_POLICIES,
        ...PERFORMANCE_LATENCY_POLICIES,
        ...PERFORMANCE_RELEASE_POLICIES,
    ]),
};

/** Every rule of the pack, as the pack runs them. */
export const ALL_POLICIES: Policies = Object.values(POLICY_GROUPS).flat();
