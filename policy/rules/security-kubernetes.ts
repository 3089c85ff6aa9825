/**
 * Security rules for Kubernetes: services, namespaces, network isolation, the mesh and Argo CD
 * projects (workloads' security contexts and images: ./security-workloads.ts).
 */
import type { PolicyResource } from "@pulumi/policy";
import { AMBIENT, DATAPLANE_MODE_LABEL, MESH_ROOT_NAMESPACE, PLAINTEXT_MODES } from "../../vocabulary/mesh";
import { APPLICATION_NAMESPACES } from "../../vocabulary/platform";
import { asList } from "../../vocabulary/values";
import { stackProfile } from "./profile";
import { isKind, kindOf, objectName } from "./kubernetes";
import {
    k8sDropAllCapabilities,
    k8sNoHostAccess,
    k8sNoPrivilegeEscalation,
    k8sPinnedImages,
    k8sReadOnlyRootFilesystem,
    k8sRunAsNonRoot,
    k8sSeccompRuntimeDefault,
} from "./security-workloads";
import { LayeredResourcePolicy, stackRule } from "./layers";

export const k8sNoExternalServicesInApps: LayeredResourcePolicy = {
    name: "k8s-no-node-port-services",
    layer: "cluster",
    description:
        "Checks whether Services in application namespaces are ClusterIP only (no NodePort or LoadBalancer).",
    configSchema: {
        properties: {
            namespaces: { type: "array", items: { type: "string" }, default: [...APPLICATION_NAMESPACES] },
        },
    },
    validateResource: (args, report) => {
        if (!isKind(args.type, "Service")) return;
        const namespaces = args.getConfig<{ namespaces?: string[] }>().namespaces ?? [
            ...APPLICATION_NAMESPACES,
        ];
        const type = args.props.spec?.type ?? "ClusterIP";
        if (
            namespaces.includes(args.props.metadata?.namespace) &&
            (type === "NodePort" || type === "LoadBalancer")
        ) {
            report(
                `Service ${objectName(args.props)} must be ClusterIP; traffic enters through the Gateway.`,
            );
        }
    },
};

/** The namespace a Kubernetes object or Helm release lives in (a Namespace's own name). */
function namespaceOf(type: string, props: Record<string, any>): string | undefined {
    if (kindOf(type) === "Namespace") return props.metadata?.name;
    return type.startsWith("kubernetes:helm.sh") ? props.namespace : props.metadata?.namespace;
}

export const k8sAllowedNamespaces = stackRule({
    name: "k8s-allowed-namespaces",
    description:
        "Checks whether Kubernetes objects and Helm releases use only the namespaces the stack's SecurityPolicy allows.",
    cluster: (args, report) => {
        const profile = stackProfile(args);
        const allowed = profile.securityPolicy.allowedNamespaces;
        for (const r of args.resources.filter(
            (x) => x.type.startsWith("kubernetes:") && !x.type.startsWith("kubernetes:yaml"),
        )) {
            const namespace = namespaceOf(r.type, r.props);
            if (namespace !== undefined && !allowed.includes(namespace)) {
                report(
                    `Namespace ${namespace} is not one of the SecurityPolicy's allowed namespaces (${allowed.join(", ")}).`,
                    r.urn,
                );
            }
        }
    },
});

/** True for a NetworkPolicy that selects every pod and allows nothing in either direction. */
export function isDefaultDeny(props: Record<string, any>): boolean {
    const spec = props.spec ?? {};
    const types = asList<string>(spec.policyTypes);
    return (
        Object.keys(spec.podSelector ?? { x: 1 }).length === 0 &&
        types.includes("Ingress") &&
        types.includes("Egress") &&
        asList(spec.ingress).length === 0 &&
        asList(spec.egress).length === 0
    );
}

export const k8sDefaultDenyNetworkPolicy = stackRule({
    name: "k8s-default-deny-network-policy",
    description:
        "Checks whether every namespace the stack creates has a default-deny NetworkPolicy for ingress and egress.",
    cluster: (args, report) => {
        const policies = args.resources.filter((r) => isKind(r.type, "NetworkPolicy"));
        for (const ns of args.resources.filter((r) => isKind(r.type, "Namespace"))) {
            const name = ns.props.metadata?.name;
            if (!policies.some((p) => p.props.metadata?.namespace === name && isDefaultDeny(p.props))) {
                report(
                    `Namespace ${name} must have a default-deny NetworkPolicy (podSelector {}, Ingress and Egress, no rules).`,
                    ns.urn,
                );
            }
        }
    },
});

