/** PromQL as the tests read it: parsed with the Prometheus project's own parser. */
import { parser } from "@prometheus-io/lezer-promql";

/** The metric names a PromQL expression selects; throws on a syntax error. */
export function metricsOf(expr: string): string[] {
    const tree = parser.parse(expr);
    const names: string[] = [];
    let error: number | undefined;
    tree.iterate({
        enter(node) {
            if (node.type.isError) error = node.from;
            if (node.name === "VectorSelector") {
                const id = node.node.getChild("Identifier");
                if (id) names.push(expr.slice(id.from, id.to));
            }
        },
    });
    if (error !== undefined) throw new Error(`PromQL syntax error at ${error}: ${expr}`);
    return names;
}
