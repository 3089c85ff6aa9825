/** The queues' idle requests: Karpenter's long polls on its interruption queue, KEDA's and the workers' on the rest. */
import { PlatformProfile } from "../../vocabulary/stack";
import { WORKER_QUEUE } from "../../components/apps/env";
import type { ProgramRun, RecordedResource } from "../harness";
import { componentOf } from "./component";
import { Prices } from "./pricing";
import type { CostLine } from "./report";
import { fixedLine } from "./resource-lines";

/** Seconds in the 30-day month the request counts are made over. */
const MONTH_SECONDS = 30 * 24 * 3600;

/**
 * Karpenter long-polls its interruption queue without pause (20 s waits,
 * karpenter-provider-aws 1.14.1 pkg/providers/sqs).
 */
const KARPENTER_POLL_SECONDS = 20;

/**
 * SQS lines: one per Karpenter interruption queue (its long polls), and one baseline for the
 * other queues (KEDA polls the queue depth, and each minimum worker long-polls with its concurrency).
 */
export function sqsLines(
    run: ProgramRun,
    prices: Prices,
    profile: PlatformProfile | undefined,
    byUrn: Map<string, RecordedResource>,
): CostLine[] {
    const lines: CostLine[] = [];
    const allQueues = run.resources.filter((r) => r.type === "aws:sqs/queue:Queue");
    const interruption = allQueues.filter(
        (q) => byUrn.get(q.options.parent ?? "")?.type === "tacos:aws:KarpenterInfrastructure",
    );
    const queues = allQueues.filter((q) => !interruption.includes(q));
    for (const q of interruption) {
        const requests = MONTH_SECONDS / KARPENTER_POLL_SECONDS;
        lines.push(
            fixedLine(componentOf(q, byUrn), {
                item: `SQS ${q.name} (Karpenter's long polls)`,
                monthly: (requests / 1e6) * prices.row("sqs.requests").usd,
                basis: `${Math.round(requests / 1e3)}k requests/month`,
            }),
        );
    }
    if (queues.length > 0) {
        const worker = profile?.performanceProfile.services["reservation-worker"];
        const requests =
            MONTH_SECONDS / WORKER_QUEUE.kedaPollingSeconds +
            (worker?.minReplicas ?? 0) *
                WORKER_QUEUE.concurrency *
                (MONTH_SECONDS / WORKER_QUEUE.longPollSeconds);
        lines.push(
            fixedLine(componentOf(queues[0], byUrn), {
                item: `SQS baseline (${queues.length} queues)`,
                monthly: (requests / 1e6) * prices.row("sqs.requests").usd,
                basis: `${Math.round((requests / 1e6) * 10) / 10}M idle requests/month (KEDA polling, minimum workers' long polls)`,
            }),
        );
    }
    return lines;
}
