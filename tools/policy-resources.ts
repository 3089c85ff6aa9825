/**
 * What the policies see: the program's resources and each delivered service's rendered chart
 * objects, as PolicyResources built the way the CrossGuard runtime builds them.
 */
import type { PolicyResource } from "@pulumi/policy";
import { unknownCheckingProxy } from "@pulumi/policy";
import { deliveredValues } from "../vocabulary/stack";
import type { ProgramRun } from "./harness";
import { renderAsync } from "./helm";
import type { RecordedResource } from "./registrations";

/** Whether a resource of `type` is an instance of `resourceClass`, as the runtime's `isType` decides. */
function isTypeOf(type: string, resourceClass: any): boolean {
    return (
        resourceClass?.__pulumiType === type ||
        (typeof resourceClass?.isInstance === "function" && resourceClass.isInstance({ __pulumiType: type }))
    );
}

/** A PolicyResource as the runtime presents one: props behind the unknown-checking proxy. */
export function makePolicyResource(
    r: Pick<RecordedResource, "type" | "name" | "urn" | "inputs"> & Partial<RecordedResource>,
): PolicyResource {
    const props = unknownCheckingProxy(r.inputs);
    return {
        type: r.type,
        name: r.name,
        urn: r.urn,
        props,
        opts: {
            protect: r.options?.protect ?? false,
            ignoreChanges: r.options?.ignoreChanges ?? [],
            deleteBeforeReplace: r.options?.deleteBeforeReplace,
            aliases: [],
            additionalSecretOutputs: [],
            customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        } as PolicyResource["opts"],
        dependencies: [],
        propertyDependencies: {},
        isType: (cls: any) => isTypeOf(r.type, cls),
        asType: (cls: any) => (isTypeOf(r.type, cls) ? (props as any) : undefined),
    };
}

/** The program's resources and the rendered chart objects, as PolicyResources. */
export async function policyResources(run: ProgramRun): Promise<PolicyResource[]> {
    // helm renders in child processes while this process builds the program's resources. Its
    // failure is awaited below; should building throw first, it must not surface unhandled.
    const rendered = renderedObjects(run);
    rendered.catch(() => undefined);
    const byUrn = new Map<string, PolicyResource>();
    for (const r of run.resources) {
        byUrn.set(r.urn, makePolicyResource(r));
    }
    for (const r of run.resources) {
        const resource = byUrn.get(r.urn)!;
        resource.dependencies = r.options.dependsOn
            .map((urn) => byUrn.get(urn))
            .filter((d): d is PolicyResource => !!d);
        resource.parent = byUrn.get(r.options.parent);
        const providerUrn = r.options.provider.split("::").slice(0, -1).join("::");
        const provider = byUrn.get(providerUrn);
        if (provider) {
            resource.provider = {
                type: provider.type,
                props: provider.props,
                urn: provider.urn,
                name: provider.name,
            };
        }
    }
    return [...byUrn.values(), ...(await rendered)];
}

/** Objects the tacos-service chart renders for each delivered service, as PolicyResources. */
async function renderedObjects(run: ProgramRun): Promise<PolicyResource[]> {
    const values = deliveredValues(run.resources.map((r) => ({ type: r.type, props: r.inputs })));
    const rendered = await Promise.all(values.map((v) => renderAsync(v.name, run.stack, v)));
    return values.flatMap((v, i) =>
        rendered[i].map((object) => {
            const apiVersion = object.apiVersion.includes("/")
                ? object.apiVersion
                : `core/${object.apiVersion}`;
            const type = `kubernetes:${apiVersion}:${object.kind}`;
            const namespaced = { ...object, metadata: { namespace: "tacos", ...object.metadata } };
            const urn = `urn:pulumi:${run.stack}::tacos-platform::rendered:${v.name}$${type}::${object.metadata.name}`;
            return makePolicyResource({ type, name: object.metadata.name, urn, inputs: namespaced });
        }),
    );
}
