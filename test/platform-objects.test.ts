/**
 * The cluster platform's Kubernetes objects as each stack registers them: which kinds, each valid
 * against its API schema, all created through the one provider made from the cluster's kubeconfig.
 */
import * as assert from "assert";
import { SERVICE_NAMES } from "../vocabulary/platform";
import { ofType } from "../tools/harness";
import { validateObject } from "../tools/k8s-schema";
import { k8sObjects } from "./platform-fixtures";
import { sectionOf, STACKS, useStackRuns } from "./stacks";

describe("cluster platform: Kubernetes objects", () => {
    const runs = useStackRuns();

    for (const stack of STACKS) {
        describe(stack, () => {
            it("validates every Kubernetes object against its API schema", async () => {
                const objects = k8sObjects(runs[stack]);
                assert.deepStrictEqual(
                    [...new Set(objects.map((o) => `${o.inputs.apiVersion} ${o.inputs.kind}`))].sort(),
                    [
                        "argoproj.io/v1alpha1 AppProject",
                        "argoproj.io/v1alpha1 Application",
                        "gateway.k8s.aws/v1 ListenerRuleConfiguration",
                        "gateway.k8s.aws/v1 LoadBalancerConfiguration",
                        "gateway.k8s.aws/v1 TargetGroupConfiguration",
                        "gateway.networking.k8s.io/v1 Gateway",
                        "gateway.networking.k8s.io/v1 GatewayClass",
                        "gateway.networking.k8s.io/v1 HTTPRoute",
                        "karpenter.k8s.aws/v1 EC2NodeClass",
                        "karpenter.sh/v1 NodePool",
                        "monitoring.coreos.com/v1 PrometheusRule",
                        "monitoring.coreos.com/v1 ServiceMonitor",
                        "networking.k8s.io/v1 NetworkPolicy",
                        "rbac.authorization.k8s.io/v1 ClusterRole",
                        "rbac.authorization.k8s.io/v1 ClusterRoleBinding",
                        "scheduling.k8s.io/v1 PriorityClass",
                        "security.istio.io/v1 AuthorizationPolicy",
                        "security.istio.io/v1 PeerAuthentication",
                        "storage.k8s.io/v1 StorageClass",
                        "v1 ConfigMap",
                        "v1 LimitRange",
                        "v1 Namespace",
                        "v1 ResourceQuota",
                        "v1 Secret",
                    ],
                );
                // One Argo CD Application per service, one NodePool per pool in the stack config.
                const count = (kind: string) => objects.filter((o) => o.inputs.kind === kind).length;
                assert.deepStrictEqual(
                    [count("Application"), count("NodePool")],
                    [SERVICE_NAMES.length, Object.keys(sectionOf(runs[stack], "karpenter").nodePools).length],
                );
                const failures: string[] = [];
                for (const r of objects) {
                    try {
                        await validateObject(r.inputs as any);
                    } catch (e) {
                        failures.push((e as Error).message);
                    }
                }
                assert.deepStrictEqual(failures, []);
            });

            it("creates everything in Kubernetes through the one provider made from the cluster's kubeconfig", () => {
                const [provider] = ofType(runs[stack], "pulumi:providers:kubernetes");
                assert.strictEqual(ofType(runs[stack], "pulumi:providers:kubernetes").length, 1);
                const kubeconfig = JSON.parse(provider.inputs.kubeconfig);
                const [cluster] = ofType(runs[stack], "eks:index:Cluster");
                assert.strictEqual(
                    provider.inputs.kubeconfig,
                    cluster.state.kubeconfigJson,
                    "the component's kubeconfig",
                );
                assert.strictEqual(kubeconfig.clusters[0].cluster.server, cluster.state.eksCluster.endpoint);
                assert.deepStrictEqual(
                    kubeconfig.users[0].user.exec.args.slice(2, 6),
                    ["eks", "get-token", "--cluster-name", cluster.state.eksCluster.name],
                    "a token from the caller's own AWS identity",
                );
                assert.ok(provider.secretInputs.includes("kubeconfig"));
                const k8sResources = runs[stack].resources.filter(
                    (r) => r.custom && r.type.startsWith("kubernetes:"),
                );
                assert.ok(k8sResources.every((r) => r.options.provider.startsWith(provider.urn)));
                for (const group of ofType(runs[stack], "eks:index:ManagedNodeGroup")) {
                    assert.ok(
                        provider.options.dependsOn.includes(group.urn),
                        `provider waits for ${group.name}`,
                    );
                }
                const associations = ofType(
                    runs[stack],
                    "aws:eks/podIdentityAssociation:PodIdentityAssociation",
                );
                assert.strictEqual(
                    associations.length,
                    ofType(runs[stack], "tacos:aws:WorkloadIdentity").length,
                );
                for (const association of associations) {
                    assert.ok(
                        provider.options.dependsOn.includes(association.urn),
                        `provider waits for ${association.name}`,
                    );
                }
            });
        });
    }

    it("schema validation rejects malformed objects", async () => {
        await assert.rejects(
            validateObject({ apiVersion: "v1", kind: "Namespace", metadata: { name: 42 as any } }),
            /Namespace/,
        );
        await assert.rejects(
            validateObject({
                apiVersion: "gateway.networking.k8s.io/v1",
                kind: "Gateway",
                metadata: { name: "g" },
                spec: {
                    gatewayClassName: "c",
                    listeners: [{ name: "x", protocol: "HTTP", port: "eighty" }],
                },
            } as any),
            /Gateway g/,
        );
        await assert.rejects(
            validateObject({
                apiVersion: "argoproj.io/v1alpha1",
                kind: "AppProject",
                metadata: { name: "p" },
                spec: { destinations: "everywhere" },
            } as any),
            /AppProject p/,
        );
        await assert.rejects(
            validateObject({
                apiVersion: "gateway.k8s.aws/v1",
                kind: "LoadBalancerConfiguration",
                metadata: { name: "l", namespace: "n" },
                spec: { scheme: "public" },
            } as any),
            /LoadBalancerConfiguration l/,
        );
        await assert.rejects(
            validateObject({ apiVersion: "example.com/v1", kind: "Thing", metadata: { name: "t" } }),
            /no schema known/,
        );
    });
});
