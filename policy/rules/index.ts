/** Every rule of the pack, grouped by area. This module does not construct the PolicyPack. */
import type { Policies } from "@pulumi/policy";
import { FINOPS_POLICIES } from "./finops";
import { PERFORMANCE_POLICIES } from "./performance";
import { SECURITY_POLICIES } from "./security";

export const POLICY_GROUPS = {
    security: SECURITY_POLICIES,
    finops: FINOPS_POLICIES,
    performance: PERFORMANCE_POLICIES,
} as const;

export const ALL_POLICIES: Policies = [...SECURITY_POLICIES, ...FINOPS_POLICIES, ...PERFORMANCE_POLICIES];
