/**
 * Istio 1.30.3, shared by the mesh's two add-ons (the control plane and the node agents): the
 * charts' repository and version, the images, and where each part runs.
 */
import type { PinnedChart } from "../chart";

export const ISTIO_VERSION = "1.30.3";
export const ISTIO_CHART_REPO = "https://istio-release.storage.googleapis.com/charts";

/**
 * The images of every Istio chart, pinned to the release. The source tree's values say
 * `registry.istio.io/testing` and `latest`; the program sets hub and tag itself. The hub is where
 * the release is pushed: istio/release-builder release-1.30 release/publish.sh pushes to
 * docker.io/istio (mirrored to gcr.io/istio-release); registry.istio.io, which build.sh wrote
 * into the 1.30 charts, is a redirector upstream has since backed out of (release-builder #2367).
 * The ambient profile adds the `-distroless` variant to istiod's and the CNI agent's images.
 */
export const ISTIO_IMAGES = { hub: "docker.io/istio", tag: ISTIO_VERSION } as const;

/** Where the node agents run: ztunnel and the CNI agent (privileged) away from istiod. */
export const MESH_NODE_NAMESPACE = "istio-node";

/** istiod's xDS and CA port (mTLS), which every ztunnel connects to. */
export const ISTIOD_XDS_PORT = 15012;
/** istiod's webhook port (its Service's 443), which the API server calls. */
export const ISTIOD_WEBHOOK_PORT = 15017;

/** Where the values keys were read: the charts under manifests/charts at the release's tag. */
export const istioChart = (chart: string, folder: string, valuesKeys: string[], note = ""): PinnedChart => ({
    chart,
    repo: ISTIO_CHART_REPO,
    version: ISTIO_VERSION,
    checkedAgainst: `istio/istio manifests/charts/${folder} values.yaml (under _internal_defaults_do_not_set, which the templates merge into .Values) and templates at ${ISTIO_VERSION}${note}; rendered with npm run render:addons`,
    valuesKeys,
});
