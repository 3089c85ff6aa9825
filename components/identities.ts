/**
 * Every Kubernetes service account that needs AWS, declared once: the application services
 * from the catalogue, and the platform add-ons (KEDA's operator reads queue depth; the AWS Load
 * Balancer Controller manages the Gateway's load balancer).
 */
import { APP_NAMESPACE, CATALOGUE, SERVICE_NAMES } from "./apps/catalogue";
import type { WorkloadIdentityDeclaration } from "./aws/identity";

/** Namespace and service account of KEDA's operator (the chart's default account name). */
export const KEDA_OPERATOR = { namespace: "keda", serviceAccount: "keda-operator" } as const;
/** Namespace and service account of the AWS Load Balancer Controller. */
export const LOAD_BALANCER_CONTROLLER = { namespace: "gateway", serviceAccount: "aws-load-balancer-controller" } as const;

/** Identities by a stable key (the service name, or the add-on's name). */
export function workloadIdentityDeclarations(): Record<string, WorkloadIdentityDeclaration> {
    const declarations: Record<string, WorkloadIdentityDeclaration> = {};
    for (const service of SERVICE_NAMES) {
        const entry = CATALOGUE[service];
        if (entry.aws.length > 0) {
            declarations[service] = { namespace: APP_NAMESPACE, serviceAccount: entry.serviceAccount, grants: entry.aws, attribution: { service } };
        }
    }
    declarations["keda-operator"] = {
        ...KEDA_OPERATOR,
        grants: [{ kind: "sqs", queue: "reservation-events", access: "inspect" }],
        attribution: { component: "keda" },
    };
    declarations["aws-load-balancer-controller"] = {
        ...LOAD_BALANCER_CONTROLLER,
        grants: [{ kind: "loadBalancerController" }],
        attribution: { component: "gateway" },
    };
    return declarations;
}
