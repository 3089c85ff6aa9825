/** Every rule of the pack, grouped by area. This module does not construct the PolicyPack. */
import type { Policies } from "@pulumi/policy";
import { FINOPS_POLICIES } from "./rules/finops";
import { PERFORMANCE_POLICIES } from "./rules/performance";
import { AWS_SECURITY_POLICIES } from "./rules/security-aws";
import { KUBERNETES_SECURITY_POLICIES } from "./rules/security-kubernetes";

export const POLICY_GROUPS = {
    security: [...AWS_SECURITY_POLICIES, ...KUBERNETES_SECURITY_POLICIES],
    finops: FINOPS_POLICIES,
    performance: PERFORMANCE_POLICIES,
} as const;

export const ALL_POLICIES: Policies = Object.values(POLICY_GROUPS).flat();
