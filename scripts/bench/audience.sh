#!/usr/bin/env bash
# Audience benchmarks: import throughput against SQLite's batched-insert ceiling (same rows, same run), peak RSS of
# the import, and segment-count medians on SQLite and PostgreSQL over the same 1M contacts.
# Usage: scripts/bench/audience.sh [ROWS]   (default 1,000,000; needs PostgreSQL at 127.0.0.1:5432)
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${1:-1000000}
scripts/setup/services.sh
cargo build --release -p canvass-cli
exec target/release/canvass bench audience --rows "$rows" --runs 15 \
  --postgres "${CANVASS_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}"
