/** Which top-level component of the program a recorded resource belongs to. */
import type { RecordedResource } from "../harness";

/** The top-level component a resource belongs to (its outermost parent). */
export function componentOf(resource: RecordedResource, byUrn: Map<string, RecordedResource>): string {
    let current = resource;
    while (current.options.parent && byUrn.has(current.options.parent)) {
        current = byUrn.get(current.options.parent)!;
    }
    return current.name;
}
