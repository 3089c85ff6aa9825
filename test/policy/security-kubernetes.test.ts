/** Security rules for Kubernetes: services, namespaces, network isolation, the mesh, Argo CD projects (workloads: ./security-workloads.test.ts). */
import * as sec from "../../policy/rules/security-kubernetes";
import {
    profile,
    describeResourceCases,
    describeStackCases,
    ns,
    resource,
    ResourceCase,
    StackCase,
} from "./cases";

const np = (namespace: string, spec: Record<string, any>) =>
    resource("kubernetes:networking.k8s.io/v1:NetworkPolicy", {
        metadata: { name: "default-deny", namespace },
        spec,
    });
const denyAll = { podSelector: {}, policyTypes: ["Ingress", "Egress"] };

/** A stack in the ambient mesh: its namespace labelled, STRICT mesh-wide, one port of the edge service open to the load balancer's subnet. */
const edge = { matchLabels: { "app.kubernetes.io/name": "gateway-api" } };
const peerAuth = (namespace: string, spec: Record<string, any>) =>
    resource("kubernetes:security.istio.io/v1:PeerAuthentication", {
        metadata: { name: "p", namespace },
        spec,
    });
const authz = (spec: Record<string, any>) =>
    resource("kubernetes:security.istio.io/v1:AuthorizationPolicy", {
        metadata: { name: "gateway-api", namespace: "tacos" },
        spec,
    });
const meshStack = () => [
    resource("kubernetes:core/v1:Namespace", {
        metadata: { name: "tacos", labels: { "istio.io/dataplane-mode": "ambient" } },
    }),
    resource("kubernetes:security.istio.io/v1:AuthorizationPolicy", {
        metadata: { name: "allow-nothing", namespace: "tacos" },
        spec: {},
    }),
    peerAuth("istio-system", { mtls: { mode: "STRICT" } }),
    peerAuth("tacos", { selector: edge, portLevelMtls: { 8000: { mode: "PERMISSIVE" } } }),
    authz({
        selector: edge,
        action: "ALLOW",
        rules: [
            { from: [{ source: { ipBlocks: ["10.0.0.0/24"] } }], to: [{ operation: { ports: ["8000"] } }] },
            {
                from: [{ source: { principals: ["cluster.local/ns/monitoring/sa/kps-prometheus"] } }],
                to: [{ operation: { ports: ["8000"] } }],
            },
        ],
    }),
];
/** The mesh stack with one of its objects (by index) changed. */
const meshStackWith = (index: number, change: (props: Record<string, any>) => void) => () => {
    const stack = meshStack();
    change(stack[index].props);
    return stack;
};

const RESOURCE_CASES: ResourceCase[] = [
    {
        policy: sec.k8sNoExternalServicesInApps,
        type: "kubernetes:core/v1:Service",
        good: { metadata: { name: "api", namespace: "tacos" }, spec: { type: "ClusterIP" } },
        bad: [
            {
                why: "NodePort",
                expect: /Service tacos\/api must be ClusterIP/,
                change: (p) => (p.spec.type = "NodePort"),
            },
            {
                why: "LoadBalancer",
                expect: /Service tacos\/api must be ClusterIP/,
                change: (p) => (p.spec.type = "LoadBalancer"),
            },
        ],
    },
    {
        policy: sec.argocdProjectNoWildcards,
        type: "kubernetes:argoproj.io/v1alpha1:AppProject",
        good: {
            metadata: { name: "tacos", namespace: "argocd" },
            spec: {
                sourceRepos: ["https://github.com/o/r.git"],
                destinations: [{ server: "https://kubernetes.default.svc", namespace: "tacos" }],
                clusterResourceWhitelist: [],
                namespaceResourceWhitelist: [{ group: "apps", kind: "Deployment" }],
            },
        },
        bad: [
            {
                why: "any repository",
                expect: /sourceRepos must name repositories/,
                change: (p) => (p.spec.sourceRepos = ["*"]),
            },
            {
                why: "any namespace",
                expect: /destinations must name namespaces and clusters/,
                change: (p) => (p.spec.destinations[0].namespace = "*"),
            },
            {
                why: "any cluster-scoped kind",
                expect: /clusterResourceWhitelist must not allow "\*"/,
                change: (p) => (p.spec.clusterResourceWhitelist = [{ group: "*", kind: "*" }]),
            },
            {
                why: "any namespaced kind",
                expect: /namespaceResourceWhitelist must name its kinds/,
                change: (p) => (p.spec.namespaceResourceWhitelist = [{ group: "*", kind: "*" }]),
            },
        ],
    },
];

