/**
 * Security rules for Argo CD's exposure: its API is as good as cluster-admin over what it
 * delivers, so every way in through the Gateway must be limited to named source ranges.
 */
import type { PolicyResource } from "@pulumi/policy";
import { asList } from "../../vocabulary/values";
import { isKind, objectName } from "./kubernetes";
import { LayeredPolicy, stackRule } from "./layers";

/** The Service of Argo CD's API server and UI, as the argo-cd chart names it for release `argocd`. */
const ARGOCD_SERVER = "argocd-server";

/** A rule's filters that attach a load balancer controller ListenerRuleConfiguration. */
const ruleConfigRefs = (rule: Record<string, any>): string[] =>
    asList<Record<string, any>>(rule.filters)
        .filter(
            (f) =>
                f.type === "ExtensionRef" &&
                f.extensionRef?.group === "gateway.k8s.aws" &&
                f.extensionRef?.kind === "ListenerRuleConfiguration",
        )
        .map((f) => String(f.extensionRef.name));

/**
 * The source ranges a ListenerRuleConfiguration limits every match of a rule to: its source-ip
 * conditions that name no `matchIndexes` (one that does covers only some matches).
 */
const sourceRangesOf = (config: PolicyResource): string[] =>
    asList<Record<string, any>>(config.props.spec?.conditions)
        .filter((c) => c.field === "source-ip" && asList(c.matchIndexes).length === 0)
        .flatMap((c) => asList<string>(c.sourceIPConfig?.values));

/** True for an all-addresses block: 0.0.0.0/0 or ::/0 (any prefix length 0). */
const isEverywhere = (range: string): boolean => /\/0$/.test(range.trim());

export const argocdNotOpenToInternet = stackRule({
    name: "argocd-not-open-to-internet",
    description:
        "Checks whether every HTTPRoute rule that reaches Argo CD's server carries a load balancer controller ListenerRuleConfiguration of its namespace limiting it to named source ranges, none of them 0.0.0.0/0 or ::/0.",
    cluster: (args, report) => {
        const routes = args.resources.filter(
            (r) =>
                isKind(r.type, "HTTPRoute") &&
                asList<Record<string, any>>(r.props.spec?.rules).some((rule) =>
                    asList<Record<string, any>>(rule.backendRefs).some((b) => b.name === ARGOCD_SERVER),
                ),
        );
        if (routes.length === 0) args.notApplicable("the stack routes nothing to Argo CD");
        const configs = args.resources.filter((r) => isKind(r.type, "ListenerRuleConfiguration"));
        for (const route of routes) {
            const namespace = route.props.metadata?.namespace;
            asList<Record<string, any>>(route.props.spec?.rules).forEach((rule, i) => {
                if (!asList<Record<string, any>>(rule.backendRefs).some((b) => b.name === ARGOCD_SERVER))
                    return;
                const where = `HTTPRoute ${objectName(route.props)} rule ${i}`;
                const attached = ruleConfigRefs(rule).map((name) =>
                    configs.find(
                        (c) => c.props.metadata?.name === name && c.props.metadata?.namespace === namespace,
                    ),
                );
                const ranges = attached.flatMap((c) => (c ? sourceRangesOf(c) : []));
                if (ranges.length === 0) {
                    report(
                        `${where} reaches Argo CD from anywhere: attach a ListenerRuleConfiguration of namespace ${namespace} with a source-ip condition naming the networks its users come from.`,
                        route.urn,
                    );
                } else if (ranges.some(isEverywhere)) {
                    report(
                        `${where} admits ${ranges.filter(isEverywhere).join(", ")}: Argo CD must answer named source ranges only.`,
                        route.urn,
                    );
                }
            });
        }
    },
});

export const ARGOCD_SECURITY_POLICIES: LayeredPolicy[] = [argocdNotOpenToInternet];
