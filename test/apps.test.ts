/**
 * The tacos-service chart and the five services: values from the catalogue, rendered
 * by the real helm for every service and stack, checked against API schemas, the restricted
 * security profile and the call graph; and their delivery by Argo CD (or Helm).
 */
import * as assert from "assert";
import { CATALOGUE, SERVICE_NAMES, ServiceName, syncWaves } from "../components/apps/catalogue";
import { ROLLING_UPDATE_MAX_SURGE_PERCENT } from "../components/apps/sizing";
import { CANARY_ROUTE_RULES } from "../components/apps/delivery";
import { findResource, ofType, ProgramRun, runProgram } from "../tools/harness";
import { serviceValuesOf, STACKS, useRenderedServices, useStackRuns } from "./stacks";
import { lint, template } from "../tools/helm";
import { validateObject } from "../tools/k8s-schema";

describe("applications", () => {
    const runs = useStackRuns();
    const rendered = useRenderedServices(runs);

    /** The environment names each service reads, as SERVICES.md lists them (plus AWS_REGION for the SDKs). */
    const EXPECTED_ENV: Record<ServiceName, string[]> = {
        "gateway-api": [
            "REDIS_ADDRESS",
            "REDIS_TLS_ENABLED",
            "AWS_SECRET_NAME",
            "BACKEND_RESERVATION_API_GRPC_ADDRESS",
            "BACKEND_PAYMENT_API_GRPC_ADDRESS",
            "DYNAMODB_USERS_TABLE_NAME",
            "RATE_LIMIT_RPS",
            "RATE_LIMIT_BURST",
            "OBSERVABILITY_OTLP_ENDPOINT",
            "OBSERVABILITY_SAMPLE_RATE",
            "GOMEMLIMIT",
            "AWS_REGION",
        ],
        "reservation-api": [
            "SPRING_PROFILES_ACTIVE",
            "GRPC_INVENTORY_ADDRESS",
            "DYNAMODB_TABLE_RESERVATIONS",
            "DYNAMODB_TABLE_ORDERS",
            "DYNAMODB_TABLE_IDEMPOTENCY",
            "DYNAMODB_TABLE_OUTBOX",
            "EVENTBRIDGE_BUS_NAME",
            "EVENTBRIDGE_SCHEDULER_GROUP",
            "JAVA_OPTS",
            "AWS_REGION",
            "SPRING_APPLICATION_JSON",
            "OTEL_SERVICE_NAME",
            "OTEL_EXPORTER_OTLP_ENDPOINT",
            "OTEL_EXPORTER_OTLP_PROTOCOL",
            "OTEL_TRACES_SAMPLER",
            "OTEL_TRACES_SAMPLER_ARG",
            "OTEL_METRICS_EXPORTER",
            "OTEL_LOGS_EXPORTER",
        ],
        "inventory-api": [
            "GRPC_PORT",
            "DYNAMODB_TABLE_TICKETS",
            "DYNAMODB_TABLE_IDEMPOTENCY",
            "OTEL_EXPORTER_OTLP_ENDPOINT",
            "GOMEMLIMIT",
            "AWS_REGION",
        ],
        "payment-sim-api": [
            "GRPC_PORT",
            "EVENT_BUS_NAME",
            "ENVIRONMENT",
            "PAYMENT_WEBHOOK_QUEUE_URL",
            "GOMEMLIMIT",
            "AWS_REGION",
        ],
        "reservation-worker": [
            "SQS_QUEUE_URL",
            "SQS_WAIT_TIME",
            "WORKER_CONCURRENCY",
            "MAX_RETRIES",
            "INVENTORY_GRPC_ADDR",
            "RESERVATION_API_BASE",
            "GOMEMLIMIT",
            "AWS_REGION",
        ],
    };
    /** The calls SERVICES.md lists, as caller -> callee:port. */
    const EXPECTED_CALLS = [
        "gateway-api->reservation-api:8011",
        "gateway-api->payment-sim-api:8030",
        "reservation-api->inventory-api:8020",
        "reservation-worker->inventory-api:8020",
        "reservation-worker->reservation-api:8010",
    ].sort();
    /** The HTTP port serving health and metrics, per SERVICES.md. */
    const HEALTH_PORT: Record<ServiceName, number> = {
        "gateway-api": 8000,
        "reservation-api": 8010,
        "inventory-api": 8021,
        "payment-sim-api": 8031,
        "reservation-worker": 8040,
    };

    const applications = (run: ProgramRun) => ofType(run, "kubernetes:argoproj.io/v1alpha1:Application");
    const objectsOf = (stack: string, service: ServiceName, kind: string) =>
        rendered[stack][service].filter((o) => o.kind === kind);
    /** A service's workload: its Rollout (both stacks release canaries; canary.test.ts checks the helm mode's Deployment). */
    const workloadOf = (stack: string, service: ServiceName) => {
        const workloads = rendered[stack][service].filter(
            (o) => o.kind === "Rollout" || o.kind === "Deployment",
        );
        assert.strictEqual(workloads.length, 1, `${service}: one workload`);
        return workloads[0];
    };

    describe("tacos-service chart", () => {
        for (const stack of STACKS) {
            describe(stack, () => {
                for (const service of SERVICE_NAMES) {
                    it(`${service}: helm lint --strict passes`, () => {
                        const result = lint(stack, serviceValuesOf(runs[stack], service));
                        assert.ok(result.ok, result.stdout + result.stderr);
                    });
                }

                it("renders a ClusterIP Service, ServiceAccount, canary Rollout with its AnalysisTemplate, PDB, NetworkPolicy, AuthorizationPolicy and recommendation-only VPA for every service; HPA or KEDA as the catalogue says", () => {
                    for (const service of SERVICE_NAMES) {
                        const kinds = rendered[stack][service].map((o) => o.kind).sort();
                        const scaling = CATALOGUE[service].scaling;
                        // KEDA owns the HPA of a service that scales on requests too; only a queue trigger needs AWS credentials.
                        const scaler =
                            scaling.kind === "keda"
                                ? ["ScaledObject", "TriggerAuthentication"]
                                : scaling.requestRate
                                  ? ["ScaledObject"]
                                  : ["HorizontalPodAutoscaler"];
                        // gateway-api's route shifts traffic between a stable and a canary Service, each with its target group.
                        // Its pods also take the load balancer's plaintext on one port (a PeerAuthentication).
                        const route =
                            service === "gateway-api"
                                ? [
                                      "HTTPRoute",
                                      "Service",
                                      "Service",
                                      "TargetGroupConfiguration",
                                      "TargetGroupConfiguration",
                                      "PeerAuthentication",
                                  ]
                                : [];
                        assert.deepStrictEqual(
                            kinds,
                            [
                                "AnalysisTemplate",
                                "AuthorizationPolicy",
                                "ConfigMap",
                                "NetworkPolicy",
                                "PodDisruptionBudget",
                                "Rollout",
                                "Service",
                                "ServiceAccount",
                                "ServiceMonitor",
                                "VerticalPodAutoscaler",
                                ...scaler,
                                ...route,
                            ].sort(),
                            service,
                        );
                        for (const svc of objectsOf(stack, service, "Service"))
                            assert.strictEqual(svc.spec.type, "ClusterIP");
                    }
                });

                it("validates every rendered object against its API schema", async () => {
                    const failures: string[] = [];
                    for (const service of SERVICE_NAMES) {
                        for (const object of rendered[stack][service]) {
                            try {
                                await validateObject(object);
                            } catch (e) {
                                failures.push(`${service}: ${(e as Error).message}`);
                            }
                        }
                    }
                    assert.deepStrictEqual(failures, []);
                });

                it("runs every container under the restricted profile, with a writable /tmp only", () => {
                    for (const service of SERVICE_NAMES) {
                        const deployment = workloadOf(stack, service);
                        const pod = deployment.spec.template.spec;
                        assert.strictEqual(pod.securityContext.runAsNonRoot, true);
                        assert.strictEqual(pod.securityContext.seccompProfile.type, "RuntimeDefault");
                        assert.ok(!pod.hostNetwork && !pod.hostPID && !pod.hostIPC, "no host namespaces");
                        assert.ok(
                            pod.volumes.every((v: any) => !v.hostPath),
                            "no hostPath",
                        );
                        for (const container of pod.containers) {
                            const sc = container.securityContext;
                            assert.deepStrictEqual(
                                [
                                    sc.runAsNonRoot,
                                    sc.allowPrivilegeEscalation,
                                    sc.readOnlyRootFilesystem,
                                    sc.privileged,
                                    sc.capabilities.drop,
                                    sc.seccompProfile.type,
                                ],
                                [true, false, true, false, ["ALL"], "RuntimeDefault"],
                                service,
                            );
                            assert.ok(
                                container.ports.every((p: any) => !p.hostPort),
                                "no host ports",
                            );
                            const tmp = container.volumeMounts.find((m: any) => m.mountPath === "/tmp");
                            assert.ok(
                                pod.volumes.find((v: any) => v.name === tmp.name).emptyDir,
                                "/tmp is an emptyDir",
                            );
                            assert.match(container.image, /:[0-9a-f]{7,40}$/, "immutable tag");
                            assert.ok(!/:latest$/.test(container.image));
                        }
                    }
                });

                it("checks readiness and start-up on the real HTTP health port; liveness never fails with a dependency", () => {
                    // SERVICES.md: inventory-api and payment-sim-api serve one /health that checks their dependencies;
                    // their liveness is a TCP check on the gRPC port instead, so a DynamoDB outage does not restart them.
                    const TCP_LIVENESS: Partial<Record<ServiceName, number>> = {
                        "inventory-api": 8020,
                        "payment-sim-api": 8030,
                    };
                    const HTTP_LIVENESS: Partial<Record<ServiceName, string>> = {
                        "gateway-api": "/healthz",
                        "reservation-api": "/actuator/health/liveness",
                        "reservation-worker": "/health",
                    };
                    for (const service of SERVICE_NAMES) {
                        const container = workloadOf(stack, service).spec.template.spec.containers[0];
                        const portByName = Object.fromEntries(
                            container.ports.map((p: any) => [p.name, p.containerPort]),
                        );
                        for (const probe of ["readinessProbe"]) {
                            assert.strictEqual(
                                portByName[container[probe].httpGet.port],
                                HEALTH_PORT[service],
                                `${service} ${probe}`,
                            );
                        }
                        assert.strictEqual(
                            container.readinessProbe.httpGet.path,
                            CATALOGUE[service].probes.readiness,
                        );
                        const liveness = container.livenessProbe;
                        assert.deepStrictEqual(
                            container.startupProbe.tcpSocket ?? container.startupProbe.httpGet,
                            liveness.tcpSocket ?? liveness.httpGet,
                            `${service}: start-up checks what liveness checks`,
                        );
                        if (TCP_LIVENESS[service]) {
                            assert.strictEqual(liveness.httpGet, undefined, `${service}: no HTTP liveness`);
                            assert.strictEqual(
                                portByName[liveness.tcpSocket.port],
                                TCP_LIVENESS[service],
                                `${service}: TCP liveness on its gRPC port`,
                            );
                        } else {
                            assert.strictEqual(portByName[liveness.httpGet.port], HEALTH_PORT[service]);
                            assert.strictEqual(liveness.httpGet.path, HTTP_LIVENESS[service]);
                            assert.notStrictEqual(
                                liveness.httpGet.path,
                                container.readinessProbe.httpGet.path,
                                `${service}: liveness differs from readiness`,
                            );
                        }
                    }
                });

                it("sets requests and limits from the catalogue, spreads across zones and nodes, and rolls on config change", () => {
                    for (const service of SERVICE_NAMES) {
                        const deployment = workloadOf(stack, service);
                        const pod = deployment.spec.template;
                        assert.deepStrictEqual(
                            pod.spec.containers[0].resources,
                            CATALOGUE[service].resources,
                        );
                        const { maxSurge, maxUnavailable } = deployment.spec.strategy.canary;
                        assert.deepStrictEqual(
                            { maxSurge, maxUnavailable },
                            { maxSurge: `${ROLLING_UPDATE_MAX_SURGE_PERCENT}%`, maxUnavailable: 0 },
                            "the surge the quota makes room for",
                        );
                        const keys = pod.spec.topologySpreadConstraints.map((t: any) => t.topologyKey).sort();
                        assert.deepStrictEqual(keys, [
                            "kubernetes.io/hostname",
                            "topology.kubernetes.io/zone",
                        ]);
                        const zone = pod.spec.topologySpreadConstraints.find(
                            (t: any) => t.topologyKey === "topology.kubernetes.io/zone",
                        );
                        assert.strictEqual(
                            zone.whenUnsatisfiable,
                            stack === "prod" ? "DoNotSchedule" : "ScheduleAnyway",
                        );
                        assert.match(pod.metadata.annotations["checksum/env"], /^[0-9a-f]{64}$/);
                    }
                });

                it("labels every object with the recommended labels and every pod with its cost labels", () => {
                    for (const service of SERVICE_NAMES) {
                        for (const object of rendered[stack][service]) {
                            const labels = object.metadata.labels;
                            for (const key of [
                                "app.kubernetes.io/name",
                                "app.kubernetes.io/instance",
                                "app.kubernetes.io/version",
                                "app.kubernetes.io/component",
                                "app.kubernetes.io/part-of",
                                "app.kubernetes.io/managed-by",
                            ]) {
                                assert.ok(labels[key], `${service} ${object.kind} ${key}`);
                            }
                        }
                        const podLabels = workloadOf(stack, service).spec.template.metadata.labels;
                        assert.strictEqual(podLabels["cost.tacos.io/service"], service);
                        assert.strictEqual(podLabels["cost.tacos.io/environment"], stack);
                        assert.strictEqual(podLabels["cost.tacos.io/cost-center"], "platform-engineering");
                    }
                });

                it("gives each service exactly the environment SERVICES.md lists, wired from the stack, and secrets only by reference", () => {
                    for (const service of SERVICE_NAMES) {
                        const [configMap] = objectsOf(stack, service, "ConfigMap");
                        assert.deepStrictEqual(
                            Object.keys(configMap.data).sort(),
                            [...EXPECTED_ENV[service]].sort(),
                            service,
                        );
                        assert.ok(
                            Object.values(configMap.data).every((v) => typeof v === "string" && v.length > 0),
                            `${service}: every value set`,
                        );
                        const container = workloadOf(stack, service).spec.template.spec.containers[0];
                        for (const env of container.env ?? []) {
                            assert.ok(
                                env.valueFrom?.secretKeyRef && env.value === undefined,
                                `${service} ${env.name} is by reference`,
                            );
                        }
                    }
                    const out = runs[stack].outputs as any;
                    const gw = objectsOf(stack, "gateway-api", "ConfigMap")[0].data;
                    assert.strictEqual(gw.DYNAMODB_USERS_TABLE_NAME, out.tableNames.users);
                    assert.strictEqual(gw.AWS_SECRET_NAME, out.redisSecretName);
                    assert.strictEqual(gw.REDIS_ADDRESS, `${out.redisEndpoint}:6379`);
                    assert.strictEqual(
                        gw.BACKEND_RESERVATION_API_GRPC_ADDRESS,
                        "reservation-api.tacos.svc.cluster.local:8011",
                    );
                    const jwt = workloadOf(stack, "gateway-api").spec.template.spec.containers[0].env.find(
                        (e: any) => e.name === "JWT_SECRET",
                    );
                    assert.deepStrictEqual(jwt.valueFrom.secretKeyRef, {
                        name: "gateway-api-jwt",
                        key: "jwt-secret",
                        optional: false,
                    });
                    const worker = objectsOf(stack, "reservation-worker", "ConfigMap")[0].data;
                    assert.strictEqual(worker.SQS_QUEUE_URL, out.queueUrls["reservation-events"]);
                    assert.strictEqual(
                        worker.RESERVATION_API_BASE,
                        "http://reservation-api.tacos.svc.cluster.local:8010",
                    );
                    assert.strictEqual(
                        objectsOf(stack, "payment-sim-api", "ConfigMap")[0].data.PAYMENT_WEBHOOK_QUEUE_URL,
                        out.queueUrls["payment-webhooks"],
                    );
                    assert.strictEqual(
                        objectsOf(stack, "reservation-api", "ConfigMap")[0].data.SPRING_PROFILES_ACTIVE,
                        stack,
                    );
                });

                it("lets every service with a workload identity reach the Pod Identity agent (169.254.170.23:80) through default deny", () => {
                    for (const service of SERVICE_NAMES.filter((s) => CATALOGUE[s].aws.length > 0)) {
                        const egress = objectsOf(stack, service, "NetworkPolicy").flatMap(
                            (p) => p.spec.egress ?? [],
                        );
                        const reaches = egress.some(
                            (rule: any) =>
                                rule.to?.some((peer: any) => peer.ipBlock?.cidr === "169.254.170.23/32") &&
                                rule.ports?.some((port: any) => port.port === 80),
                        );
                        assert.ok(reaches, `${service} cannot fetch its credentials`);
                    }
                });

                it("allows exactly the call graph in the NetworkPolicies, both ways, as HBONE (the called ports are the AuthorizationPolicies')", () => {
                    const ingressEdges: string[] = [];
                    const egressEdges: string[] = [];
                    for (const service of SERVICE_NAMES) {
                        const [policy] = objectsOf(stack, service, "NetworkPolicy");
                        assert.deepStrictEqual(policy.spec.policyTypes, ["Ingress", "Egress"]);
                        for (const rule of policy.spec.ingress ?? []) {
                            for (const peer of rule.from.filter((p: any) => p.podSelector)) {
                                for (const port of rule.ports)
                                    ingressEdges.push(
                                        `${peer.podSelector.matchLabels["app.kubernetes.io/name"]}->${service}:${port.port}`,
                                    );
                            }
                        }
                        for (const rule of policy.spec.egress ?? []) {
                            for (const peer of rule.to.filter(
                                (p: any) => p.podSelector && !p.namespaceSelector,
                            )) {
                                for (const port of rule.ports)
                                    egressEdges.push(
                                        `${service}->${peer.podSelector.matchLabels["app.kubernetes.io/name"]}:${port.port}`,
                                    );
                            }
                        }
                    }
                    // Mesh traffic reaches the callee pod's HBONE port whatever port it calls: one edge per caller and callee.
                    const hbone = [
                        ...new Set(EXPECTED_CALLS.map((call) => call.replace(/:\d+$/, ":15008"))),
                    ].sort();
                    assert.deepStrictEqual(ingressEdges.sort(), hbone);
                    assert.deepStrictEqual(egressEdges.sort(), hbone);
                });

                it("admits the load balancer only to gateway-api, Prometheus (through the mesh) to every pod, and kubelet's probes on the probed ports only", () => {
                    const publicCidrs = (runs[stack].config["tacos:network"] as any).zones
                        .map((z: any) => z.publicSubnetCidr)
                        .sort();
                    for (const service of SERVICE_NAMES) {
                        const [policy] = objectsOf(stack, service, "NetworkPolicy");
                        const fromCidrs = policy.spec.ingress.filter((r: any) =>
                            r.from.some((p: any) => p.ipBlock && p.ipBlock.cidr !== "169.254.7.127/32"),
                        );
                        if (service === "gateway-api") {
                            assert.deepStrictEqual(
                                fromCidrs.flatMap((r: any) => r.from.map((p: any) => p.ipBlock.cidr)).sort(),
                                publicCidrs,
                            );
                            assert.deepStrictEqual(fromCidrs[0].ports, [{ protocol: "TCP", port: 8000 }]);
                        } else {
                            assert.deepStrictEqual(
                                fromCidrs,
                                [],
                                `${service} is not reachable from outside the cluster`,
                            );
                        }
                        const monitoring = policy.spec.ingress.find((r: any) =>
                            r.from.some(
                                (p: any) =>
                                    p.namespaceSelector?.matchLabels["kubernetes.io/metadata.name"] ===
                                    "monitoring",
                            ),
                        );
                        assert.deepStrictEqual(monitoring.ports, [{ protocol: "TCP", port: 15008 }]);
                        // Kubelet's probes, SNATed by Istio's CNI to 169.254.7.127: the HTTP health port, and the gRPC port of a TCP liveness check.
                        const probes = policy.spec.ingress.filter((r: any) =>
                            r.from.some((p: any) => p.ipBlock?.cidr === "169.254.7.127/32"),
                        );
                        const tcpLiveness =
                            typeof CATALOGUE[service].probes.liveness === "string"
                                ? []
                                : [CATALOGUE[service].ports.find((p) => p.name === "grpc")!.port];
                        assert.deepStrictEqual(
                            probes.flatMap((r: any) => r.ports.map((p: any) => p.port)),
                            [HEALTH_PORT[service], ...tcpLiveness],
                            service,
                        );
                        assert.deepStrictEqual(
                            probes.flatMap((r: any) => r.from),
                            [{ ipBlock: { cidr: "169.254.7.127/32" } }],
                        );
                    }
                });

                it("routes the API host's /api/v1, /healthz and /readyz through the Gateway's HTTPS listener to gateway-api", () => {
                    const [route] = objectsOf(stack, "gateway-api", "HTTPRoute");
                    assert.deepStrictEqual(route.spec.parentRefs, [
                        { name: "tacos", namespace: "gateway", sectionName: "https" },
                    ]);
                    assert.deepStrictEqual(route.spec.hostnames, [
                        (runs[stack].config["tacos:gateway"] as any).apiHostname,
                    ]);
                    assert.deepStrictEqual(
                        route.spec.rules[0].matches.map((m: any) => m.path.value),
                        ["/api/v1", "/healthz", "/readyz"],
                    );
                    // All to stable between releases; Argo Rollouts moves the weights during one.
                    assert.deepStrictEqual(route.spec.rules[0].backendRefs, [
                        { name: "gateway-api-stable", port: 8000, weight: 100 },
                        { name: "gateway-api-canary", port: 8000, weight: 0 },
                    ]);
                });

                it("gives each of gateway-api's ALB target groups pod-IP targets and a health check on its readiness path, not GET /", () => {
                    const [route] = objectsOf(stack, "gateway-api", "HTTPRoute");
                    const backends = route.spec.rules[0].backendRefs.map((b: any) => b.name);
                    const groups = objectsOf(stack, "gateway-api", "TargetGroupConfiguration");
                    assert.deepStrictEqual(
                        groups.map((tg) => tg.spec.targetReference.name).sort(),
                        [...backends].sort(),
                        "one target group per Service the route sends to",
                    );
                    const container = workloadOf(stack, "gateway-api").spec.template.spec.containers[0];
                    for (const tg of groups) {
                        const svc = objectsOf(stack, "gateway-api", "Service").find(
                            (s) => s.metadata.name === tg.spec.targetReference.name,
                        );
                        assert.ok(svc, `${tg.metadata.name} targets a rendered Service`);
                        assert.strictEqual(tg.spec.defaultConfiguration.targetType, "ip");
                        const check = tg.spec.defaultConfiguration.healthCheckConfig;
                        assert.deepStrictEqual(
                            [check.healthCheckProtocol, check.healthCheckPath, check.healthCheckPort],
                            ["HTTP", "/readyz", "traffic-port"],
                        );
                        assert.strictEqual(
                            check.healthCheckPath,
                            container.readinessProbe.httpGet.path,
                            "the ALB checks what the kubelet checks for readiness",
                        );
                    }
                });

                it("scales the HTTP services with HPAs on CPU and memory, with scale-up and scale-down behaviour", () => {
                    for (const service of SERVICE_NAMES.filter((s) => {
                        const sc = CATALOGUE[s].scaling;
                        return sc.kind === "hpa" && !sc.requestRate;
                    })) {
                        const [hpa] = objectsOf(stack, service, "HorizontalPodAutoscaler");
                        const scaling = CATALOGUE[service].scaling as {
                            cpuUtilization: number;
                            memoryUtilization: number;
                        };
                        const targets = Object.fromEntries(
                            hpa.spec.metrics.map((m: any) => [
                                m.resource.name,
                                m.resource.target.averageUtilization,
                            ]),
                        );
                        assert.deepStrictEqual(targets, {
                            cpu: scaling.cpuUtilization,
                            memory: scaling.memoryUtilization,
                        });
                        assert.ok(hpa.spec.minReplicas >= 1 && hpa.spec.maxReplicas >= hpa.spec.minReplicas);
                        assert.ok(
                            hpa.spec.behavior.scaleUp.policies.length > 0 &&
                                hpa.spec.behavior.scaleDown.stabilizationWindowSeconds >= 60,
                        );
                        assert.strictEqual(
                            workloadOf(stack, service).spec.replicas,
                            undefined,
                            "the HPA owns replicas",
                        );
                    }
                });

                it("scales reservation-worker from its minimum on reservation-events depth through KEDA and EKS Pod Identity", () => {
                    const [scaled] = objectsOf(stack, "reservation-worker", "ScaledObject");
                    const minimum = stack === "dev" ? 0 : 1;
                    assert.strictEqual(scaled.spec.minReplicaCount, minimum);
                    const [trigger] = scaled.spec.triggers;
                    assert.strictEqual(trigger.type, "aws-sqs-queue");
                    assert.strictEqual(
                        trigger.metadata.queueURL,
                        (runs[stack].outputs as any).queueUrls["reservation-events"],
                    );
                    assert.strictEqual(trigger.metadata.queueLength, "10");
                    assert.ok(Number(trigger.metadata.activationQueueLength) >= 1, "an activation threshold");
                    assert.ok(
                        !("identityOwner" in trigger.metadata) && !("awsRoleArn" in trigger.metadata),
                        "no deprecated identity metadata",
                    );
                    const [auth] = objectsOf(stack, "reservation-worker", "TriggerAuthentication");
                    assert.deepStrictEqual(auth.spec, { podIdentity: { provider: "aws" } });
                    assert.strictEqual(trigger.authenticationRef.name, auth.metadata.name);
                });
            });
        }

        describe("values schema", () => {
            const good = () => structuredClone(serviceValuesOf(runs.dev, "inventory-api"));
            const cases: { name: string; edit: (v: any) => void; message: RegExp }[] = [
                {
                    name: "a latest image tag",
                    edit: (v) => (v.image.tag = "latest"),
                    message: /image\.tag|image\/tag/,
                },
                { name: "an unknown key", edit: (v) => (v.replicaCount = 3), message: /replicaCount/ },
                {
                    name: "a misspelt nested key",
                    edit: (v) => (v.autoscaling.hpa.cpuUtilisation = 50),
                    message: /cpuUtilisation/,
                },
                {
                    name: "an unknown autoscaling mode",
                    edit: (v) => (v.autoscaling.mode = "vpa"),
                    message: /autoscaling\.mode|autoscaling\/mode/,
                },
                {
                    name: "a malformed CPU quantity",
                    edit: (v) => (v.resources.limits.cpu = "one core"),
                    message: /resources\.limits\.cpu|resources\/limits\/cpu/,
                },
                { name: "no ports", edit: (v) => (v.ports = []), message: /ports/ },
                {
                    name: "a NetworkPolicy peer with no target",
                    edit: (v) => (v.networkPolicy.egress = [{ ports: [443] }]),
                    message: /networkPolicy/,
                },
                {
                    name: "min replicas above max",
                    edit: (v) => (v.autoscaling.minReplicas = 50),
                    message: /autoscaling\.minReplicas \(50\) must be <= autoscaling\.maxReplicas/,
                },
                {
                    name: "a probe port that is not a container port",
                    edit: (v) => (v.probes.port = "metrics"),
                    message: /probes\.port "metrics" must name one of the ports/,
                },
                {
                    name: "KEDA without a queue",
                    edit: (v) => (v.autoscaling = { mode: "keda", minReplicas: 0, maxReplicas: 5 }),
                    message: /autoscaling\.keda\.queueUrl or autoscaling\.keda\.requestRate is required/,
                },
            ];
            it("accepts the catalogue's values", () => {
                assert.ok(template("inventory-api", "dev", good()).ok);
            });
            for (const c of cases) {
                it(`rejects ${c.name} with a message naming the field`, () => {
                    const values = good();
                    c.edit(values);
                    const result = template("inventory-api", "dev", values);
                    assert.ok(!result.ok, "helm should refuse");
                    assert.match(result.stderr, c.message);
                });
            }
        });
    });

    describe("delivery", () => {
        for (const stack of STACKS) {
            it(`${stack}: an Argo CD Application per service, in project tacos, from this repository's chart at the pinned revision`, () => {
                const apps = applications(runs[stack]);
                assert.deepStrictEqual(
                    apps.map((a) => a.inputs.metadata.name).sort(),
                    [...SERVICE_NAMES].sort(),
                );
                const argocd = runs[stack].config["tacos:argocd"] as any;
                for (const app of apps) {
                    const spec = app.inputs.spec;
                    assert.strictEqual(spec.project, "tacos");
                    assert.deepStrictEqual(
                        [spec.source.repoURL, spec.source.targetRevision, spec.source.path],
                        [argocd.repoUrl, argocd.chartRevision, "charts/tacos-service"],
                    );
                    assert.deepStrictEqual(spec.source.helm.valueFiles, [`values-${stack}.yaml`]);
                    assert.deepStrictEqual(spec.destination, {
                        server: "https://kubernetes.default.svc",
                        namespace: "tacos",
                    });
                    assert.deepStrictEqual(spec.syncPolicy.automated, { prune: true, selfHeal: true });
                    assert.ok(spec.syncPolicy.retry.limit >= 3 && spec.syncPolicy.retry.backoff.factor >= 2);
                    // The autoscaler owns the Rollout's replicas; Argo Rollouts gateway-api's route while a canary runs.
                    const name = app.inputs.metadata.name;
                    assert.deepStrictEqual(spec.ignoreDifferences, [
                        { group: "argoproj.io", kind: "Rollout", name, jsonPointers: ["/spec/replicas"] },
                        ...(name === "gateway-api"
                            ? [
                                  {
                                      group: "gateway.networking.k8s.io",
                                      kind: "HTTPRoute",
                                      name,
                                      jqPathExpressions: [CANARY_ROUTE_RULES],
                                  },
                              ]
                            : []),
                    ]);
                    assert.ok(
                        spec.syncPolicy.syncOptions.includes("RespectIgnoreDifferences=true"),
                        "a sync keeps the ignored fields' live values",
                    );
                }
            });

            it(`${stack}: the Applications carry the catalogue's values`, () => {
                for (const service of SERVICE_NAMES) {
                    const values = serviceValuesOf(runs[stack], service);
                    const entry = CATALOGUE[service];
                    assert.deepStrictEqual(values.ports, entry.ports);
                    assert.deepStrictEqual(values.resources, entry.resources);
                    assert.strictEqual(
                        values.image.tag,
                        (runs[stack].config["tacos:images"] as any).tags[service],
                    );
                    assert.strictEqual(
                        values.image.repository,
                        `${(runs[stack].config["tacos:images"] as any).registry}/traffic-tacos-${service}`,
                    );
                    assert.strictEqual(
                        values.autoscaling.mode,
                        entry.scaling.kind === "hpa" && entry.scaling.requestRate
                            ? "keda"
                            : entry.scaling.kind,
                    );
                }
            });

            it(`${stack}: sync waves and creation order deliver callees before callers`, () => {
                const apps = applications(runs[stack]);
                const wave = (name: string) =>
                    Number(
                        apps.find((a) => a.inputs.metadata.name === name)!.inputs.metadata.annotations[
                            "argocd.argoproj.io/sync-wave"
                        ],
                    );
                for (const edge of EXPECTED_CALLS) {
                    const [, from, to] = /^(.+)->(.+):\d+$/.exec(edge)!;
                    assert.ok(wave(to) < wave(from), `${to} before ${from}`);
                    const caller = apps.find((a) => a.inputs.metadata.name === from)!;
                    const callee = apps.find((a) => a.inputs.metadata.name === to)!;
                    assert.ok(
                        caller.options.dependsOn.includes(callee.urn),
                        `${from} is created after ${to}`,
                    );
                }
            });

            it(`${stack}: the JWT secret gateway-api references exists, from secret config, and stays secret`, () => {
                const secret = findResource(runs[stack], "kubernetes:core/v1:Secret", "services-jwt");
                assert.deepStrictEqual(
                    [secret.inputs.metadata.name, secret.inputs.metadata.namespace],
                    ["gateway-api-jwt", "tacos"],
                );
                assert.ok(secret.secretInputs.some((p) => p.startsWith("stringData")));
            });
        }

        it("the sync waves follow the call graph", () => {
            assert.deepStrictEqual(syncWaves(), {
                "inventory-api": 0,
                "payment-sim-api": 0,
                "reservation-api": 1,
                "gateway-api": 2,
                "reservation-worker": 2,
            });
        });

        it("delivers a Helm release per service with atomic rollback when a stack chooses helm", async () => {
            const run = await runProgram("dev", (c) => (c["tacos:delivery"] = { mode: "helm" }));
            assert.strictEqual(run.error, undefined, String(run.error));
            assert.strictEqual(applications(run).length, 0);
            const services = ofType(run, "kubernetes:helm.sh/v3:Release").filter((r) =>
                (SERVICE_NAMES as readonly string[]).includes(r.inputs.name),
            );
            assert.deepStrictEqual(services.map((r) => r.inputs.name).sort(), [...SERVICE_NAMES].sort());
            for (const r of services) {
                assert.deepStrictEqual(
                    [r.inputs.atomic, r.inputs.cleanupOnFail, r.inputs.namespace],
                    [true, true, "tacos"],
                );
                assert.match(r.inputs.chart, /charts\/tacos-service$/);
                assert.strictEqual(r.inputs.values.name, r.inputs.name);
            }
        });
    });
});
