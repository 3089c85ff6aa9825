import * as pulumi from "@pulumi/pulumi";
import { PlatformProfile as Profile, PROFILE_TYPE } from "../vocabulary/stack";
import type { StackConfig } from "./config";

/**
 * The stack's SecurityPolicy, CostOptimization and PerformanceProfile, registered as a component
 * whose inputs are those config sections, so that the policy pack's stack policies read the same
 * values the components were built from (type `tacos:index:PlatformProfile`).
 */
export class PlatformProfile extends pulumi.ComponentResource {
    /** `allowedNamespaces`: the namespaces the stack allows, resolved (its config's list or the registry's). */
    constructor(
        name: string,
        config: StackConfig,
        allowedNamespaces: string[],
        opts?: pulumi.ComponentResourceOptions,
    ) {
        const profile: Profile = {
            stack: config.stack,
            securityPolicy: { ...config.securityPolicy, allowedNamespaces },
            costOptimization: config.costOptimization,
            performanceProfile: config.performanceProfile,
        };
        super(PROFILE_TYPE, name, profile, opts);
        this.registerOutputs(profile);
    }
}
