/** The stack's own settings, for stack rules: a stack that registers no profile is not theirs to judge. */
import type { StackValidationArgs } from "@pulumi/policy";
import { findProfile, PlatformProfile } from "../../vocabulary/stack";

/** The stack's PlatformProfile; the rule is not applicable where the stack registers none. */
export function stackProfile(args: StackValidationArgs): PlatformProfile {
    return findProfile(args.resources) ?? args.notApplicable("the stack registers no PlatformProfile");
}
