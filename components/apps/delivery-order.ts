/** The order the services are delivered in: every callee before its callers, so that callees are healthy first. */

/** Raised when the call graph has a cycle: no order then delivers every callee before its callers. */
export class CallGraphCycleError extends Error {
    constructor(public readonly cycle: readonly string[]) {
        super(
            `The call graph has a cycle (${cycle.join(" -> ")}): no service of it can become healthy before the services it calls`,
        );
        this.name = "CallGraphCycleError";
    }
}

/**
 * The services of `calls` (each service's callees) in an order that puts every callee before its
 * callers, and otherwise keeps the order of `calls`' keys.
 * @throws CallGraphCycleError naming the services of a cycle, in call order.
 */
export function deliveryOrder<S extends string>(calls: Record<S, readonly S[]>): S[] {
    const ordered: S[] = [];
    const path: S[] = [];
    const visit = (service: S): void => {
        if (ordered.includes(service)) return;
        const seen = path.indexOf(service);
        if (seen >= 0) throw new CallGraphCycleError([...path.slice(seen), service]);
        path.push(service);
        calls[service].forEach(visit);
        path.pop();
        ordered.push(service);
    };
    (Object.keys(calls) as S[]).forEach(visit);
    return ordered;
}
