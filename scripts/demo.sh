#!/usr/bin/env bash
# Builds Canvass and runs the demo on the embedded default (SQLite in ./canvass-data).
# Extra arguments go to `canvass demo`, e.g. scripts/demo.sh --exit
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup/system.sh
cargo build --release -p canvass-cli
exec target/release/canvass demo "$@"
