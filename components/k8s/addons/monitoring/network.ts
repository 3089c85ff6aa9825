/**
 * The monitoring namespace's NetworkPolicy needs: the API server (also the control plane's
 * metrics), the control plane's webhook calls, Alertmanager to SNS, Prometheus to every scrape
 * target, the nodes and CoreDNS, and Prometheus' query port to its clients (and, in the mesh, to
 * the probes' SNAT address).
 */
import { HBONE_PORT, PROBE_SNAT_CIDR } from "../../../../vocabulary/mesh";
import { MONITORING_NAMESPACE } from "../../../../vocabulary/platform";
import {
    allowApiServer,
    allowAwsApis,
    allowFromControlPlane,
    AllowRule,
    allowToNamespaces,
    allowWithinNamespace,
    cidr,
    namespacePeer,
    tcp,
} from "../../network-policies";
import type { MonitoringArgs } from "./args";
import { PROMETHEUS_PORT } from "./facts";

/**
 * CoreDNS' pods and metrics port: the EKS CoreDNS add-on serves Prometheus metrics on 9153 behind
 * the kube-dns Service (EKS User Guide, "Monitor Kubernetes DNS resolution with CoreDNS metrics"),
 * whose pods carry `k8s-app: kube-dns`, the selector of kube-prometheus-stack's headless
 * `<fullname>-coredns` Service in kube-system (templates/exporters/core-dns/service.yaml, chart 88.5.3).
 */
export const COREDNS_POD = { "k8s-app": "kube-dns" };
export const COREDNS_METRICS_PORT = 9153;

/** The label of Prometheus' pods (the operator's), which its policies select. */
export const PROMETHEUS_POD = { "app.kubernetes.io/name": "prometheus" };

/** The rules of the monitoring namespace; `inMesh` when Prometheus joins the ambient mesh. */
export function monitoringAllowRules(
    args: Pick<MonitoringArgs, "vpcCidr" | "scrapeTargets" | "prometheusClients">,
    inMesh: boolean,
): AllowRule[] {
    return [
        allowWithinNamespace(),
        allowApiServer(args.vpcCidr),
        allowFromControlPlane(args.vpcCidr, [10250]),
        { ...allowAwsApis({ "app.kubernetes.io/name": "alertmanager" }), name: "alertmanager-to-sns" },
        // A namespace in the mesh is reached through its pods' HBONE port (the metrics port is inside the tunnel).
        allowToNamespaces(
            "to-scrape-targets",
            args.scrapeTargets
                .filter((t) => t.namespace !== MONITORING_NAMESPACE)
                .map((t) => (t.viaMesh ? { namespace: t.namespace, ports: [HBONE_PORT] } : t)),
        ),
        // (An empty `from` would admit everyone: no rule without clients.)
        ...(args.prometheusClients.length > 0
            ? [
                  {
                      name: "prometheus-from-clients",
                      podSelector: PROMETHEUS_POD,
                      ingress: [
                          {
                              from: args.prometheusClients.map((ns) => namespacePeer(ns)),
                              ports: tcp(PROMETHEUS_PORT),
                          },
                      ],
                  },
              ]
            : []),
        // In the mesh, kubelet's probes of Prometheus come from the CNI agent's SNAT address.
        ...(inMesh
            ? [
                  {
                      name: "prometheus-probes",
                      podSelector: PROMETHEUS_POD,
                      ingress: [{ from: [cidr(PROBE_SNAT_CIDR)], ports: tcp(PROMETHEUS_PORT) }],
                  },
              ]
            : []),
        // The kubelets' cAdvisor and resource metrics, and node-exporter on the host network.
        { name: "to-nodes", egress: [{ to: [cidr(args.vpcCidr)], ports: tcp(10250, 9100) }] },
        // CoreDNS, which the chart's coreDns ServiceMonitor scrapes: kube-system has no NetworkPolicy, so egress is all it needs.
        {
            name: "prometheus-to-coredns",
            podSelector: PROMETHEUS_POD,
            egress: [{ to: [namespacePeer("kube-system", COREDNS_POD)], ports: tcp(COREDNS_METRICS_PORT) }],
        },
    ];
}
