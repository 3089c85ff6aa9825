/**
 * The destroy order, from each stack's own resource graph: every object a controller acts on when
 * it is deleted goes before that controller, every Kubernetes object before what the controllers
 * run on, that before the cluster, the cluster before the VPC. The failing cases take a run's graph
 * and drop one dependency, as a program that forgot it would register it.
 */
import * as assert from "assert";
import { ADDONS } from "../components/k8s/addons";
import type { RecordedResource } from "../tools/harness";
import { declaredControllers, teardownOf } from "../tools/plan/teardown";
import { destroyGraph } from "../tools/plan/teardown-graph";
import { STACKS, useStackRuns } from "./stacks";

/** The run's resources with `urn` removed from every dependency list (as if nothing had named it in dependsOn or an input). */
function withoutDependenciesOn(resources: RecordedResource[], urn: string): RecordedResource[] {
    return resources.map((r) => ({
        ...r,
        options: { ...r.options, dependsOn: r.options.dependsOn.filter((d) => d !== urn) },
    }));
}

/** The URN of the one resource named `name`. */
function urnOf(resources: RecordedResource[], name: string): string {
    const found = resources.filter((r) => r.name === name);
    assert.strictEqual(found.length, 1, `one resource named ${name}`);
    return found[0].urn;
}

