/** Every rule of the pack, grouped by area. This module does not construct the PolicyPack. */
import type { Policies } from "@pulumi/policy";
import { FINOPS_POLICIES } from "./rules/finops";
import { PERFORMANCE_CAPACITY_POLICIES } from "./rules/performance-capacity";
import { PERFORMANCE_LATENCY_POLICIES } from "./rules/performance-latency";
import { PERFORMANCE_RELEASE_POLICIES } from "./rules/performance-releases";
import { PERFORMANCE_WORKLOAD_POLICIES } from "./rules/performance-workloads";
import { AWS_SECURITY_POLICIES } from "./rules/security-aws";
import { KUBERNETES_SECURITY_POLICIES } from "./rules/security-kubernetes";

export const POLICY_GROUPS = {
    security: [...AWS_SECURITY_POLICIES, ...KUBERNETES_SECURITY_POLICIES],
    finops: FINOPS_POLICIES,
    performance: [
        ...PERFORMANCE_WORKLOAD_POLICIES,
        ...PERFORMANCE_CAPACITY_POLICIES,
        ...PERFORMANCE_LATENCY_POLICIES,
        ...PERFORMANCE_RELEASE_POLICIES,
    ],
} as const;

export const ALL_POLICIES: Policies = Object.values(POLICY_GROUPS).flat();
