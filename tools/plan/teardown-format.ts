/** The teardown section as a person reads it: one row per kind of object, controller and foundation group, in destroy order. */
import { table } from "../table";
import type { TeardownReport } from "./teardown";

/** `kubernetes:gateway.networking.k8s.io/v1:HTTPRoute` as `HTTPRoute`. */
const kindOf = (type: string) => type.split(":").pop()!;

/** A group of `names`, counted when there is more than one. */
const counted = (what: string, names: string[]) => (names.length > 1 ? `${what} x${names.length}` : what);

/** The text of the teardown section, problems first. */
export function teardownText(teardown: TeardownReport): string[] {
    const rows: [number, string, string, string][] = [
        ...teardown.controllers.flatMap((c) => [
            ...c.objects.map((o): [number, string, string, string] => [
                o.step,
                counted(kindOf(o.type), o.names),
                c.controller,
                o.cleansUp,
            ]),
            [c.step, `controller: ${c.resources.join(", ")}`, c.controller, ""] as [
                number,
                string,
                string,
                string,
            ],
        ]),
        // A group whose members go at different steps (the VPC CNI after the node groups) says so.
        ...teardown.infrastructure.map((i): [number, string, string, string] => [
            i.step,
            counted(i.what, i.names) + (i.lastStep > i.step ? ` (steps ${i.step} to ${i.lastStep})` : ""),
            "",
            "",
        ]),
    ];
    return [
        "",
        "Teardown: the order pulumi destroy removes what controllers act on, the controllers, the cluster",
        "(step: the earliest step of a parallel destroy at which it can go, after all that depends on it)",
        ...(teardown.problems.length > 0
            ? ["Problems:", ...teardown.problems.map((p) => `  - ${p}`)]
            : ["Every managed object depends on its controller: none can outlive it."]),
        table(
            ["step", "goes", "controller", "cleans up on the way"],
            rows
                .sort((a, b) => a[0] - b[0])
                .map(([step, goes, controller, cleans]) => [String(step), goes, controller, cleans]),
        ),
    ];
}
