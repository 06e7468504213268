#!/usr/bin/env bash
# MMS codec throughput: canvass-mms against python-messaging 0.5.13 in the same run, as a ratio.
# Usage: scripts/bench/mms-codec.sh [SECONDS_PER_MEASURE]   (default 1; the whole run stays under a minute)
# Env: CANVASS_MMS_VECTORS (default ../shared/mms-vectors), CARGO_TARGET_DIR (default target).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-1}
vectors=${CANVASS_MMS_VECTORS:-$root/../shared/mms-vectors}
python=$("$root/scripts/setup/venv.sh" python-messaging python-messaging==0.5.13)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"
cargo build -q --release -p canvass-mms --example bench
target=${CARGO_TARGET_DIR:-$root/target}
"$target/release/examples/bench" "$vectors" "$seconds" "$work/large.mms" >"$work/results.jsonl"
"$python" "$root/scripts/bench/mms-codec.py" "$vectors" "$seconds" "$work/large.mms" >>"$work/results.jsonl"
python3 - "$work/results.jsonl" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
by = {(r["impl"], r["workload"], r["op"]): r for r in rows}
print(f"{'workload':8} {'op':7} {'canvass MB/s':>13} {'PDUs/s':>11} {'python MB/s':>12} {'PDUs/s':>9} {'ratio':>7}  (ratio of PDUs/s)")
for (impl, workload, op), ours in by.items():
    if impl != "canvass":
        continue
    theirs = by.get(("python-messaging", workload, op), {})
    if theirs.get("unsupported") or not theirs:
        print(f"{workload:8} {op:7} {ours['mb_per_s']:13.1f} {ours['pdus_per_s']:11.0f} {'n/a':>12} {'n/a':>9} {'n/a':>7}")
        continue
    # PDUs/s: for decode both read the same bytes; for encode both encode the same content, but
    # python-messaging writes a much larger SMIL, so MB/s would flatter it.
    ratio = ours["pdus_per_s"] / theirs["pdus_per_s"]
    print(f"{workload:8} {op:7} {ours['mb_per_s']:13.1f} {ours['pdus_per_s']:11.0f} "
          f"{theirs['mb_per_s']:12.2f} {theirs['pdus_per_s']:9.1f} {ratio:6.0f}x")
PY
