// A node preload (Pulumi.yaml's nodeargs, after tsx): stack traces that point into the .ts files,
// and no formatting spent on the traces the SDK records for its promises.
// Pulumi's host installs source-map-support (@pulumi/pulumi cmd/run/index.js), whose formatter finds
// a file's source map only through that file's own sourceMappingURL; tsx hands its maps to Node
// instead (it enables Node's source maps, and module.findSourceMap returns each compiled file's).
// The handler below, added through source-map-support's documented install options, asks Node, so
// an error under `pulumi up` names the line of the .ts file. It replaces the default handler: a
// dependency's frames keep their .js position, since the maps the Pulumi SDKs ship point at .ts
// sources they do not ship (runtime/resource.js.map names ../../runtime/resource.ts), and mapping
// the SDK's frames of every stack trace it records costs the start about a tenth. Replacing the
// default also means a plain .js file of the project with its own sourceMappingURL is not mapped
// (there is none), and a checkout under a node_modules directory would map nothing. The instance
// is the one the host loads: source-map-support as @pulumi/pulumi resolves it.
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

// The SDK records a stack trace for every promise it makes (runtime/debuggable.js,
// debuggablePromise: `new Error().stack`), which only its promise-leak report prints, and only when
// PULUMI_DEBUG_PROMISE_LEAKS is set: 24,398 of them for prod, which source-map-support's formatter
// turns into half the program's start. Unless that report is asked for, those traces (their first
// frame is debuggablePromise in that file) get V8's own call-site text instead, unmapped; every
// other trace, the program's errors and the SDK's source positions among them, is formatted and
// mapped as before. The host's later install() leaves this formatter in place: source-map-support
// installs its own once.
if (!process.env.PULUMI_DEBUG_PROMISE_LEAKS) {
    const promiseTraces = path.join(sdkDir, "runtime", "debuggable.js");
    const formatter = Error.prepareStackTrace;
    Error.prepareStackTrace = (error, frames) =>
        frames.length > 0 &&
        frames[0].getFileName() === promiseTraces &&
        frames[0].getFunctionName() === "debuggablePromise"
            ? `${error}\n    at ${frames.join("\n    at ")}`
            : formatter(error, frames);
}
