/** Security rules for Kubernetes: workload security contexts, images, services, namespaces, network isolation, Argo CD projects. */
import * as sec from "../../policy/rules/security-kubernetes";
import { c0, profile, DEPLOYMENT, describeResourceCases, describeStackCases, ns, pod, resource, ResourceCase, StackCase } from "./cases";

const np = (namespace: string, spec: Record<string, any>) => resource("kubernetes:networking.k8s.io/v1:NetworkPolicy", { metadata: { name: "default-deny", namespace }, spec });
const denyAll = { podSelector: {}, policyTypes: ["Ingress", "Egress"] };

const RESOURCE_CASES: ResourceCase[] = [
    { policy: sec.k8sRunAsNonRoot, type: DEPLOYMENT, good: pod(), bad: [{ why: "runAsNonRoot unset", expect: /container api: must run as non-root/, change: (p) => { delete c0(p).securityContext.runAsNonRoot; delete p.spec.template.spec.securityContext.runAsNonRoot; } }, { why: "runAsUser 0", expect: /container api: must run as non-root/, change: (p) => (c0(p).securityContext.runAsUser = 0) }] },
    { policy: sec.k8sNoPrivilegeEscalation, type: DEPLOYMENT, good: pod(), bad: [{ why: "escalation allowed", expect: /must set allowPrivilegeEscalation: false/, change: (p) => (c0(p).securityContext.allowPrivilegeEscalation = true) }] },
    { policy: sec.k8sDropAllCapabilities, type: DEPLOYMENT, good: pod(), bad: [{ why: "nothing dropped", expect: /must drop ALL capabilities/, change: (p) => (c0(p).securityContext.capabilities.drop = []) }, { why: "NET_ADMIN added", expect: /must not add capabilities \(NET_ADMIN\)/, change: (p) => (c0(p).securityContext.capabilities.add = ["NET_ADMIN"]) }] },
    { policy: sec.k8sSeccompRuntimeDefault, type: DEPLOYMENT, good: pod(), bad: [{ why: "Unconfined", expect: /must use seccompProfile RuntimeDefault/, change: (p) => { c0(p).securityContext.seccompProfile.type = "Unconfined"; } }] },
    { policy: sec.k8sReadOnlyRootFilesystem, type: DEPLOYMENT, good: pod(), bad: [{ why: "writable root", expect: /must set readOnlyRootFilesystem: true/, change: (p) => (c0(p).securityContext.readOnlyRootFilesystem = false) }] },
    {
        policy: sec.k8sNoHostAccess, type: DEPLOYMENT, good: pod(),
        bad: [
            { why: "hostNetwork", expect: /must not use hostNetwork/, change: (p) => (p.spec.template.spec.hostNetwork = true) },
            { why: "hostPID", expect: /must not use hostPID/, change: (p) => (p.spec.template.spec.hostPID = true) },
            { why: "a hostPath volume", expect: /must not mount the host path of volume docker/, change: (p) => p.spec.template.spec.volumes.push({ name: "docker", hostPath: { path: "/var/run" } }) },
            { why: "a host port", expect: /must not bind host port 8000/, change: (p) => (c0(p).ports[0].hostPort = 8000) },
            { why: "a privileged container", expect: /must not be privileged/, change: (p) => (c0(p).securityContext.privileged = true) },
        ],
    },
    {
        policy: sec.k8sPinnedImages, type: DEPLOYMENT, good: pod(),
        bad: [
            { why: "latest", expect: /api:latest must carry an immutable tag or digest/, change: (p) => (c0(p).image = c0(p).image.replace(":1a2b3c4", ":latest")) },
            { why: "no tag", expect: /\/api must carry an immutable tag or digest/, change: (p) => (c0(p).image = c0(p).image.replace(":1a2b3c4", "")) },
        ],
    },
    { policy: sec.k8sPinnedImages, type: "kubernetes:batch/v1:CronJob", good: { metadata: { name: "j" }, spec: { jobTemplate: { spec: { template: pod().spec.template } } } }, bad: [{ why: "a CronJob on latest", expect: /CronJob j, container api: image busybox:latest must carry an immutable tag/, change: (p) => (p.spec.jobTemplate.spec.template.spec.containers[0].image = "busybox:latest") }] },
    {
        policy: sec.k8sNoExternalServicesInApps, type: "kubernetes:core/v1:Service", good: { metadata: { name: "api", namespace: "tacos" }, spec: { type: "ClusterIP" } },
        bad: [{ why: "NodePort", expect: /Service tacos\/api must be ClusterIP/, change: (p) => (p.spec.type = "NodePort") }, { why: "LoadBalancer", expect: /Service tacos\/api must be ClusterIP/, change: (p) => (p.spec.type = "LoadBalancer") }],
    },
    {
        policy: sec.argocdProjectNoWildcards, type: "kubernetes:argoproj.io/v1alpha1:AppProject",
        good: { metadata: { name: "tacos", namespace: "argocd" }, spec: { sourceRepos: ["https://github.com/o/r.git"], destinations: [{ server: "https://kubernetes.default.svc", namespace: "tacos" }], clusterResourceWhitelist: [], namespaceResourceWhitelist: [{ group: "apps", kind: "Deployment" }] } },
        bad: [
            { why: "any repository", expect: /sourceRepos must name repositories/, change: (p) => (p.spec.sourceRepos = ["*"]) },
            { why: "any namespace", expect: /destinations must name namespaces and clusters/, change: (p) => (p.spec.destinations[0].namespace = "*") },
            { why: "any cluster-scoped kind", expect: /clusterResourceWhitelist must not allow "\*"/, change: (p) => (p.spec.clusterResourceWhitelist = [{ group: "*", kind: "*" }]) },
            { why: "any namespaced kind", expect: /namespaceResourceWhitelist must name its kinds/, change: (p) => (p.spec.namespaceResourceWhitelist = [{ group: "*", kind: "*" }]) },
        ],
    },
];

