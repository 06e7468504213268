#!/usr/bin/env bash
# Installs the npm packages of tests/peers (the npm smpp SMSC our SMPP client is tested against, the twilio SDK) from its lock
# file, only when they are missing or the lock file changed.
set -euo pipefail
peers="$(cd "$(dirname "$0")/../.." && pwd)/tests/peers"
stamp="$peers/node_modules/.canvass-lock"
if [ -f "$stamp" ] && cmp -s "$stamp" "$peers/package-lock.json"; then
  exit 0
fi
# The machine image ships Node.js with its npm; Debian's packages are the fallback on one without.
command -v npm >/dev/null || "$(dirname "$0")/apt.sh" nodejs npm
echo "setup: installing npm packages in tests/peers" >&2
(cd "$peers" && npm ci --no-audit --no-fund --silent)
cp "$peers/package-lock.json" "$stamp"
