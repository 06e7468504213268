#!/usr/bin/env bash
# Picture benchmarks, each against ImageMagick 6 (the Debian package, /usr/bin/convert) in the same run:
#   (a) resize a 1920×1080 JPEG to 640 wide, JPEG q=85: canvass in-process vs the convert CLI, per image (medians);
#   (b) a 12 MP, ~5 MB photo to a 600 KB budget: SSIM against the original scaled to the same size, canvass'
#       picture::adapt vs convert -define jpeg:extent=600kb at the same dimensions;
#   (c) a 100-megapixel PNG header (pixel bomb): time to refuse, and peak memory growth.
# The photo is a 4032×3024 crop of a photographed painting from Debian's mate-backgrounds (installed here, never
# committed). Usage: scripts/bench/media-picture.sh [ROUNDS]   (default 5 rounds of 5 images each way)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rounds=${1:-5}
"$root/scripts/setup/apt.sh" imagemagick ffmpeg mate-backgrounds
convert=/usr/bin/convert # the real ImageMagick, not a wrapper earlier on PATH
source_photo=/usr/share/backgrounds/mate/abstract/Elephants_5640x3172.jpg
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$convert" "$source_photo" -gravity center -crop 4032x3024+0+0 +repage -quality 93 "$work/phone.jpg"
"$convert" "$source_photo" -resize 1920x1080^ -gravity center -extent 1920x1080 -quality 90 "$work/hd.jpg"

cd "$root"
cargo build -q --release -p canvass-media --example picture_bench
bench="${CARGO_TARGET_DIR:-$root/target}/release/examples/picture_bench"

python3 - "$bench" "$convert" "$work" "$rounds" <<'PY'
import json, re, statistics, subprocess, sys, time
bench, convert, work, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

def run(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True)

print(f"ImageMagick: {run(convert, '-version').stdout.splitlines()[0]}")
# (a) Alternate rounds so both sides see the same machine load.
ours, theirs = [], []
for _ in range(rounds):
    ours += json.loads(run(bench, "resize", f"{work}/hd.jpg", f"{work}/ours-640.jpg", "5").stdout)["times_ms"]
    for _ in range(5):
        start = time.perf_counter()
        run(convert, f"{work}/hd.jpg", "-resize", "640x", "-quality", "85", f"{work}/im-640.jpg")
        theirs.append((time.perf_counter() - start) * 1000)
o, t = statistics.median(ours), statistics.median(theirs)
print(f"(a) 1920x1080 -> 640 wide JPEG q=85, median of {len(ours)} images each:")
print(f"    canvass in-process {o:.1f} ms/image, convert CLI {t:.1f} ms/image, ratio {t / o:.1f}x")

# (b) Same budget, same output dimensions, SSIM against the original scaled by a third party (ffmpeg, Lanczos).
def ssim(candidate, reference):
    out = subprocess.run(["ffmpeg", "-hide_banner", "-i", candidate, "-i", reference, "-lavfi",
                          "[0:v]format=rgb24[a];[1:v]format=rgb24[b];[a][b]ssim", "-f", "null", "-"],
                         capture_output=True, text=True, check=True).stderr
    return float(re.search(r"All:([0-9.]+)", out).group(1))

import os
print(f"(b) {os.path.getsize(f'{work}/phone.jpg')} B 4032x3024 photo to a 600 KB (614400 B) budget:")
for side in (1600, 4032):
    facts = json.loads(run(bench, "adapt", f"{work}/phone.jpg", f"{work}/ours-{side}.jpg", "614400", str(side)).stdout)
    w, h = facts["width"], facts["height"]
    start = time.perf_counter()
    run(convert, f"{work}/phone.jpg", "-resize", f"{w}x{h}!", "-define", "jpeg:extent=600kb", f"{work}/im-{side}.jpg")
    im_ms = (time.perf_counter() - start) * 1000
    run("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", f"{work}/phone.jpg",
        "-vf", f"scale={w}:{h}:flags=lanczos", f"{work}/ref-{side}.png")
    im_bytes = os.path.getsize(f"{work}/im-{side}.jpg")
    ours_ssim, im_ssim = ssim(f"{work}/ours-{side}.jpg", f"{work}/ref-{side}.png"), ssim(f"{work}/im-{side}.jpg", f"{work}/ref-{side}.png")
    print(f"    box {side}: {w}x{h}; canvass q={facts['quality']} {facts['bytes']} B SSIM {ours_ssim:.4f} in {facts['ms']:.0f} ms;"
          f" ImageMagick {im_bytes} B SSIM {im_ssim:.4f} in {im_ms:.0f} ms")
    print(f"      canvass steps: {facts['steps']}")

# (c)
facts = json.loads(run(bench, "bomb").stdout)
print(f"(c) 100 MP PNG header refused in {facts['ms']:.3f} ms, peak RSS grew {facts['peak_rss_growth_kb']} KiB: {facts['error']}")
PY
