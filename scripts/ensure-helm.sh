#!/usr/bin/env bash
# Makes the pinned helm available to the tests: the `helm` on PATH when it is the pinned minor
# version, else a copy built from source with `go install` into .tools/bin (git-ignored), reused
# on later runs. Prints the path of the binary to use on its last line.
set -euo pipefail
HELM_VERSION="v3.22.0"
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.tools/bin"
stamp="$root/.tools/helm.version"
minor="${HELM_VERSION%.*}"

if command -v helm >/dev/null 2>&1 && helm version --template '{{.Version}}' 2>/dev/null | grep -q "^${minor}"; then
    command -v helm
    exit 0
fi
if [ -x "$tools/helm" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$HELM_VERSION" ]; then
    echo "$tools/helm"
    exit 0
fi
if ! command -v go >/dev/null 2>&1; then
    echo "helm ${HELM_VERSION} is not on PATH and Go is missing to build it: install one of them" >&2
    exit 1
fi
echo "building helm ${HELM_VERSION} into .tools/bin (first run only, a few minutes)..." >&2
mkdir -p "$tools"
GOBIN="$tools" GOFLAGS=-mod=mod go install "helm.sh/helm/v3/cmd/helm@${HELM_VERSION}" >&2
echo "$HELM_VERSION" > "$stamp"
echo "$tools/helm"