const STACK_CASES: StackCase[] = [
    {
        policy: sec.k8sAllowedNamespaces,
        good: () => [
            profile(),
            resource("kubernetes:core/v1:ConfigMap", { metadata: { name: "c", namespace: "tacos" } }),
        ],
        bad: [
            {
                why: "an object in another namespace",
                expect: /Namespace default is not one of the SecurityPolicy's allowed namespaces \(tacos\)/,
                resources: () => [
                    profile(),
                    resource("kubernetes:core/v1:ConfigMap", {
                        metadata: { name: "c", namespace: "default" },
                    }),
                ],
            },
            {
                why: "a Helm release in another namespace",
                expect: /Namespace kube-public is not one of/,
                resources: () => [
                    profile(),
                    resource("kubernetes:helm.sh/v3:Release", { namespace: "kube-public", chart: "x" }),
                ],
            },
        ],
    },
    {
        policy: sec.k8sDefaultDenyNetworkPolicy,
        good: () => [ns("tacos"), np("tacos", denyAll)],
        bad: [
            {
                why: "no policy",
                expect: /Namespace tacos must have a default-deny NetworkPolicy/,
                resources: () => [ns("tacos")],
            },
            {
                why: "ingress only",
                expect: /Namespace tacos must have a default-deny NetworkPolicy/,
                resources: () => [ns("tacos"), np("tacos", { podSelector: {}, policyTypes: ["Ingress"] })],
            },
            {
                why: "a policy that allows something",
                expect: /Namespace tacos must have a default-deny NetworkPolicy/,
                resources: () => [ns("tacos"), np("tacos", { ...denyAll, egress: [{}] })],
            },
            {
                why: "the deny in another namespace",
                expect: /Namespace tacos must have a default-deny NetworkPolicy/,
                resources: () => [ns("tacos"), np("keda", denyAll)],
            },
        ],
    },
    {
        policy: sec.meshStrictMutualTls,
        good: meshStack,
        bad: [
            {
                why: "the application namespace outside the mesh",
                expect: /Namespace tacos must be in the ambient mesh/,
                resources: meshStackWith(0, (p) => delete p.metadata.labels["istio.io/dataplane-mode"]),
            },
            {
                why: "its pods opted out of ambient",
                expect: /Namespace tacos must be in the ambient mesh/,
                resources: meshStackWith(0, (p) => (p.metadata.labels["istio.io/dataplane-mode"] = "none")),
            },
            {
                why: "mesh-wide PERMISSIVE",
                expect: /Exactly one PeerAuthentication in istio-system without a selector must exist and set mtls.mode STRICT/,
                resources: meshStackWith(2, (p) => (p.spec.mtls.mode = "PERMISSIVE")),
            },
            {
                why: "no mesh-wide policy",
                expect: /without a selector must exist and set mtls.mode STRICT/,
                resources: () => meshStack().filter((_, i) => i !== 2),
            },
            {
                why: "the mesh-wide policy with a selector",
                expect: /without a selector must exist and set mtls.mode STRICT/,
                resources: meshStackWith(2, (p) => (p.spec.selector = edge)),
            },
            {
                why: "the application namespace PERMISSIVE",
                expect: /PeerAuthentication tacos\/p must not set mtls.mode PERMISSIVE/,
                resources: meshStackWith(3, (p) => {
                    delete p.spec.selector;
                    delete p.spec.portLevelMtls;
                    p.spec.mtls = { mode: "PERMISSIVE" };
                }),
            },
            {
                why: "a workload with mTLS off",
                expect: /must not set mtls.mode DISABLE/,
                resources: meshStackWith(3, (p) => (p.spec.mtls = { mode: "DISABLE" })),
            },
            {
                why: "a plaintext port no policy guards",
                expect: /takes plaintext on port 8000, but no AuthorizationPolicy of the same pods admits it/,
                resources: () => meshStack().slice(0, 4),
            },
            {
                why: "a plaintext port open to any source",
                expect: /takes plaintext on port 8000, but an AuthorizationPolicy rule admits it without naming its sources/,
                resources: meshStackWith(4, (p) => delete p.spec.rules[0].from),
            },
            {
                why: "a plaintext port open to the internet",
                expect: /without naming its sources/,
                resources: meshStackWith(4, (p) => (p.spec.rules[0].from[0].source.ipBlocks = ["0.0.0.0/0"])),
            },
            {
                why: "a plaintext port admitted by a rule for every port",
                expect: /without naming its sources/,
                resources: meshStackWith(4, (p) =>
                    p.spec.rules.push({ from: [{ source: { namespaces: ["tacos"] } }] }),
                ),
            },
            {
                why: "a plaintext port of other pods' policy",
                expect: /no AuthorizationPolicy of the same pods admits it/,
                resources: meshStackWith(
                    4,
                    (p) => (p.spec.selector = { matchLabels: { "app.kubernetes.io/name": "inventory-api" } }),
                ),
            },
            {
                why: "an older mesh-wide policy without a mode beside the STRICT one",
                expect: /Exactly one PeerAuthentication in istio-system .*\(found 2\)/,
                resources: () => [...meshStack(), peerAuth("istio-system", {})],
            },
            {
                why: "no allow-nothing policy",
                expect: /Namespace tacos must have an AuthorizationPolicy that allows nothing/,
                resources: () => meshStack().filter((_, i) => i !== 1),
            },
            {
                why: "a namespace-wide policy admitting anyone",
                expect: /takes plaintext on port 8000, but an AuthorizationPolicy rule admits it without naming its sources/,
                resources: () => [
                    ...meshStack(),
                    resource("kubernetes:security.istio.io/v1:AuthorizationPolicy", {
                        metadata: { name: "open", namespace: "tacos" },
                        spec: { rules: [{}] },
                    }),
                ],
            },
            {
                why: "the internet split in two blocks",
                expect: /without naming its sources/,
                resources: meshStackWith(
                    4,
                    (p) => (p.spec.rules[0].from[0].source.ipBlocks = ["0.0.0.0/1", "128.0.0.0/1"]),
                ),
            },
            {
                why: "a namespace-wide plaintext port",
                expect: /takes plaintext on port 8000, but a port-level exception needs a workload selector/,
                resources: meshStackWith(3, (p) => delete p.spec.selector),
            },
        ],
    },
];

describeResourceCases("policy pack: Kubernetes security: resource rules", RESOURCE_CASES);
describeStackCases("policy pack: Kubernetes security: stack rules", STACK_CASES);
