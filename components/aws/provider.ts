import * as aws from "@pulumi/aws";
import type { StackConfig } from "../config";

/**
 * The one AWS provider of the stack: its region and the cost tags as `defaultTags`, so that a
 * resource that forgets its explicit tags is still attributed. Every AWS component is created
 * with this provider.
 */
export function createAwsProvider(name: string, config: StackConfig): aws.Provider {
    return new aws.Provider(name, {
        region: config.region,
        defaultTags: { tags: { ...config.tags } },
    });
}
