// A node preload (Pulumi.yaml's nodeargs, after tsx): stack traces that point into the .ts files.
// Pulumi's host installs source-map-support (@pulumi/pulumi cmd/run/index.js), whose formatter finds
// a file's source map only through that file's own sourceMappingURL; tsx hands its maps to Node
// instead (it enables Node's source maps, and module.findSourceMap returns each compiled file's).
// The handler below, added through source-map-support's documented install options, asks Node, so
// an error under `pulumi up` names the line of the .ts file. It replaces the default handler: a
// dependency's frames keep their .js position, since the maps the Pulumi SDKs ship point at .ts
// sources they do not ship (runtime/resource.js.map names ../../runtime/resource.ts), and mapping
// the SDK's frames of every stack trace it records costs the start about a tenth. The instance is
// the one the host loads: source-map-support as @pulumi/pulumi resolves it.
"use strict";
const { findSourceMap } = require("module");
const path = require("path");
const { fileURLToPath } = require("url");

const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const dependencies = `${path.sep}node_modules${path.sep}`;
require(require.resolve("source-map-support", { paths: [sdkDir] })).install({
    overrideRetrieveSourceMap: true,
    retrieveSourceMap(source) {
        if (source.includes(dependencies)) return null;
        const map = findSourceMap(source);
        if (!map) return null;
        // tsx names each map's source by its file URL; source-map-support expects a path.
        const sources = map.payload.sources.map((s) => (s.startsWith("file:") ? fileURLToPath(s) : s));
        return { url: source, map: { ...map.payload, sources } };
    },
});
