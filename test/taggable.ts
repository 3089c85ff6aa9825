/**
 * Which registered resource types take AWS tags, read from the provider SDK itself (a resource
 * class that forwards a `tags` input), so that no hand-kept list can fall behind.
 */
import * as fs from "fs";

const cache = new Map<string, boolean>();

/** The SDK module file of a type token such as `aws:sqs/queue:Queue`. */
function sdkModuleFile(type: string): string | undefined {
    const [pkg, module] = type.split(":");
    if (!module || !module.includes("/")) {
        return undefined;
    }
    const [folder, file] = module.split("/");
    const relative = folder === "index" ? file : `${folder}/${file}`;
    try {
        return require.resolve(`@pulumi/${pkg}/${relative}.js`);
    } catch {
        return undefined;
    }
}

/** True when resources of `type` accept a `tags` input (so must carry the cost tags). */
export function isTaggable(type: string): boolean {
    if (!cache.has(type)) {
        const file = sdkModuleFile(type);
        cache.set(type, file !== undefined && /resourceInputs\["tags"\]/.test(fs.readFileSync(file, "utf8")));
    }
    return cache.get(type)!;
}
