#!/usr/bin/env bash
# Personalised video: intro render + concat per recipient against one full ffmpeg re-encode with drawtext, in CPU
# seconds of the ffmpeg/ffprobe child processes, in the same run; prints medians and the ratio.
# Usage: scripts/bench/media-video.sh [RUNS] [RECIPIENTS_FOR_AMORTISING]   (defaults 5 and 1000; about 2 minutes)
# Env: CARGO_TARGET_DIR (default target).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
scripts/setup/apt.sh ffmpeg fonts-dejavu-core util-linux
cargo build -q --release -p canvass-media --example video_bench
target=${CARGO_TARGET_DIR:-$root/target}
"$target/release/examples/video_bench" "${1:-5}" "${2:-1000}"
