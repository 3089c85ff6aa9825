/**
 * Istio 1.30.3, shared by the mesh's two add-ons (the control plane and the node agents): the
 * charts' repository and version, the images, and where each part runs.
 */
import type { PinnedChart } from "../chart";

export const ISTIO_VERSION = "1.30.3";
export const ISTIO_CHART_REPO = "https://istio-release.storage.googleapis.com/charts";

/**
 * The images of every Istio chart, pinned to the release's tag. The source tree's values say
 * `registry.istio.io/testing` and `latest`; the program sets hub and tag itself. The hub is
 * gcr.io/istio-release, not docker.io/istio: istio/release-builder release-1.30 release/publish.sh
 * pushes every release's images with the version's tag to both (DOCKER_HUB docker.io/istio,
 * DOCKER_HUB_MIRROR gcr.io/istio-release, the mirror "in case of dockerhub rate limiting"), and
 * Istio's own advice for large clusters is that mirror (istio.io blog "Handling Docker Hub rate
 * limiting"). Docker Hub allows an anonymous client 10 pulls per hour per IPv4 address (Docker's
 * docs, docker-hub/usage), and every node pulls through the one NAT address of its zone: a
 * scale-out of a few nodes would leave new nodes without ztunnel or the CNI agent.
 * The published charts default to registry.istio.io/release (release-1.30 release/build.sh
 * DOCKER_HUB), a redirector: naming the hub keeps where the nodes pull from explicit. The ambient
 * profile adds the `-distroless` variant to istiod's and the CNI agent's images, which publish.sh
 * pushes to both hubs alike.
 */
export const ISTIO_IMAGES = { hub: "gcr.io/istio-release", tag: ISTIO_VERSION } as const;

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