const STACK_CASES: StackCase[] = [
    {
        policy: sec.k8sAllowedNamespaces,
        good: () => [profile(), resource("kubernetes:core/v1:ConfigMap", { metadata: { name: "c", namespace: "tacos" } })],
        bad: [
            { why: "an object in another namespace", expect: /Namespace default is not one of the SecurityPolicy's allowed namespaces \(tacos\)/, resources: () => [profile(), resource("kubernetes:core/v1:ConfigMap", { metadata: { name: "c", namespace: "default" } })] },
            { why: "a Helm release in another namespace", expect: /Namespace kube-public is not one of/, resources: () => [profile(), resource("kubernetes:helm.sh/v3:Release", { namespace: "kube-public", chart: "x" })] },
        ],
    },
    {
        policy: sec.k8sDefaultDenyNetworkPolicy,
        good: () => [ns("tacos"), np("tacos", denyAll)],
        bad: [
            { why: "no policy", expect: /Namespace tacos must have a default-deny NetworkPolicy/, resources: () => [ns("tacos")] },
            { why: "ingress only", expect: /Namespace tacos must have a default-deny NetworkPolicy/, resources: () => [ns("tacos"), np("tacos", { podSelector: {}, policyTypes: ["Ingress"] })] },
            { why: "a policy that allows something", expect: /Namespace tacos must have a default-deny NetworkPolicy/, resources: () => [ns("tacos"), np("tacos", { ...denyAll, egress: [{}] })] },
            { why: "the deny in another namespace", expect: /Namespace tacos must have a default-deny NetworkPolicy/, resources: () => [ns("tacos"), np("keda", denyAll)] },
        ],
    },
];

describeResourceCases("policy pack: Kubernetes security: resource rules", RESOURCE_CASES);
describeStackCases("policy pack: Kubernetes security: stack rules", STACK_CASES);
