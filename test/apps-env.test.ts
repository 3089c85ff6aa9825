/**
 * Each service's environment in its rendered chart: exactly the names its code reads, wired from
 * the stack's outputs, and secrets only by reference.
 */
import * as assert from "assert";
import { SERVICE_NAMES } from "../components/apps/catalogue";
import { renderedLookups, stacksWith, useRenderedServices, useStackRuns } from "./stacks";
import { EXPECTED_ENV } from "./services";

describe("tacos-service chart: environment", () => {
    const runs = useStackRuns();
    const rendered = useRenderedServices(runs);
    const { objectsOf, workloadOf } = renderedLookups(rendered);

    for (const stack of stacksWith("tracing")) {
        describe(stack, () => {
            it("gives each service exactly the environment its code reads, wired from the stack, and secrets only by reference", () => {
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
                // The one profile whose properties bind the tables, bus and inventory address, in both stacks.
                assert.strictEqual(
                    objectsOf(stack, "reservation-api", "ConfigMap")[0].data.SPRING_PROFILES_ACTIVE,
                    "prod",
                );
                assert.strictEqual(gw.REDIS_PASSWORD_FROM_SECRETS, "true");
                const inventory = objectsOf(stack, "inventory-api", "ConfigMap")[0].data;
                assert.strictEqual(inventory.DYNAMODB_TABLE_INVENTORY, out.tableNames["ticket-events"]);
                assert.strictEqual(inventory.DYNAMODB_TABLE_SEATS, out.tableNames.tickets);
                assert.strictEqual(inventory.DYNAMODB_TABLE_IDEMPOTENCY, out.tableNames.idempotency);
                assert.strictEqual(inventory.GRPC_PORT, "8020");
            });
        });
    }
});
