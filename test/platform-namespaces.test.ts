/**
 * The cluster platform's namespaces as each stack creates them: Pod Security Admission and cost
 * labels, default deny with the explicit allows every add-on needs, and the tacos namespace's quota.
 */
import * as assert from "assert";
import { CATALOGUE, SERVICE_NAMES } from "../components/apps/catalogue";
import { cpuMillicores, memoryBytes } from "../components/k8s/quantity";
import { ofType } from "../tools/harness";
import {
    addonNamespacesOf,
    declaredComponents,
    declaredIdentityAccounts,
    declaredLevels,
} from "./addon-expectations";
import { byKind } from "./platform-fixtures";
import { installedAddons, sectionOf, STACKS, useStackRuns } from "./stacks";

/** The applications' namespace, which no add-on declares. */
const APPS = "tacos";

describe("cluster platform: namespaces", () => {
    const runs = useStackRuns();

    for (const stack of STACKS) {
        describe(stack, () => {
            it("labels each namespace for Pod Security Admission: every add-on's at its declared level, tacos restricted, all warn and audit restricted", () => {
                const namespaces = byKind(runs[stack], "Namespace");
                const levels: Record<string, string> = {
                    ...declaredLevels(installedAddons(stack)),
                    [APPS]: "restricted",
                };
                assert.deepStrictEqual(
                    namespaces.map((n) => n.inputs.metadata.name).sort(),
                    Object.keys(levels).sort(),
                );
                for (const ns of namespaces) {
                    const labels = ns.inputs.metadata.labels;
                    const name = ns.inputs.metadata.name;
                    assert.strictEqual(labels["pod-security.kubernetes.io/enforce"], levels[name], name);
                    assert.strictEqual(labels["pod-security.kubernetes.io/warn"], "restricted");
                    assert.strictEqual(labels["pod-security.kubernetes.io/audit"], "restricted");
                }
            });

            it("mirrors the AWS cost tags as labels on every namespace", () => {
                const tags = sectionOf(runs[stack], "tags");
                for (const ns of byKind(runs[stack], "Namespace")) {
                    const labels = ns.inputs.metadata.labels;
                    assert.strictEqual(labels["cost.tacos.io/project"], tags.Project);
                    assert.strictEqual(labels["cost.tacos.io/cost-center"], tags.CostCenter);
                    assert.strictEqual(labels["cost.tacos.io/environment"], tags.Environment);
                }
                // Each add-on's namespace carries its declared cost component; the services' carries "applications".
                assert.deepStrictEqual(
                    Object.fromEntries(
                        byKind(runs[stack], "Namespace").map((ns) => [
                            ns.inputs.metadata.name,
                            ns.inputs.metadata.labels["cost.tacos.io/component"],
                        ]),
                    ),
                    { ...declaredComponents(installedAddons(stack)), [APPS]: "applications" },
                );
            });

            it("gives every namespace a default-deny policy for ingress and egress, and DNS", () => {
                const policies = byKind(runs[stack], "NetworkPolicy");
                for (const ns of byKind(runs[stack], "Namespace").map((n) => n.inputs.metadata.name)) {
                    const own = policies.filter((p) => p.inputs.metadata.namespace === ns);
                    const deny = own.find((p) => p.inputs.metadata.name === "default-deny");
                    assert.ok(deny, `${ns} has no default-deny`);
                    assert.deepStrictEqual(deny!.inputs.spec.podSelector, {});
                    assert.deepStrictEqual([...deny!.inputs.spec.policyTypes].sort(), ["Egress", "Ingress"]);
                    assert.ok(
                        !deny!.inputs.spec.ingress && !deny!.inputs.spec.egress,
                        "default deny allows nothing",
                    );
                    const dns = own.find((p) => p.inputs.metadata.name === "allow-dns");
                    assert.deepStrictEqual(
                        dns?.inputs.spec.egress[0].ports.map((p: any) => `${p.protocol}/${p.port}`).sort(),
                        ["TCP/53", "UDP/53"],
                        ns,
                    );
                }
            });

            it("lets the controllers reach the API server and the load balancer reach only the Argo CD server and Grafana", () => {
                const policies = byKind(runs[stack], "NetworkPolicy");
                // HTTPS to the API server's ClusterIP (the first address of the Service CIDR, 172.20.0.0/16)
                // and to the control plane's network interfaces in the VPC.
                const toApiServer = [
                    {
                        to: [
                            { ipBlock: { cidr: "172.20.0.1/32" } },
                            { ipBlock: { cidr: sectionOf(runs[stack], "network").cidr } },
                        ],
                        ports: [{ protocol: "TCP", port: 443 }],
                    },
                ];
                // The namespaces of the stack's add-ons only (review switches OpenCost and the VPA off).
                const installed = addonNamespacesOf(installedAddons(stack));
                for (const ns of [
                    "argocd",
                    "keda",
                    "gateway",
                    "grafana",
                    "logging",
                    "opencost",
                    "vpa",
                ].filter((n) => installed.includes(n))) {
                    const policy = policies.find(
                        (p) =>
                            p.inputs.metadata.namespace === ns && /api-server/.test(p.inputs.metadata.name),
                    );
                    assert.deepStrictEqual(policy?.inputs.spec.egress, toApiServer, ns);
                }
                const fromLb = policies.filter((p) => /from-load-balancer/.test(p.inputs.metadata.name));
                assert.deepStrictEqual(fromLb.map((p) => p.inputs.metadata.namespace).sort(), [
                    "argocd",
                    "grafana",
                ]);
                const publicCidrs = sectionOf(runs[stack], "network")
                    .zones.map((z: any) => z.publicSubnetCidr)
                    .sort();
                for (const policy of fromLb) {
                    assert.deepStrictEqual(
                        policy.inputs.spec.ingress[0].from.map((f: any) => f.ipBlock.cidr).sort(),
                        publicCidrs,
                    );
                }
                assert.deepStrictEqual(
                    fromLb
                        .map((p) => p.inputs.spec.podSelector.matchLabels)
                        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
                    [{ "app.kubernetes.io/name": "argocd-server" }, { "app.kubernetes.io/name": "grafana" }],
                );
            });

            it("sizes the tacos quota to admit every service rolling out at max replicas with its surge", () => {
                const quota = byKind(runs[stack], "ResourceQuota").find(
                    (q) => q.inputs.metadata.namespace === APPS,
                )!;
                const hard = quota.inputs.spec.hard;
                // What the services are delivered with: their max replicas and their rolling-update surge.
                const delivered = Object.fromEntries(
                    ofType(runs[stack], "kubernetes:argoproj.io/v1alpha1:Application")
                        .map((a) => a.inputs.spec.source.helm.valuesObject)
                        .map((v) => [v.name, v]),
                );
                let cpu = 0,
                    memory = 0,
                    cpuLimit = 0,
                    memoryLimit = 0,
                    pods = 0;
                for (const service of SERVICE_NAMES) {
                    const { maxReplicas } = delivered[service].autoscaling;
                    const surge = Number(/^(\d+)%$/.exec(delivered[service].rollingUpdate.maxSurge)?.[1]);
                    // A rolling update at max scale runs max + ceil(surge x max) pods (maxUnavailable 0).
                    const max = maxReplicas + Math.ceil((maxReplicas * surge) / 100);
                    const { requests, limits } = CATALOGUE[service].resources;
                    cpu += cpuMillicores(requests.cpu) * max;
                    memory += memoryBytes(requests.memory) * max;
                    cpuLimit += cpuMillicores(limits.cpu) * max;
                    memoryLimit += memoryBytes(limits.memory) * max;
                    pods += max;
                }
                // The rollout fits; the headroom is on top (the quota may be larger, never smaller).
                assert.ok(
                    cpuMillicores(hard["requests.cpu"]) >= cpu,
                    `requests.cpu ${hard["requests.cpu"]} < ${cpu}m`,
                );
                assert.ok(memoryBytes(hard["requests.memory"]) >= memory);
                assert.ok(cpuMillicores(hard["limits.cpu"]) >= cpuLimit);
                assert.ok(memoryBytes(hard["limits.memory"]) >= memoryLimit);
                assert.ok(Number(hard.pods) >= pods);
                const limits = byKind(runs[stack], "LimitRange").find(
                    (l) => l.inputs.metadata.namespace === APPS,
                )!.inputs.spec.limits[0];
                assert.deepStrictEqual(limits.max, { cpu: "1200m", memory: "1Gi" });
            });

            it("lets every add-on pod with a workload identity reach the Pod Identity agent (169.254.170.23:80) through default deny", () => {
                // kube-system (the EBS CSI driver's controller) is EKS's, without default deny.
                const identities = ofType(
                    runs[stack],
                    "aws:eks/podIdentityAssociation:PodIdentityAssociation",
                ).filter((a) => ![APPS, "kube-system"].includes(a.inputs.namespace));
                assert.deepStrictEqual(
                    identities.map((a) => `${a.inputs.namespace}/${a.inputs.serviceAccount}`).sort(),
                    declaredIdentityAccounts(installedAddons(stack)),
                );
                for (const identity of identities) {
                    const policies = byKind(runs[stack], "NetworkPolicy").filter(
                        (p) => p.inputs.metadata.namespace === identity.inputs.namespace,
                    );
                    const reaches = policies.some((p) =>
                        (p.inputs.spec.egress ?? []).some(
                            (rule: any) =>
                                rule.to?.some((peer: any) => peer.ipBlock?.cidr === "169.254.170.23/32") &&
                                rule.ports?.some((port: any) => port.port === 80 && port.protocol === "TCP"),
                        ),
                    );
                    assert.ok(
                        reaches,
                        `${identity.inputs.namespace}/${identity.inputs.serviceAccount} cannot fetch its credentials`,
                    );
                }
            });
        });
    }
});
