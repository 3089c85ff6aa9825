/**
 * What Argo CD cleans up when an Application goes: with the resources-finalizer.argocd.argoproj.io
 * finalizer (components/apps/delivery.ts sets it) the application controller deletes every object
 * the Application synced, in the foreground, before it releases the Application (Argo CD user
 * guide, App Deletion, "About The Deletion Finalizer": foreground by default, the same text on
 * the release-2.5 to release-3.3 pages).
 */
import type { ManagedKind } from "../../../teardown";

export const ARGOCD_MANAGES: readonly ManagedKind[] = [
    {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "Application",
        cleansUp:
            "the objects it synced (workloads, HTTPRoutes and TargetGroupConfigurations, AuthorizationPolicies), whose controllers still run",
    },
];
