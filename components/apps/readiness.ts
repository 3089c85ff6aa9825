/**
 * When Pulumi counts an Argo CD Application as delivered: once Argo CD reports it Synced and
 * Healthy, not once the object exists; how long it waits; and how Argo CD retries a failed sync.
 */
import type { CanaryConfig } from "../config";

/**
 * The conditions the Kubernetes provider waits for after creating or updating an Application, all
 * at once: its sync status Synced and its health Healthy. The `pulumi.com/waitFor` annotation takes
 * a JSON array of `jsonpath=` expressions and is satisfied when all of them are
 * (pulumi/pulumi-kubernetes CHANGELOG 4.18.0, where it was introduced; provider/pkg/metadata/overrides.go
 * ReadyCondition). On a timeout the provider fails with "'<name>' timed out waiting to be Ready",
 * followed by what it last found, e.g. `Waiting for {.status.health.status}=Healthy (found "Degraded")`.
 */
export const APPLICATION_READY = [
    "jsonpath={.status.sync.status}=Synced",
    "jsonpath={.status.health.status}=Healthy",
] as const;

/** Minutes Argo CD may take to fetch the repository, render the chart and apply it, retries included. */
const SYNC_MINUTES = 10;
/** Kubernetes' default progressDeadlineSeconds of a Deployment (the chart sets none), in minutes. */
const DEPLOYMENT_PROGRESS_DEADLINE_MINUTES = 10;

/**
 * How long Pulumi waits for an Application to be Synced and Healthy: the sync, then the longest
 * release that still succeeds. A canary Rollout reports Suspended between its steps (argoproj/argo-cd
 * v3.2.0, resource_customizations/argoproj.io/Rollout/health.lua), so it is Healthy only after
 * its last step: each step's minutes plus, at each step, the time its pods may take to become
 * available before the Rollout aborts (`progressDeadlineSeconds`). Without canaries, one
 * Deployment rollout.
 */
export function applicationTimeoutMinutes(canary: CanaryConfig | undefined): number {
    if (!canary) {
        return SYNC_MINUTES + DEPLOYMENT_PROGRESS_DEADLINE_MINUTES;
    }
    const deadline = Math.ceil(canary.progressDeadlineSeconds / 60);
    return canary.steps.reduce((total, step) => total + step.minutes + deadline, SYNC_MINUTES);
}

/**
 * How Argo CD retries a failed sync: for ever (a `limit` below 0 means an unlimited number of
 * attempts: argoproj/argo-cd v3.2.0, docs/operator-manual/application.yaml), 10 s after the first
 * failure, doubling up to 5 minutes between attempts.
 */
export const SYNC_RETRY = { limit: -1, backoff: { duration: "10s", factor: 2, maxDuration: "5m" } };

/**
 * The annotations that make the provider wait for APPLICATION_READY and for Argo CD to report the
 * pinned commit as the one it synced (`status.sync.revision`, the commit it compared), for at most
 * applicationTimeoutMinutes. Without the revision, an update that changes the commit would pass at
 * once on the status Argo CD still shows for the previous one. The timeout is the `pulumi.com/timeoutSeconds` annotation, which the
 * provider reads when the resource has no `customTimeouts` (provider/pkg/metadata/overrides.go
 * TimeoutDuration): it stays in the object's inputs, where a preview shows it and a test reads it.
 */
export function readinessAnnotations(
    canary: CanaryConfig | undefined,
    revision: string,
): Record<string, string> {
    return {
        "pulumi.com/waitFor": JSON.stringify([
            ...APPLICATION_READY,
            `jsonpath={.status.sync.revision}=${revision}`,
        ]),
        "pulumi.com/timeoutSeconds": String(applicationTimeoutMinutes(canary) * 60),
    };
}
