/**
 * The platform's own pods: every add-on's footprint record against the values its charts are
 * installed with, the namespace quotas sized from them, how the system node group's pods are
 * placed, and how render:addons compares what a chart renders with the record.
 */
import * as assert from "assert";
import { ADDONS, AddonName } from "../components/k8s/addons";
import { Addon } from "../components/k8s/addons/addon";
import {
    EKS_ADDON_FOOTPRINT,
    FOOTPRINT_TYPE,
    perNodeDaemonSets,
    placePods,
    systemPods,
    WorkloadFootprint,
} from "../vocabulary/footprint";
import { cores, gibibytes } from "../vocabulary/quantity";
import { ofType, ProgramRun } from "../tools/harness";
import {
    addRenderedRequests,
    compareFootprints,
    NamespaceRequests,
    recordedRequests,
} from "../tools/render-addons/footprint";
import { installedAddons, STACKS, useStackRuns } from "./stacks";

const footprints = (run: ProgramRun) =>
    ofType(run, FOOTPRINT_TYPE).map(
        (r) => r.inputs as { addon: AddonName; namespace: string; workloads: WorkloadFootprint[] },
    );

/** Whether `needle` occurs, deep-equal, anywhere inside `haystack`. */
function contains(haystack: unknown, needle: unknown): boolean {
    if (JSON.stringify(haystack) === JSON.stringify(needle)) return true;
    return (
        typeof haystack === "object" &&
        haystack !== null &&
        Object.values(haystack).some((v) => contains(v, needle))
    );
}

