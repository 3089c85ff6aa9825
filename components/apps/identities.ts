/**
 * The application services' workload identities, from the catalogue: one per service account
 * whose service needs AWS. The add-ons declare their own next to them (k8s/addons).
 */
import type { WorkloadIdentityDeclaration } from "../aws/identity";
import { APP_NAMESPACE, CATALOGUE, SERVICE_NAMES } from "./catalogue";

/** Identities by service name, for the services that declare AWS access. */
export function serviceIdentities(): Record<string, WorkloadIdentityDeclaration> {
    return Object.fromEntries(
        SERVICE_NAMES.filter((service) => CATALOGUE[service].aws.length > 0).map((service) => [
            service,
            {
                namespace: APP_NAMESPACE,
                serviceAccount: CATALOGUE[service].serviceAccount,
                grants: CATALOGUE[service].aws,
                attribution: { service },
            },
        ]),
    );
}
