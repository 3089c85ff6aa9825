import * as pulumi from "@pulumi/pulumi";
import { PlatformProfile as Profile, PROFILE_TYPE } from "../vocabulary/stack";
import type { StackConfig } from "./config";

/**
 * The stack's SecurityPolicy, CostOptimization and PerformanceProfile, registered as a component
 * whose inputs are those config sections, so that the policy pack's stack policies read the same
 * values the components were built from (type `tacos:index:PlatformProfile`).
 */
export class PlatformProfile extends pulumi.ComponentResource {
    constructor(name: string, config: StackConfig, opts?: pulumi.ComponentResourceOptions) {
        const profile: Profile = {
            stack: config.stack,
            securityPolicy: config.securityPolicy,
            costOptimization: config.costOptimization,
            performanceProfile: config.performanceProfile,
        };
        super(PROFILE_TYPE, name, profile, opts);
        this.registerOutputs(profile);
    }
}
