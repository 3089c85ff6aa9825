/**
 * The stack-dependent rules of the argocd section: Argo CD's API is as good as cluster-admin over
 * the application namespace, so prod must sign people in through single sign-on (no local admin
 * password) and must not answer the whole internet.
 */
import { isAnyAddress } from "./cidr";
import { isRecord } from "../../vocabulary/values";

/** The stacks held to the production rules. */
export const PRODUCTION_STACKS: readonly string[] = ["prod"];

/**
 * The problems of the raw `tacos:argocd` value of `stack` under the production rules, one line
 * each, naming the field: `argocd.oidc` missing, or a `argocd.sourceRanges` entry that is
 * 0.0.0.0/0. The schema judges shapes; this judges only what it can read.
 */
export function argocdExposureProblems(stack: string, argocd: unknown): string[] {
    if (!PRODUCTION_STACKS.includes(stack)) return [];
    const section = isRecord(argocd) ? argocd : {};
    const problems: string[] = [];
    if (section.oidc === undefined) {
        problems.push(
            `argocd.oidc is required in ${stack}: Argo CD's local admin is a shared password with the rights of the whole delivery (see docs/first-deploy.md, "Argo CD sign-in")`,
        );
    }
    const ranges = Array.isArray(section.sourceRanges) ? section.sourceRanges : [];
    ranges.forEach((range, i) => {
        if (typeof range === "string" && isAnyAddress(range)) {
            problems.push(
                `argocd.sourceRanges.${i} must not be ${range} in ${stack}: name the networks Argo CD's users come from`,
            );
        }
    });
    return problems;
}