describe("platform footprints", () => {
    const runs = useStackRuns();

    for (const stack of STACKS) {
        describe(stack, () => {
            it("records a footprint for every enabled add-on, each container's resources as its chart is given them", () => {
                const run = runs[stack];
                const records = footprints(run);
                assert.deepStrictEqual(
                    records.map((r) => r.addon).sort(),
                    [...installedAddons(stack)].sort(),
                );
                const releases = ofType(run, "kubernetes:helm.sh/v3:Release").map((r) => r.inputs);
                for (const record of records) {
                    const values = releases
                        .filter((r) => r.namespace === record.namespace)
                        .map((r) => r.values);
                    for (const w of record.workloads) {
                        assert.ok(
                            contains(values, w.resources),
                            `${record.addon}/${w.name}: ${JSON.stringify(w.resources)} is set in a release of namespace ${record.namespace}`,
                        );
                    }
                }
            });

            it("gives a quota to each add-on namespace whose pods are all counted, admitting them while they roll", () => {
                const run = runs[stack];
                // The namespaces' compute quotas (a quota scoped to a priority class only admits that class).
                const quotas = new Map(
                    ofType(run, "kubernetes:core/v1:ResourceQuota")
                        .filter((q) => !q.inputs.spec.scopeSelector)
                        .map((q) => [q.inputs.metadata.namespace, q.inputs.spec.hard]),
                );
                for (const record of footprints(run)) {
                    const sharing = footprints(run).filter((r) => r.namespace === record.namespace);
                    const counted = sharing.every(
                        (r) =>
                            (ADDONS[r.addon] as Addon).noQuota === undefined &&
                            r.workloads.every((w) => w.replicas !== "every-node"),
                    );
                    const hard = quotas.get(record.namespace);
                    assert.strictEqual(
                        hard !== undefined,
                        counted,
                        `${record.namespace}: a quota exactly when every pod there is counted`,
                    );
                    if (!hard) continue;
                    const requested = sharing
                        .flatMap((r) => r.workloads)
                        .reduce(
                            (sum, w) => sum + (w.replicas as number) * cores(w.resources.requests.cpu),
                            0,
                        );
                    assert.ok(
                        cores(hard["requests.cpu"]) >= requested,
                        `${record.namespace}: quota ${hard["requests.cpu"]} admits ${requested} vCPU`,
                    );
                }
                assert.ok(!quotas.has("argocd"), "Argo CD's hook Job is not in its footprint");
                for (const counted of ["monitoring", "karpenter", "keda", "gateway"])
                    assert.ok(quotas.has(counted), counted);
            });
        });
    }

    it("counts the EKS add-ons' controllers on the system nodes and their node agents on every node", () => {
        const ds = perNodeDaemonSets(EKS_ADDON_FOOTPRINT);
        // vpc-cni 2 x 25m, kube-proxy 100m, the EBS CSI node pod 3 x 10m; memory only the EBS CSI node pod's 40 + 32 + 32 MiB.
        assert.deepStrictEqual(
            [Math.round(ds.vcpu * 1000), Math.round(gibibytes("1Gi") * 1024 * ds.memoryGiB)],
            [180, 104],
        );
        const system = systemPods(EKS_ADDON_FOOTPRINT);
        assert.deepStrictEqual(system.map((p) => p.workload).sort(), [
            "coredns",
            "coredns",
            "ebs-csi-controller",
            "ebs-csi-controller",
        ]);
        const controller = system.find((p) => p.workload === "ebs-csi-controller")!;
        assert.deepStrictEqual(
            [Math.round(controller.vcpu * 1000), Math.round(controller.memoryGiB * 1024)],
            [50, 192],
            "its five containers make one pod",
        );
    });

    it("places pods as the scheduler spreads them: least allocated node first, never two replicas of one workload on a node", () => {
        const pod = (workload: string, vcpu: number) => ({ addon: "a", workload, vcpu, memoryGiB: 1 });
        const spread = placePods([pod("x", 1), pod("y", 1), pod("z", 1)], 3, { vcpu: 2, memoryGiB: 8 });
        assert.deepStrictEqual(
            spread.used.map((u) => u.vcpu),
            [1, 1, 1],
            "one pod a node, not packed onto the first",
        );
        const apart = placePods([pod("x", 0.1), pod("x", 0.1), pod("x", 0.1)], 2, { vcpu: 2, memoryGiB: 8 });
        assert.deepStrictEqual(
            [apart.unplaced.length, apart.used.map((u) => u.vcpu)],
            [1, [0.1, 0.1]],
            "the third replica has no node of its own",
        );
        assert.strictEqual(
            placePods([pod("big", 3)], 4, { vcpu: 2, memoryGiB: 8 }).unplaced.length,
            1,
            "larger than a node",
        );
    });

    describe("render:addons' comparison", () => {
        const deployment = (replicas: number, containers: object[], extra: Record<string, any> = {}) => ({
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: { name: "d", ...extra },
            spec: { replicas, template: { spec: { containers } } },
        });
        const requests = (cpu: string, memory: string) => ({
            name: "c",
            resources: { requests: { cpu, memory } },
        });

        it("sums what running workloads request: replicas, a pod a node for DaemonSets, the operator's Prometheus, not hook Jobs", () => {
            const into = new Map<string, NamespaceRequests>();
            addRenderedRequests(
                deployment(2, [requests("100m", "128Mi"), requests("50m", "64Mi")]),
                "ns",
                into,
            );
            addRenderedRequests(
                {
                    apiVersion: "apps/v1",
                    kind: "DaemonSet",
                    metadata: { name: "ds" },
                    spec: { template: { spec: { containers: [requests("20m", "32Mi")] } } },
                },
                "ns",
                into,
            );
            addRenderedRequests(
                {
                    apiVersion: "monitoring.coreos.com/v1",
                    kind: "Prometheus",
                    metadata: { name: "p", namespace: "mon" },
                    spec: { replicas: 2, resources: { requests: { cpu: "500m", memory: "3Gi" } } },
                },
                "ns",
                into,
            );
            addRenderedRequests(
                {
                    apiVersion: "batch/v1",
                    kind: "Job",
                    metadata: { name: "j", annotations: { "helm.sh/hook": "pre-install" } },
                    spec: { template: { spec: { containers: [requests("1", "1Gi")] } } },
                },
                "ns",
                into,
            );
            // An init container larger than the containers sets the pod's request.
            addRenderedRequests(deployment(1, [requests("10m", "16Mi")], { namespace: "other" }), "ns", into);
            const withInit = deployment(1, [requests("10m", "16Mi")], { namespace: "init" });
            (withInit.spec.template.spec as any).initContainers = [requests("200m", "8Mi")];
            addRenderedRequests(withInit, "ns", into);
            assert.deepStrictEqual(Object.fromEntries(into), {
                ns: { systemMillicores: 300, systemMiB: 384, perNodeMillicores: 20, perNodeMiB: 32 },
                mon: { systemMillicores: 1000, systemMiB: 6144, perNodeMillicores: 0, perNodeMiB: 0 },
                other: { systemMillicores: 10, systemMiB: 16, perNodeMillicores: 0, perNodeMiB: 0 },
                init: { systemMillicores: 200, systemMiB: 16, perNodeMillicores: 0, perNodeMiB: 0 },
            });
        });

        it("names each namespace where a chart runs more or less than its footprint says", () => {
            const run = runs.dev;
            const recorded = recordedRequests(run);
            assert.deepStrictEqual(
                compareFootprints(recorded, recorded).flatMap((c) => c.differences),
                [],
            );
            const rendered = new Map(recorded);
            rendered.set("keda", {
                ...recorded.get("keda")!,
                systemMillicores: recorded.get("keda")!.systemMillicores + 100,
            });
            const keda = compareFootprints(rendered, recorded).find((c) => c.namespace === "keda")!;
            assert.deepStrictEqual(keda.differences, [
                `systemMillicores: rendered ${recorded.get("keda")!.systemMillicores + 100}, footprint ${recorded.get("keda")!.systemMillicores}`,
            ]);
        });
    });
});