const isPlaintext = (mode: unknown): boolean => (PLAINTEXT_MODES as readonly unknown[]).includes(mode);

/** Whether an AuthorizationPolicy rule can admit connections to `port` (a rule without `to`, or an operation without ports, admits any). */
function ruleReaches(rule: Record<string, any>, port: string): boolean {
    const operations = asList<Record<string, any>>(rule.to).map((t) => t.operation ?? {});
    return (
        operations.length === 0 ||
        operations.some((op) => asList(op.ports).length === 0 || asList(op.ports).map(String).includes(port))
    );
}

/** The broadest address block a plaintext source may name (a VPC's subnets are far narrower; `0.0.0.0/1` is the internet). */
const WIDEST_PLAINTEXT_PREFIX = 16;

/** Whether every source of a rule is named: identities, or address blocks no wider than a /16, none left open or wildcarded. */
function namesItsSources(rule: Record<string, any>): boolean {
    const sources = asList<Record<string, any>>(rule.from).map((f) => f.source ?? {});
    const principals = (list: string[] | undefined) =>
        asList<string>(list).length > 0 && !asList<string>(list).some((v) => v.includes("*"));
    const blocks = (list: string[] | undefined) =>
        asList<string>(list).length > 0 &&
        asList<string>(list).every((v) => Number(v.split("/")[1] ?? 32) >= WIDEST_PLAINTEXT_PREFIX);
    return sources.length > 0 && sources.every((src) => principals(src.principals) || blocks(src.ipBlocks));
}

/** Whether an ALLOW policy's selector may select the pods `labels` selects: no selector (the whole namespace) or a subset of those labels. */
function mayApplyTo(policy: PolicyResource, labels: Record<string, string>): boolean {
    const own: Record<string, string> = policy.props.spec?.selector?.matchLabels ?? {};
    return Object.entries(own).every(([k, v]) => labels[k] === v);
}

/**
 * Why a port-level plaintext exception of a PeerAuthentication is not acceptable, or undefined:
 * the ALLOW AuthorizationPolicies that may apply to the same pods (ztunnel ORs them) must admit
 * that port, and every rule of theirs reaching it must name its sources, so that plaintext comes
 * only from the addresses (or identities) named.
 */
function plaintextPortProblem(
    pa: PolicyResource,
    port: string,
    authorizations: PolicyResource[],
): string | undefined {
    const labels: Record<string, string> = pa.props.spec?.selector?.matchLabels ?? {};
    const applying = authorizations.filter(
        (a) =>
            a.props.metadata?.namespace === pa.props.metadata?.namespace &&
            (a.props.spec?.action ?? "ALLOW") === "ALLOW" &&
            mayApplyTo(a, labels),
    );
    const reaching = applying
        .flatMap((a) => asList<Record<string, any>>(a.props.spec?.rules))
        .filter((r) => ruleReaches(r, port));
    if (reaching.length === 0) return "no AuthorizationPolicy of the same pods admits it";
    return reaching.every(namesItsSources)
        ? undefined
        : `an AuthorizationPolicy rule admits it without naming its sources (principals, or ipBlocks no wider than /${WIDEST_PLAINTEXT_PREFIX})`;
}

/** True for the AuthorizationPolicy that allows nothing: ALLOW (the default) with no rules and no selector. */
const isAllowNothing = (a: PolicyResource): boolean =>
    !a.props.spec?.selector &&
    asList(a.props.spec?.rules).length === 0 &&
    (a.props.spec?.action ?? "ALLOW") === "ALLOW";

