/** Whether an EKS cluster is billed at the extended-support rate. */
import { daysOfStandardSupportLeft } from "../../vocabulary/versions";

/**
 * Whether a cluster is billed as extended support on `asOf`: past its version's end of standard
 * support and not on the STANDARD support type (which upgrades it instead). A version missing
 * from the table is treated as extended: the policy pack refuses it anyway.
 */
export function inExtendedSupport(version: string, supportType: string | undefined, asOf: Date): boolean {
    const left = daysOfStandardSupportLeft(version, asOf);
    return supportType !== "STANDARD" && (left === undefined || left < 0);
}
