/**
 * The edge as each stack builds it: the Gateway API and load balancer controller CRDs, the
 * controller's release, and the Gateway that serves HTTPS on the configured certificate.
 */
import * as assert from "assert";
import {
    GATEWAY_API_CRDS,
    LOAD_BALANCER_CONTROLLER_CHART,
    LOAD_BALANCER_CONTROLLER_CRDS,
} from "../components/k8s/addons/gateway";
import { findResource, ofType, RecordedResource, runProgram } from "../tools/harness";
import { byKind, k8sObjects } from "./platform-fixtures";
import { releaseOfChart, sectionOf, STACKS, useStackRuns } from "./stacks";

describe("cluster platform: the Gateway", () => {
    const runs = useStackRuns();
    const dependsOnName = (r: RecordedResource, name: string) =>
        r.options.dependsOn.some((urn) => urn.endsWith(`::${name}`));

    for (const stack of STACKS) {
        describe(stack, () => {
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
                const lbc = releaseOfChart(runs[stack], "aws-load-balancer-controller");
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
                const values = releaseOfChart(runs[stack], "aws-load-balancer-controller").inputs.values;
                const association = findResource(
                    runs[stack],
                    "aws:eks/podIdentityAssociation:PodIdentityAssociation",
                    "identity-aws-load-balancer-controller-association",
                );
                assert.deepStrictEqual(
                    [association.inputs.namespace, association.inputs.serviceAccount],
                    [
                        releaseOfChart(runs[stack], "aws-load-balancer-controller").inputs.namespace,
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
                assert.strictEqual(
                    values.region,
                    sectionOf(runs[stack], "network").zones[0].name.slice(0, -1),
                );
                assert.strictEqual(
                    values.vpcId,
                    findResource(runs[stack], "aws:ec2/vpc:Vpc", "network-vpc").id,
                );
                assert.strictEqual(values.keepTLSSecret, true, "the webhook certificate survives upgrades");
                const tags = sectionOf(runs[stack], "tags");
                for (const key of ["Project", "Environment", "CostCenter", "Owner"])
                    assert.strictEqual(values.defaultTags[key], tags[key]);
                assert.strictEqual(values.defaultTags.Component, "gateway");
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
                const certificate = sectionOf(runs[stack], "gateway").certificateArn;
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
                const lbc = releaseOfChart(runs[stack], "aws-load-balancer-controller");
                const provider = ofType(runs[stack], "pulumi:providers:kubernetes")[0];
                assert.ok(
                    lbc.options.provider.startsWith(provider.urn),
                    "the controller goes after the node groups (through the provider)",
                );
            });
        });
    }

    it("stops with a config error naming the field when an exposed Gateway has no certificate", async () => {
        const run = await runProgram("prod", (c) => delete c["tacos:gateway"].certificateArn);
        assert.match(
            String(run.error?.message),
            /gateway\.certificateArn is required when the Gateway is exposed/,
        );
        assert.deepStrictEqual(run.resources, []);
    });
});
