/**
 * The add-ons' footprints against what their charts render: per namespace, the CPU and memory the
 * rendered workloads request while running (Deployments and StatefulSets at their replicas,
 * DaemonSets a pod a node, the Prometheus and Alertmanager the operator will run) against the
 * footprint records the program registers, which size the namespace's quota and the plan's figures.
 */
import { addonFootprints } from "../../vocabulary/footprint";
import { bytesOf, millicoresOf } from "../../vocabulary/quantity";
import type { KubeObject } from "../../vocabulary/pod-security";
import type { ProgramRun } from "../harness";

/** Millicores and MiB a namespace's running pods request: on the system nodes in total, and on every node. */
export interface NamespaceRequests {
    systemMillicores: number;
    systemMiB: number;
    perNodeMillicores: number;
    perNodeMiB: number;
}

export interface FootprintCheck {
    namespace: string;
    rendered: NamespaceRequests;
    recorded: NamespaceRequests;
    /** Empty when the two agree (to 1m and 1 MiB). */
    differences: string[];
}

const EMPTY: NamespaceRequests = { systemMillicores: 0, systemMiB: 0, perNodeMillicores: 0, perNodeMiB: 0 };

/** Adds to `namespace`'s sum in `into` the pods of `pod`'s request: `replicas` of them, or one on every node. */
function addPods(
    into: Map<string, NamespaceRequests>,
    namespace: string,
    pod: { millicores: number; mib: number },
    replicas: number | "every-node",
): void {
    const entry = into.get(namespace) ?? { ...EMPTY };
    if (replicas === "every-node") {
        entry.perNodeMillicores += pod.millicores;
        entry.perNodeMiB += pod.mib;
    } else {
        entry.systemMillicores += replicas * pod.millicores;
        entry.systemMiB += replicas * pod.mib;
    }
    into.set(namespace, entry);
}

/** The per-namespace sums of several maps added together. */
export function sumRequests(maps: Iterable<[string, NamespaceRequests]>): Map<string, NamespaceRequests> {
    const into = new Map<string, NamespaceRequests>();
    for (const [namespace, r] of maps) {
        addPods(into, namespace, { millicores: r.systemMillicores, mib: r.systemMiB }, 1);
        addPods(into, namespace, { millicores: r.perNodeMillicores, mib: r.perNodeMiB }, "every-node");
    }
    return into;
}

const requestOf = (container: Record<string, any> | undefined) => ({
    millicores: millicoresOf(String(container?.resources?.requests?.cpu ?? "0")),
    mib: bytesOf(String(container?.resources?.requests?.memory ?? "0")) / 2 ** 20,
});

/** What one pod of a spec requests: its containers and sidecars, or its largest init container if more. */
function podRequest(spec: Record<string, any>): { millicores: number; mib: number } {
    const sidecars = (spec.initContainers ?? []).filter(
        (c: Record<string, any>) => c.restartPolicy === "Always",
    );
    const running = [...(spec.containers ?? []), ...sidecars].map(requestOf);
    const inits = (spec.initContainers ?? [])
        .filter((c: Record<string, any>) => c.restartPolicy !== "Always")
        .map(requestOf);
    const sum = running.reduce((a, b) => ({ millicores: a.millicores + b.millicores, mib: a.mib + b.mib }), {
        millicores: 0,
        mib: 0,
    });
    return {
        millicores: Math.max(sum.millicores, ...inits.map((i: { millicores: number }) => i.millicores)),
        mib: Math.max(sum.mib, ...inits.map((i: { mib: number }) => i.mib)),
    };
}

/** Adds what `object` runs, when it runs pods, to `into` (by its namespace, or `releaseNamespace`). */
export function addRenderedRequests(
    object: KubeObject,
    releaseNamespace: string,
    into: Map<string, NamespaceRequests>,
): void {
    const o = object as Record<string, any>;
    const namespace = o.metadata?.namespace ?? releaseNamespace;
    const hook = o.metadata?.annotations?.["helm.sh/hook"];
    let pod: { millicores: number; mib: number } | undefined;
    let replicas: number | "every-node" = 1;
    if ((o.kind === "Deployment" || o.kind === "StatefulSet") && !hook) {
        pod = podRequest(o.spec?.template?.spec ?? {});
        replicas = Number(o.spec?.replicas ?? 1);
    } else if (o.kind === "DaemonSet" && !hook) {
        pod = podRequest(o.spec?.template?.spec ?? {});
        replicas = "every-node";
    } else if (
        (o.kind === "Prometheus" || o.kind === "Alertmanager") &&
        String(o.apiVersion).startsWith("monitoring.coreos.com/")
    ) {
        // The operator runs spec.replicas pods (shards x replicas for Prometheus; one shard here) of spec.resources.
        pod = requestOf(o.spec);
        replicas = Number(o.spec?.replicas ?? 1);
    }
    if (pod) addPods(into, namespace, pod, replicas);
}

/** The footprint records of a run, summed per namespace as addRenderedRequests sums what renders. */
export function recordedRequests(run: ProgramRun): Map<string, NamespaceRequests> {
    const byNamespace = new Map<string, NamespaceRequests>();
    for (const record of addonFootprints(run.resources.map((r) => ({ type: r.type, props: r.inputs })))) {
        for (const w of record.workloads) addPods(byNamespace, record.namespace, requestOf(w), w.replicas);
    }
    return byNamespace;
}

/** Each namespace with a footprint or rendered pods: the two sums and how they differ. */
export function compareFootprints(
    rendered: Map<string, NamespaceRequests>,
    recorded: Map<string, NamespaceRequests>,
): FootprintCheck[] {
    return [...new Set([...rendered.keys(), ...recorded.keys()])].sort().map((namespace) => {
        const r = rendered.get(namespace) ?? EMPTY;
        const f = recorded.get(namespace) ?? EMPTY;
        const differences = (Object.keys(EMPTY) as (keyof NamespaceRequests)[])
            .filter((key) => Math.abs(r[key] - f[key]) >= 1)
            .map((key) => `${key}: rendered ${Math.round(r[key])}, footprint ${Math.round(f[key])}`);
        return { namespace, rendered: r, recorded: f, differences };
    });
}
