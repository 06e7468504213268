#!/usr/bin/env bash
# Personalised 1080×1080 JPEG rendering against Pillow + ImageFont (same template, font, box and JPEG quality),
# single-threaded on both sides, medians over runs:
#   unique names: milliseconds per render, and the ratio Pillow / Canvass;
#   a Zipf-distributed first-name audience of RECIPIENTS through the deduplicating batch renderer, against
#   Pillow rendering every recipient (its per-render time measured on a sample of the same sequence).
# Usage: scripts/bench/media-render.sh [UNIQUE] [RECIPIENTS] [RUNS]   (defaults 300, 100000, 5)
set -euo pipefail
cd "$(dirname "$0")/../.."
unique=${1:-300}; recipients=${2:-100000}; runs=${3:-5}
python=$(scripts/setup/venv.sh pillow pillow==13.0.0)
cargo build --release -p canvass-media --example render_bench
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
target=${CARGO_TARGET_DIR:-target}
ours=$(taskset -c 0 "$target/release/examples/render_bench" "$dir" "$unique" "$recipients" "$runs")
peer=$(taskset -c 0 "$python" scripts/bench/media-render.py "$dir" "$runs" 2000)
echo "canvass: $ours"
echo "pillow:  $peer"
"$python" - "$ours" "$peer" "$recipients" <<'PY'
import json, sys
ours, peer, recipients = json.loads(sys.argv[1]), json.loads(sys.argv[2]), int(sys.argv[3])
unique = peer["unique_ms_per_render"] / ours["unique_ms_per_render"]
pillow_batch_s = peer["zipf_ms_per_render"] * recipients / 1000
zipf = pillow_batch_s / ours["zipf_total_s"]
print(f"unique names: canvass {ours['unique_ms_per_render']:.2f} ms/render, pillow {peer['unique_ms_per_render']:.2f} ms/render"
      f" -> {unique:.1f}x (goal >= 3x)")
print(f"zipf {recipients} recipients ({ours['zipf_distinct_names']} distinct names): canvass {ours['zipf_total_s']:.2f} s,"
      f" pillow {pillow_batch_s:.1f} s (= {peer['zipf_ms_per_render']:.2f} ms x {recipients}) -> {zipf:.1f}x (goal >= 30x)")
PY
