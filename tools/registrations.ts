/**
 * The record of every resource the program registers under mocks: the mock monitor is wrapped so
 * that each registration's type, name, resolved inputs (secrets unwrapped, their paths noted), the
 * state the mocks returned and the options are kept as sent.
 */
import * as pulumi from "@pulumi/pulumi";

export interface RecordedResource {
    type: string;
    name: string;
    urn: string;
    /** Physical id the mocks assigned. */
    id: string;
    custom: boolean;
    remote: boolean;
    /** Inputs as the provider receives them (every Output resolved). */
    inputs: Record<string, any>;
    /** Paths (dotted) of the inputs that are secret. */
    secretInputs: string[];
    /** State the mocks returned (inputs plus computed attributes such as ARNs). */
    state: Record<string, any>;
    options: {
        parent: string;
        provider: string;
        protect: boolean;
        dependsOn: string[];
        ignoreChanges: string[];
        deleteBeforeReplace: boolean;
        retainOnDelete: boolean;
        /** How many transforms the resource carries for its children (those of a packaged component). */
        transforms: number;
    };
}

const SIG = pulumi.runtime.specialSigKey;

/**
 * A registration's properties as an analyzer receives them: a reference to another resource (the
 * `cluster` of a `ManagedNodeGroup`, a role passed to a component) becomes that resource's id, or
 * its URN when it has none (a component), as the engine passes references to policy packs.
 */
function deserialize(struct: { toJavaScript(): Record<string, any> }): Record<string, any> {
    const downgrade = (v: any): any => {
        if (Array.isArray(v)) return v.map(downgrade);
        if (!v || typeof v !== "object") return v;
        if (v[SIG] === pulumi.runtime.specialResourceSig) return v.id || v.urn;
        return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, downgrade(item)]));
    };
    const raw = downgrade(struct.toJavaScript());
    return Object.fromEntries(
        Object.entries(raw)
            .filter(([, v]) => v !== undefined)
            .map(([k, v]) => [k, pulumi.runtime.deserializeProperty(v)]),
    );
}

/** Replaces secret wrappers by their values, noting where they were. */
function unwrapSecrets(value: Record<string, any>): { inputs: Record<string, any>; secretInputs: string[] } {
    const secretInputs: string[] = [];
    const walk = (v: any, where: string): any => {
        if (v && typeof v === "object") {
            if (v[SIG] === pulumi.runtime.specialSecretSig) {
                secretInputs.push(where);
                return walk(v.value, where);
            }
            if (Array.isArray(v)) {
                return v.map((item, i) => walk(item, `${where}.${i}`));
            }
            return Object.fromEntries(
                Object.entries(v).map(([k, item]) => [k, walk(item, where ? `${where}.${k}` : k)]),
            );
        }
        return v;
    };
    return { inputs: walk(value, ""), secretInputs };
}

/** Wraps the current mock monitor so that every successful registration is appended to `resources`. */
export function recordRegistrations(resources: RecordedResource[]): void {
    const monitor = pulumi.runtime.getMonitor() as any;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: any, resp: any) => void) => {
        register(req, (err: any, resp: any) => {
            if (!err && resp) {
                resources.push({
                    type: req.getType(),
                    name: req.getName(),
                    urn: resp.getUrn(),
                    id: resp.getId(),
                    custom: req.getCustom(),
                    remote: req.getRemote(),
                    ...unwrapSecrets(deserialize(req.getObject())),
                    state: unwrapSecrets(deserialize(resp.getObject())).inputs,
                    options: {
                        parent: req.getParent(),
                        provider: req.getProvider(),
                        protect: Boolean(req.getProtect()),
                        dependsOn: req.getDependenciesList(),
                        ignoreChanges: req.getIgnorechangesList(),
                        deleteBeforeReplace: Boolean(req.getDeletebeforereplace()),
                        retainOnDelete: Boolean(req.getRetainondelete()),
                        transforms: req.getTransformsList().length,
                    },
                });
            }
            callback(err, resp);
        });
    };
}
