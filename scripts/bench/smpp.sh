#!/usr/bin/env bash
# SMPP throughput: our connector against Kannel 1.4.5 (bearerbox + smsbox, through sendsms), both bound to the same
# simulator process; submit → DELIVRD receipt matched, msgs/s and CPU-seconds per 100k messages, for latency 0 and
# 20 ms × 1 and 4 binds × window 1, 10 and 50. Runs the whole matrix RUNS times (default 3); quote the medians.
# Usage: scripts/bench/smpp.sh [RUNS] [extra `canvass bench smpp` flags…]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}
shift || true
scripts/setup/apt.sh kannel
cargo build --release -p canvass-cli
target=${CARGO_TARGET_DIR:-target}
for run in $(seq 1 "$runs"); do
  echo "== run $run of $runs"
  "$target/release/canvass" bench smpp "$@"
done
