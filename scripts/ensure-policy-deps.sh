#!/usr/bin/env bash
# Installs the policy pack's own dependencies (policy/package-lock.json) into policy/node_modules when
# they are missing, or when the pack's package.json, its lockfile or the Node version changed since the
# last install; the tests build the pack alone from them.
set -euo pipefail
policy="$(cd "$(dirname "$0")/../policy" && pwd)"
stamp="$policy/node_modules/.installed-from"
want="$(node --version) $(cat "$policy/package.json" "$policy/package-lock.json" | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    exit 0
fi
echo "installing the policy pack's dependencies (npm ci in policy/)..." >&2
(cd "$policy" && npm ci --no-audit --no-fund >&2)
echo "$want" > "$stamp"