export const meshStrictMutualTls = stackRule({
    name: "mesh-strict-mutual-tls",
    description:
        "Checks whether the application namespaces are in Istio's ambient mesh under mesh-wide STRICT mutual TLS, with plaintext only on ports whose authorization names its sources.",
    configSchema: {
        properties: {
            namespaces: { type: "array", items: { type: "string" }, default: [...APPLICATION_NAMESPACES] },
            rootNamespace: { type: "string", default: MESH_ROOT_NAMESPACE },
        },
    },
    cluster: (args, report) => {
        const config = args.getConfig<{ namespaces?: string[]; rootNamespace?: string }>();
        const appNamespaces = config.namespaces ?? [...APPLICATION_NAMESPACES];
        const root = config.rootNamespace ?? MESH_ROOT_NAMESPACE;
        const apps = args.resources.filter(
            (r) => isKind(r.type, "Namespace") && appNamespaces.includes(r.props.metadata?.name),
        );
        if (apps.length === 0) args.notApplicable("the stack creates no application namespace");
        const peerAuthentications = args.resources.filter((r) => isKind(r.type, "PeerAuthentication"));
        const authorizations = args.resources.filter((r) => isKind(r.type, "AuthorizationPolicy"));
        for (const ns of apps) {
            const name = ns.props.metadata?.name;
            if (ns.props.metadata?.labels?.[DATAPLANE_MODE_LABEL] !== AMBIENT) {
                report(
                    `Namespace ${name} must be in the ambient mesh (label ${DATAPLANE_MODE_LABEL}: ${AMBIENT}): its calls must be mutual TLS.`,
                    ns.urn,
                );
            }
            if (!authorizations.some((a) => a.props.metadata?.namespace === name && isAllowNothing(a))) {
                report(
                    `Namespace ${name} must have an AuthorizationPolicy that allows nothing (spec {}): each workload admits only what its own policy allows.`,
                    ns.urn,
                );
            }
        }
        // Istio applies the oldest of several mesh-wide policies: exactly one, and STRICT.
        const meshWide = peerAuthentications.filter(
            (p) => p.props.metadata?.namespace === root && !p.props.spec?.selector,
        );
        if (meshWide.length !== 1 || meshWide[0].props.spec?.mtls?.mode !== "STRICT") {
            report(
                `Exactly one PeerAuthentication in ${root} without a selector must exist and set mtls.mode STRICT: mutual TLS mesh-wide (found ${meshWide.length}).`,
            );
        }
        for (const pa of peerAuthentications.filter((p) =>
            [root, ...appNamespaces].includes(p.props.metadata?.namespace),
        )) {
            const mode = pa.props.spec?.mtls?.mode;
            if (isPlaintext(mode))
                report(
                    `PeerAuthentication ${objectName(pa.props)} must not set mtls.mode ${mode}: STRICT (or unset, inheriting it) only.`,
                    pa.urn,
                );
            for (const [port, level] of Object.entries<Record<string, any>>(
                pa.props.spec?.portLevelMtls ?? {},
            )) {
                if (!isPlaintext(level?.mode)) continue;
                const problem = pa.props.spec?.selector
                    ? plaintextPortProblem(pa, port, authorizations)
                    : "a port-level exception needs a workload selector";
                if (problem)
                    report(
                        `PeerAuthentication ${objectName(pa.props)} takes plaintext on port ${port}, but ${problem}.`,
                        pa.urn,
                    );
            }
        }
    },
});

export const argocdProjectNoWildcards: LayeredResourcePolicy = {
    name: "argocd-project-no-wildcards",
    layer: "cluster",
    description:
        "Checks whether Argo CD AppProjects name their source repositories, destinations and cluster-scoped kinds instead of allowing `*`.",
    validateResource: (args, report) => {
        if (!isKind(args.type, "AppProject")) return;
        const spec = args.props.spec ?? {};
        const wild = (v: unknown) => typeof v === "string" && v.includes("*");
        if (asList(spec.sourceRepos).some(wild))
            report(`AppProject ${objectName(args.props)}: sourceRepos must name repositories, not "*".`);
        if (
            asList<Record<string, any>>(spec.destinations).some(
                (d) => wild(d.namespace) || wild(d.server) || wild(d.name),
            )
        ) {
            report(
                `AppProject ${objectName(args.props)}: destinations must name namespaces and clusters, not "*".`,
            );
        }
        if (
            asList<Record<string, any>>(spec.clusterResourceWhitelist).some(
                (k) => wild(k.group) || wild(k.kind),
            )
        ) {
            report(`AppProject ${objectName(args.props)}: clusterResourceWhitelist must not allow "*".`);
        }
        if (asList<Record<string, any>>(spec.namespaceResourceWhitelist).some((k) => wild(k.kind))) {
            report(`AppProject ${objectName(args.props)}: namespaceResourceWhitelist must name its kinds.`);
        }
    },
};

export const KUBERNETES_SECURITY_POLICIES = [
    k8sRunAsNonRoot,
    k8sNoPrivilegeEscalation,
    k8sDropAllCapabilities,
    k8sSeccompRuntimeDefault,
    k8sReadOnlyRootFilesystem,
    k8sNoHostAccess,
    k8sPinnedImages,
    k8sNoExternalServicesInApps,
    k8sAllowedNamespaces,
    k8sDefaultDenyNetworkPolicy,
    meshStrictMutualTls,
    argocdProjectNoWildcards,
];
