import * as assert from "assert";
import { CATALOGUE, SERVICE_NAMES } from "../components/apps/catalogue";
import { PINNED_CHARTS } from "../components/k8s/addons";
import { chartSource } from "../components/k8s/addons/chart";
import {
    GATEWAY_API_CRDS,
    LOAD_BALANCER_CONTROLLER_CHART,
    LOAD_BALANCER_CONTROLLER_CRDS,
} from "../components/k8s/addons/gateway";
import { cpuMillicores, memoryBytes } from "../components/k8s/quantity";
import { unknownKeys } from "./chart-values";
import { findResource, ofType, ProgramRun, RecordedResource, runProgram } from "../tools/harness";
import { releaseOfChart, sectionOf, STACKS, useStackRuns } from "./stacks";
import { validateObject } from "../tools/k8s-schema";

describe("cluster platform: stacks", () => {
    const runs = useStackRuns();

    const cfg = (stack: string, key: string) => sectionOf(runs[stack], key);
    /** Kubernetes objects the program registers (custom resources of the kubernetes provider, not releases or bundles). */
    const k8sObjects = (run: ProgramRun) =>
        run.resources.filter(
            (r) =>
                r.custom &&
                r.type.startsWith("kubernetes:") &&
                !r.type.startsWith("kubernetes:helm.sh") &&
                !r.type.startsWith("kubernetes:yaml"),
        );
    const byKind = (run: ProgramRun, kind: string) => k8sObjects(run).filter((r) => r.inputs.kind === kind);
    const releases = (run: ProgramRun) => ofType(run, "kubernetes:helm.sh/v3:Release");
    const release = releaseOfChart;
    const dependsOnName = (r: RecordedResource, name: string) =>
        r.options.dependsOn.some((urn) => urn.endsWith(`::${name}`));

    describe("add-ons and the edge", () => {
        for (const stack of STACKS) {
            describe(stack, () => {
                it("validates every Kubernetes object against its API schema", async () => {
                    const objects = k8sObjects(runs[stack]);
                    assert.ok(objects.length >= 30, `only ${objects.length} objects`);
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
                    const [cluster] = ofType(runs[stack], "aws:eks/cluster:Cluster");
                    assert.strictEqual(kubeconfig.clusters[0].cluster.server, cluster.state.endpoint);
                    assert.deepStrictEqual(
                        kubeconfig.users[0].user.exec.args.slice(0, 4),
                        ["eks", "get-token", "--cluster-name", cluster.state.name],
                        "a token from the caller's own AWS identity",
                    );
                    assert.ok(provider.secretInputs.includes("kubeconfig"));
                    const k8sResources = runs[stack].resources.filter(
                        (r) => r.custom && r.type.startsWith("kubernetes:"),
                    );
                    assert.ok(k8sResources.every((r) => r.options.provider.startsWith(provider.urn)));
                    for (const group of ofType(runs[stack], "aws:eks/nodeGroup:NodeGroup")) {
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

                it("labels each namespace for Pod Security Admission: restricted but for the node agents' (privileged), all warn and audit restricted", () => {
                    const namespaces = byKind(runs[stack], "Namespace");
                    assert.deepStrictEqual(namespaces.map((n) => n.inputs.metadata.name).sort(), [
                        "argo-rollouts",
                        "argocd",
                        "gateway",
                        "grafana",
                        "istio-node",
                        "istio-system",
                        "karpenter",
                        "keda",
                        "logging",
                        "metrics-server",
                        "monitoring",
                        "node-exporter",
                        "opencost",
                        "tacos",
                        "vpa",
                    ]);
                    for (const ns of namespaces) {
                        const labels = ns.inputs.metadata.labels;
                        const privileged = ["node-exporter", "logging", "istio-node"].includes(
                            ns.inputs.metadata.name,
                        );
                        assert.strictEqual(
                            labels["pod-security.kubernetes.io/enforce"],
                            privileged ? "privileged" : "restricted",
                            ns.inputs.metadata.name,
                        );
                        assert.strictEqual(labels["pod-security.kubernetes.io/warn"], "restricted");
                        assert.strictEqual(labels["pod-security.kubernetes.io/audit"], "restricted");
                    }
                });

                it("mirrors the AWS cost tags as labels on every namespace", () => {
                    const tags = cfg(stack, "tags");
                    for (const ns of byKind(runs[stack], "Namespace")) {
                        const labels = ns.inputs.metadata.labels;
                        assert.strictEqual(labels["cost.tacos.io/project"], tags.Project);
                        assert.strictEqual(labels["cost.tacos.io/cost-center"], tags.CostCenter);
                        assert.strictEqual(labels["cost.tacos.io/environment"], tags.Environment);
                        assert.ok(labels["cost.tacos.io/component"], ns.inputs.metadata.name);
                    }
                });

                it("gives every namespace a default-deny policy for ingress and egress, and DNS", () => {
                    const policies = byKind(runs[stack], "NetworkPolicy");
                    for (const ns of byKind(runs[stack], "Namespace").map((n) => n.inputs.metadata.name)) {
                        const own = policies.filter((p) => p.inputs.metadata.namespace === ns);
                        const deny = own.find((p) => p.inputs.metadata.name === "default-deny");
                        assert.ok(deny, `${ns} has no default-deny`);
                        assert.deepStrictEqual(deny!.inputs.spec.podSelector, {});
                        assert.deepStrictEqual([...deny!.inputs.spec.policyTypes].sort(), [
                            "Egress",
                            "Ingress",
                        ]);
                        assert.ok(
                            !deny!.inputs.spec.ingress && !deny!.inputs.spec.egress,
                            "default deny allows nothing",
                        );
                        const dns = own.find((p) => p.inputs.metadata.name === "allow-dns");
                        assert.deepStrictEqual(
                            dns?.inputs.spec.egress[0].ports
                                .map((p: any) => `${p.protocol}/${p.port}`)
                                .sort(),
                            ["TCP/53", "UDP/53"],
                            ns,
                        );
                    }
                });

                it("lets the controllers reach the API server and the load balancer reach only the Argo CD server and Grafana", () => {
                    const policies = byKind(runs[stack], "NetworkPolicy");
                    for (const ns of ["argocd", "keda", "gateway", "grafana", "logging", "opencost", "vpa"]) {
                        assert.ok(
                            policies.some(
                                (p) =>
                                    p.inputs.metadata.namespace === ns &&
                                    /api-server/.test(p.inputs.metadata.name),
                            ),
                            ns,
                        );
                    }
                    const fromLb = policies.filter((p) => /from-load-balancer/.test(p.inputs.metadata.name));
                    assert.deepStrictEqual(fromLb.map((p) => p.inputs.metadata.namespace).sort(), [
                        "argocd",
                        "grafana",
                    ]);
                    const publicCidrs = cfg(stack, "network")
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
                        [
                            { "app.kubernetes.io/name": "argocd-server" },
                            { "app.kubernetes.io/name": "grafana" },
                        ],
                    );
                });

                it("sizes the tacos quota to admit every service rolling out at max replicas with its surge", () => {
                    const quota = byKind(runs[stack], "ResourceQuota").find(
                        (q) => q.inputs.metadata.namespace === "tacos",
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
                        (l) => l.inputs.metadata.namespace === "tacos",
                    )!.inputs.spec.limits[0];
                    assert.deepStrictEqual(limits.max, { cpu: "1200m", memory: "1Gi" });
                });

                it("lets every add-on pod with a workload identity reach the Pod Identity agent (169.254.170.23:80) through default deny", () => {
                    // kube-system (the EBS CSI driver's controller) is EKS's, without default deny.
                    const identities = ofType(
                        runs[stack],
                        "aws:eks/podIdentityAssociation:PodIdentityAssociation",
                    ).filter((a) => !["tacos", "kube-system"].includes(a.inputs.namespace));
                    assert.ok(identities.length >= 2);
                    for (const identity of identities) {
                        const policies = byKind(runs[stack], "NetworkPolicy").filter(
                            (p) => p.inputs.metadata.namespace === identity.inputs.namespace,
                        );
                        const reaches = policies.some((p) =>
                            (p.inputs.spec.egress ?? []).some(
                                (rule: any) =>
                                    rule.to?.some(
                                        (peer: any) => peer.ipBlock?.cidr === "169.254.170.23/32",
                                    ) &&
                                    rule.ports?.some(
                                        (port: any) => port.port === 80 && port.protocol === "TCP",
                                    ),
                            ),
                        );
                        assert.ok(
                            reaches,
                            `${identity.inputs.namespace}/${identity.inputs.serviceAccount} cannot fetch its credentials`,
                        );
                    }
                });

                it("pins every Helm release to the chart registry's version and makes it roll back on failure", () => {
                    const all = releases(runs[stack]);
                    assert.deepStrictEqual(
                        all.map((r) => r.inputs.chart).sort(),
                        PINNED_CHARTS.map((c) => chartSource(c).chart).sort(),
                    );
                    for (const r of all) {
                        const pinned = PINNED_CHARTS.find((c) => chartSource(c).chart === r.inputs.chart)!;
                        assert.match(
                            r.inputs.version,
                            /^\d+\.\d+\.\d+$/,
                            `${r.inputs.chart} version is exact`,
                        );
                        assert.strictEqual(r.inputs.version, pinned.version);
                        assert.strictEqual(
                            r.inputs.repositoryOpts?.repo,
                            chartSource(pinned).repositoryOpts?.repo,
                        );
                        assert.deepStrictEqual([r.inputs.atomic, r.inputs.cleanupOnFail], [true, true]);
                    }
                });

                it("refuses a values key the chart's pin does not record (a misspelt key Helm would ignore)", () => {
                    const keda = PINNED_CHARTS.find((c) => c.chart === "keda")!;
                    assert.deepStrictEqual(
                        unknownKeys(keda, {
                            tolerations: [],
                            tolerationz: [],
                            operator: { replicaCount: 2, replicaCont: 2 },
                        }),
                        ["tolerationz", "operator.replicaCont"],
                    );
                });

                it("serves pod metrics (metrics.k8s.io) from metrics-server on the system nodes before any service and its HPA exist", () => {
                    const values = release(runs[stack], "metrics-server").inputs.values;
                    assert.deepStrictEqual(values.nodeSelector, { "tacos.io/node-group": "system" });
                    assert.strictEqual(values.replicas, stack === "prod" ? 2 : 1);
                    assert.deepStrictEqual(values.podDisruptionBudget, {
                        enabled: stack === "prod",
                        maxUnavailable: 1,
                    });
                    const services = runs[stack].resources.find(
                        (r) => r.type === "tacos:apps:ServiceDelivery",
                    )!;
                    assert.ok(
                        services.options.dependsOn.some((urn) => urn.endsWith("::metrics-server-release")),
                        "the services after metrics-server",
                    );
                    const policies = byKind(runs[stack], "NetworkPolicy").filter(
                        (p) => p.inputs.metadata.namespace === "metrics-server",
                    );
                    const ports = (dir: "ingress" | "egress") =>
                        policies.flatMap((p) =>
                            (p.inputs.spec[dir] ?? []).flatMap((r: any) =>
                                (r.ports ?? []).map((x: any) => x.port),
                            ),
                        );
                    assert.ok(ports("ingress").includes(10250), "the API server reaches the aggregated API");
                    assert.ok(
                        ports("egress").includes(10250) && ports("egress").includes(443),
                        "it scrapes the kubelets and talks to the API server",
                    );
                });

                it("sets only values keys that exist in each chart", () => {
                    for (const r of releases(runs[stack])) {
                        const chart = PINNED_CHARTS.find((c) => chartSource(c).chart === r.inputs.chart);
                        assert.ok(chart, `no pin for ${r.inputs.chart}`);
                        assert.strictEqual(chart.version, r.inputs.version);
                        assert.deepStrictEqual(unknownKeys(chart, r.inputs.values), [], r.inputs.chart);
                    }
                });

                it("runs every add-on on the system nodes with restricted container security contexts", () => {
                    const argo = release(runs[stack], "argo-cd").inputs.values;
                    for (const component of [
                        "controller",
                        "server",
                        "repoServer",
                        "applicationSet",
                        "redis",
                    ]) {
                        const sc = argo[component].containerSecurityContext;
                        assert.deepStrictEqual(
                            [
                                sc.runAsNonRoot,
                                sc.allowPrivilegeEscalation,
                                sc.capabilities.drop,
                                sc.seccompProfile.type,
                            ],
                            [true, false, ["ALL"], "RuntimeDefault"],
                            component,
                        );
                        assert.ok(
                            argo[component].resources.requests && argo[component].resources.limits,
                            component,
                        );
                    }
                    const keda = release(runs[stack], "keda").inputs.values;
                    for (const component of ["operator", "metricServer", "webhooks"]) {
                        assert.strictEqual(keda.securityContext[component].allowPrivilegeEscalation, false);
                        assert.strictEqual(
                            keda.securityContext[component].readOnlyRootFilesystem,
                            true,
                            `${component}: read-only root (certificates come from a mounted secret)`,
                        );
                        assert.strictEqual(keda.podSecurityContext[component].runAsNonRoot, true);
                        assert.ok(keda.resources[component].limits);
                    }
                    const lbc = release(runs[stack], "aws-load-balancer-controller").inputs.values;
                    assert.deepStrictEqual(lbc.securityContext.capabilities.drop, ["ALL"]);
                    for (const values of [argo.global, keda, lbc]) {
                        assert.deepStrictEqual(values.nodeSelector, { "tacos.io/node-group": "system" });
                        assert.deepStrictEqual(
                            values.tolerations.map((t: any) => t.key),
                            ["CriticalAddonsOnly"],
                        );
                    }
                });

                it("applies the Gateway API CRDs and the controller's own CRDs at their pinned versions, before the controller and every object that uses them", () => {
                    const bundles = ofType(runs[stack], "kubernetes:yaml/v2:ConfigFile");
                    assert.deepStrictEqual(
                        bundles.map((b) => b.inputs.file),
                        [GATEWAY_API_CRDS.url, ...LOAD_BALANCER_CONTROLLER_CRDS],
                    );
                    assert.match(
                        GATEWAY_API_CRDS.url,
                        /\/v1\.6\.\d+\/standard-install\.yaml$/,
                        "Gateway API v1.6, which controller 3.5 is built for",
                    );
                    for (const url of LOAD_BALANCER_CONTROLLER_CRDS)
                        assert.ok(
                            url.includes(`/v${LOAD_BALANCER_CONTROLLER_CHART.version}/`),
                            `${url} at the controller's version`,
                        );
                    const lbc = release(runs[stack], "aws-load-balancer-controller");
                    assert.strictEqual(
                        lbc.inputs.skipCrds,
                        true,
                        "the chart's crds/ are never upgraded by Helm; the program applies them",
                    );
                    for (const b of bundles)
                        assert.ok(lbc.options.dependsOn.includes(b.urn), `controller after ${b.inputs.file}`);
                    for (const r of k8sObjects(runs[stack]).filter((o) =>
                        /^gateway\.(networking\.k8s\.io|k8s\.aws)\//.test(o.inputs.apiVersion),
                    )) {
                        const chain = [
                            r,
                            ...runs[stack].resources.filter((p) => r.options.dependsOn.includes(p.urn)),
                        ];
                        assert.ok(
                            chain.some((c) => bundles.every((b) => c.options.dependsOn.includes(b.urn))),
                            `${r.inputs.kind} ${r.inputs.metadata.name} is not after the CRDs`,
                        );
                    }
                });

                it("gives the load balancer controller its Pod Identity service account, Gateway API support and the cost tags", () => {
                    const values = release(runs[stack], "aws-load-balancer-controller").inputs.values;
                    const association = findResource(
                        runs[stack],
                        "aws:eks/podIdentityAssociation:PodIdentityAssociation",
                        "identity-aws-load-balancer-controller-association",
                    );
                    assert.deepStrictEqual(
                        [association.inputs.namespace, association.inputs.serviceAccount],
                        [
                            release(runs[stack], "aws-load-balancer-controller").inputs.namespace,
                            values.serviceAccount.name,
                        ],
                    );
                    // All three gates set: otherwise 3.x probes for CRDs at start and may turn ALB Gateway support off.
                    assert.deepStrictEqual(values.controllerConfig.featureGates, {
                        ALBGatewayAPI: true,
                        NLBGatewayAPI: false,
                        GatewayListenerSet: false,
                    });
                    assert.strictEqual(values.clusterName, `traffic-tacos-${stack}`);
                    // IMDS is out of reach at hop limit 1: the controller is told its region and VPC.
                    assert.strictEqual(values.region, cfg(stack, "network").zones[0].name.slice(0, -1));
                    assert.strictEqual(
                        values.vpcId,
                        findResource(runs[stack], "aws:ec2/vpc:Vpc", "network-vpc").id,
                    );
                    assert.strictEqual(
                        values.keepTLSSecret,
                        true,
                        "the webhook certificate survives upgrades",
                    );
                    const tags = cfg(stack, "tags");
                    for (const key of ["Project", "Environment", "CostCenter", "Owner"])
                        assert.strictEqual(values.defaultTags[key], tags[key]);
                    assert.strictEqual(values.defaultTags.Component, "gateway");
                });

                it("gives KEDA's operator the service account its Pod Identity association names", () => {
                    const keda = release(runs[stack], "keda");
                    const association = findResource(
                        runs[stack],
                        "aws:eks/podIdentityAssociation:PodIdentityAssociation",
                        "identity-keda-operator-association",
                    );
                    assert.deepStrictEqual(
                        [association.inputs.namespace, association.inputs.serviceAccount],
                        [keda.inputs.namespace, keda.inputs.values.serviceAccount.operator.name],
                    );
                    assert.strictEqual(
                        keda.inputs.version,
                        "2.20.2",
                        "2.20.0 fails to render with top-level tolerations",
                    );
                });

                it("serves HTTPS on the configured certificate and only redirects on HTTP", () => {
                    const gateway = byKind(runs[stack], "Gateway")[0];
                    const listeners = gateway.inputs.spec.listeners;
                    const https = listeners.find((l: any) => l.protocol === "HTTPS");
                    const http = listeners.find((l: any) => l.protocol === "HTTP");
                    assert.deepStrictEqual([https.port, http.port], [443, 80]);
                    const lbConfig = byKind(runs[stack], "LoadBalancerConfiguration")[0];
                    assert.strictEqual(
                        gateway.inputs.spec.infrastructure.parametersRef.name,
                        lbConfig.inputs.metadata.name,
                    );
                    const certificate = cfg(stack, "gateway").certificateArn;
                    assert.deepStrictEqual(lbConfig.inputs.spec.listenerConfigurations, [
                        {
                            protocolPort: "HTTPS:443",
                            defaultCertificate: certificate,
                            sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
                        },
                    ]);
                    assert.strictEqual(lbConfig.inputs.spec.scheme, "internet-facing");
                    assert.deepStrictEqual(
                        https.allowedRoutes.namespaces.selector.matchExpressions[0].values.sort(),
                        ["argocd", "grafana", "tacos"],
                    );
                    assert.strictEqual(http.allowedRoutes.namespaces.from, "Same");
                    const onHttp = byKind(runs[stack], "HTTPRoute").filter((r) =>
                        r.inputs.spec.parentRefs.some((p: any) => p.sectionName === http.name),
                    );
                    assert.strictEqual(onHttp.length, 1);
                    assert.deepStrictEqual(
                        onHttp[0].inputs.spec.rules,
                        [
                            {
                                filters: [
                                    {
                                        type: "RequestRedirect",
                                        requestRedirect: { scheme: "https", port: 443, statusCode: 301 },
                                    },
                                ],
                            },
                        ],
                        "to port 443, not the request's 80",
                    );
                    const gatewayClass = byKind(runs[stack], "GatewayClass")[0];
                    assert.strictEqual(gatewayClass.inputs.spec.controllerName, "gateway.k8s.aws/alb");
                });

                it("creates the Gateway after the controller, so a destroy removes the load balancer first", () => {
                    const gateway = byKind(runs[stack], "Gateway")[0];
                    assert.ok(dependsOnName(gateway, "gateway-aws-load-balancer-controller"));
                    const lbc = release(runs[stack], "aws-load-balancer-controller");
                    const provider = ofType(runs[stack], "pulumi:providers:kubernetes")[0];
                    assert.ok(
                        lbc.options.provider.startsWith(provider.urn),
                        "the controller goes after the node groups (through the provider)",
                    );
                });

                it("reaches Argo CD only through the Gateway's HTTPS listener", () => {
                    const route = byKind(runs[stack], "HTTPRoute").find(
                        (r) => r.inputs.metadata.namespace === "argocd",
                    )!;
                    assert.deepStrictEqual(route.inputs.spec.hostnames, [cfg(stack, "argocd").hostname]);
                    assert.deepStrictEqual(route.inputs.spec.parentRefs, [
                        { name: "tacos", namespace: "gateway", sectionName: "https" },
                    ]);
                    const argo = release(runs[stack], "argo-cd").inputs.values;
                    assert.strictEqual(argo.global.domain, cfg(stack, "argocd").hostname);
                    assert.strictEqual(argo.configs.params["server.insecure"], true);
                    const services = byKind(runs[stack], "Service").filter(
                        (s) => s.inputs.metadata.namespace === "argocd",
                    );
                    assert.deepStrictEqual(services, [], "no Service of ours exposes Argo CD");
                });

                it("takes the admin password from secret config as a bcrypt hash and keeps it secret; dex is off", () => {
                    const argo = release(runs[stack], "argo-cd");
                    assert.match(argo.inputs.values.configs.secret.argocdServerAdminPassword, /^\$2[aby]\$/);
                    assert.ok(
                        argo.secretInputs.some((p) => p.startsWith("values")),
                        "values carrying the hash are secret",
                    );
                    assert.strictEqual(argo.inputs.values.configs.cm["admin.enabled"], true);
                    assert.strictEqual(argo.inputs.values.dex.enabled, false);
                });

                it("limits the tacos AppProject to this repository and the tacos namespace, with no cluster-scoped kinds", () => {
                    const [project] = byKind(runs[stack], "AppProject");
                    const spec = project.inputs.spec;
                    assert.deepStrictEqual(spec.sourceRepos, [cfg(stack, "argocd").repoUrl]);
                    assert.deepStrictEqual(spec.destinations, [
                        { server: "https://kubernetes.default.svc", namespace: "tacos" },
                    ]);
                    assert.deepStrictEqual(spec.clusterResourceWhitelist, []);
                    const everything = JSON.stringify(spec);
                    assert.ok(!/"\*"/.test(everything), "no wildcard anywhere in the project");
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

        it("runs Argo CD and KEDA highly available in prod and not in dev", () => {
            const argo = (stack: string) => release(runs[stack], "argo-cd").inputs.values;
            assert.strictEqual(argo("prod")["redis-ha"].enabled, true);
            for (const component of ["server", "repoServer", "applicationSet"]) {
                assert.ok(argo("prod")[component].replicas >= 2, component);
                assert.strictEqual(argo("dev")[component].replicas, 1, component);
            }
            assert.strictEqual(argo("dev")["redis-ha"].enabled, false);
            assert.strictEqual(release(runs.prod, "keda").inputs.values.operator.replicaCount, 2);
            assert.strictEqual(release(runs.dev, "keda").inputs.values.operator.replicaCount, 1);
            for (const component of ["controller", "server", "repoServer", "applicationSet"]) {
                assert.deepStrictEqual(
                    argo("prod")[component].pdb,
                    { enabled: true, maxUnavailable: 1 },
                    `${component} disruption budget in prod`,
                );
            }
        });

        it("places prod's Redis HA (which ignores argo-cd's global values) on the system nodes, with cost labels, resources and disruption budgets", () => {
            const redisHa = release(runs.prod, "argo-cd").inputs.values["redis-ha"];
            assert.deepStrictEqual(redisHa.nodeSelector, { "tacos.io/node-group": "system" });
            assert.deepStrictEqual(
                redisHa.tolerations.map((t: any) => t.key),
                ["CriticalAddonsOnly"],
            );
            assert.strictEqual(redisHa.extraLabels["cost.tacos.io/component"], "argocd");
            for (const part of [
                redisHa.redis,
                redisHa.sentinel,
                redisHa.haproxy,
                redisHa.init,
                redisHa.haproxy.init,
                redisHa.splitBrainDetection,
            ]) {
                assert.ok(part.resources.requests.cpu && part.resources.limits.memory);
            }
            assert.deepStrictEqual(
                [redisHa.podDisruptionBudget, redisHa.haproxy.podDisruptionBudget],
                [{ maxUnavailable: 1 }, { maxUnavailable: 1 }],
            );
            assert.deepStrictEqual(
                redisHa.haproxy.deploymentStrategy.rollingUpdate,
                { maxSurge: 0, maxUnavailable: 1 },
                "no surge pod: the three proxies need three nodes",
            );
        });

        it("pins the Argo CD admin password's change time, so that argocd-secret does not change on every run", () => {
            const secret = release(runs.prod, "argo-cd").inputs.values.configs.secret;
            assert.match(secret.argocdServerAdminPasswordMtime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
        });

        it("disables the local admin and reads the client secret under SSO", async () => {
            const run = await runProgram("dev", (c) => {
                delete c["tacos:argocdAdminPasswordHash"];
                c["tacos:argocd"].oidc = { issuer: "https://sso.example.com", clientId: "argocd" };
                c["tacos:argocdOidcClientSecret"] = "a-client-secret-of-some-length";
            });
            assert.strictEqual(run.error, undefined, String(run.error));
            const values = release(run, "argo-cd").inputs.values;
            assert.strictEqual(values.configs.cm["admin.enabled"], false);
            assert.strictEqual(
                JSON.parse(values.configs.cm["oidc.config"]).issuer,
                "https://sso.example.com",
            );
            assert.strictEqual(
                values.configs.secret.extra["oidc.clientSecret"],
                "a-client-secret-of-some-length",
            );
            assert.strictEqual(values.configs.secret.argocdServerAdminPassword, undefined);
        });

        it("stops with a config error naming the field when an exposed Gateway has no certificate", async () => {
            const run = await runProgram("prod", (c) => delete c["tacos:gateway"].certificateArn);
            assert.match(
                String(run.error?.message),
                /gateway\.certificateArn is required when the Gateway is exposed/,
            );
            assert.deepStrictEqual(run.resources, []);
        });
    });
});