describe("teardown order", () => {
    const runs = useStackRuns();

    for (const stack of STACKS) {
        describe(stack, () => {
            it("destroys every managed object before its controller and the cluster after every Kubernetes object", () => {
                const teardown = teardownOf(runs[stack].resources);
                assert.deepStrictEqual(teardown.problems, []);
            });

            it("reports each installed controller after its objects, and the foundation after the controllers", () => {
                const teardown = teardownOf(runs[stack].resources);
                // Every installed add-on that declares a controller, and the EBS CSI driver.
                const installed = runs[stack].outputs.addons as string[];
                const expected = [
                    ...Object.values(ADDONS)
                        .filter(
                            ({ declaration }) => declaration.teardown && installed.includes(declaration.name),
                        )
                        .map(({ declaration }) => declaration.name),
                    "ebs-csi-driver",
                ];
                assert.ok(expected.length > 1, `add-ons with a controller in ${stack}: ${expected}`);
                assert.deepStrictEqual(teardown.controllers.map((c) => c.controller).sort(), expected.sort());
                for (const controller of teardown.controllers) {
                    for (const objects of controller.objects) {
                        assert.ok(
                            objects.step < controller.step,
                            `${objects.type} (step ${objects.step}) before ${controller.controller} (step ${controller.step})`,
                        );
                    }
                }
                const steps = teardown.infrastructure.map((i) => i.step);
                const lastController = Math.max(...teardown.controllers.map((c) => c.step));
                assert.deepStrictEqual(
                    teardown.infrastructure.map((i) => i.what),
                    ["Pod Identity associations", "EKS managed add-ons", "node groups", "EKS cluster", "VPC"],
                );
                assert.ok(
                    steps.every((s, i) => i === 0 || s >= steps[i - 1]),
                    `foundation in order: ${steps}`,
                );
                assert.ok(
                    steps.slice(2).every((s) => s > lastController),
                    "node groups, cluster, VPC after every controller",
                );
            });
        });
    }

    it("deletes each Application's synced objects with it (Argo CD's resources finalizer)", () => {
        // Without it the services' routes and target group configurations would be left to the
        // tacos namespace, which goes after the load balancer controller: their finalizers would hang.
        const applications = STACKS.flatMap((stack) =>
            runs[stack].resources
                .filter((r) => r.type === "kubernetes:argoproj.io/v1alpha1:Application")
                .map((r) => ({ stack, ...r })),
        );
        assert.ok(applications.length > 0, "the stacks deliver through Argo CD");
        for (const application of applications) {
            assert.deepStrictEqual(
                application.inputs.metadata.finalizers,
                ["resources-finalizer.argocd.argoproj.io"],
                `${application.stack} ${application.name}`,
            );
        }
    });

    it("reports a Gateway that does not depend on the load balancer controller", () => {
        const resources = runs.prod.resources;
        const controller = urnOf(resources, "gateway-aws-load-balancer-controller");
        const teardown = teardownOf(withoutDependenciesOn(resources, controller));
        const problems = teardown.problems.filter((p) => p.includes("gateway-gateway"));
        assert.deepStrictEqual(problems, [
            "kubernetes:gateway.networking.k8s.io/v1:Gateway gateway-gateway does not depend on gateway-aws-load-balancer-controller (gateway): a destroy may remove the controller first",
        ]);
    });

    it("reports a NodePool that does not depend on Karpenter's release", () => {
        const resources = runs.dev.resources;
        const release = urnOf(resources, "karpenter-release");
        const pools = resources.filter((r) => r.type === "kubernetes:karpenter.sh/v1:NodePool");
        const nodeClass = urnOf(resources, "karpenter-nodeclass");
        // The pools lose the release and the node class (which depends on the release): nothing else leads there.
        const broken = resources.map((r) =>
            pools.includes(r)
                ? {
                      ...r,
                      options: {
                          ...r.options,
                          dependsOn: r.options.dependsOn.filter((d) => d !== release && d !== nodeClass),
                      },
                  }
                : r,
        );
        const problems = teardownOf(broken).problems;
        assert.deepStrictEqual(
            problems,
            pools.map(
                (p) =>
                    `kubernetes:karpenter.sh/v1:NodePool ${p.name} does not depend on karpenter-release (karpenter): a destroy may remove the controller first`,
            ),
        );
    });

    it("reports managed objects of a controller the stack does not install", () => {
        const resources = runs.prod.resources.filter((r) => r.name !== "argocd-release");
        const problems = teardownOf(resources).problems.filter((p) => p.includes("Application"));
        assert.strictEqual(problems.length, 5);
        assert.ok(
            problems.every((p) => p.endsWith("is managed by argocd, which the stack does not install")),
        );
    });

    it("reports a cluster that does not go before the VPC", () => {
        const resources = runs.prod.resources;
        // The cluster reaches the VPC through its subnets and its vpcId.
        const subnets = resources
            .filter((r) => r.type === "aws:ec2/subnet:Subnet" || r.type === "aws:ec2/vpc:Vpc")
            .map((r) => r.urn);
        const cluster = resources.find((r) => r.type === "eks:index:Cluster")!;
        const broken = resources.map((r) =>
            r === cluster
                ? {
                      ...r,
                      options: {
                          ...r.options,
                          dependsOn: r.options.dependsOn.filter((d) => !subnets.includes(d)),
                      },
                  }
                : r,
        );
        assert.deepStrictEqual(
            teardownOf(broken).problems.filter((p) => p.includes("aws:ec2/vpc:Vpc")),
            ["eks:index:Cluster cluster-eks does not go before aws:ec2/vpc:Vpc network-vpc"],
        );
    });

    it("declares each managed kind once, each add-on's controller among its own charts", () => {
        assert.deepStrictEqual(teardownOf([], declaredControllers()).problems, []);
        const doubled = [...declaredControllers(), { ...declaredControllers()[0], name: "again" }];
        assert.ok(teardownOf([], doubled).problems.every((p) => p.includes("declared as managed by")));
        assert.ok(teardownOf([], doubled).problems.length > 0);
        for (const { declaration } of Object.values(ADDONS)) {
            const controller = declaration.teardown?.controller;
            if (controller && "helmChart" in controller) {
                assert.ok(
                    declaration.charts.some((c) => c.chart === controller.helmChart),
                    `${declaration.name} installs ${controller.helmChart}`,
                );
            }
        }
    });

    it("orders a child before its parent and a provider's resources before the provider", () => {
        const graph = destroyGraph(runs.dev.resources);
        const gateway = runs.dev.resources.find((r) => r.name === "gateway-gateway")!;
        const provider = runs.dev.resources.find((r) => r.type === "pulumi:providers:kubernetes")!;
        assert.ok(graph.dependsOn(gateway.urn, gateway.options.parent));
        assert.ok(graph.dependsOn(gateway.urn, provider.urn));
        assert.ok(graph.stepOf(gateway.urn) < graph.stepOf(provider.urn));
    });
});
