#!/usr/bin/env bash
# Everything Canvass needs from the system, installed only when missing. Safe to run on every build.
#   scripts/setup/system.sh          runtime needs (demo)
#   scripts/setup/system.sh --test   plus the external validators the test suite drives
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# pkg-config and a C compiler build the bundled SQLite; ca-certificates lets cargo reach crates.io; nasm builds
# mozjpeg's SIMD code (the picture encoder).
"$here/apt.sh" build-essential pkg-config ca-certificates nasm
# The media engine runs the ffmpeg/ffprobe programs (video and audio) and draws intro text with DejaVu fonts; prlimit
# (util-linux) caps the files they write.
"$here/apt.sh" ffmpeg fonts-dejavu-core util-linux
# Fonts for personalised pictures: DejaVu (Latin, Greek, Cyrillic, Arabic, Hebrew) and the per-script Noto families
# (Devanagari, Bengali, Thai, Arabic, …), and Noto CJK for Chinese, Japanese and Korean names.
"$here/apt.sh" fonts-dejavu-core fonts-noto-core fonts-noto-cjk
if [ "${1:-}" = "--test" ]; then
  # tshark decodes our MMS, WAP Push and SMPP output; python3-venv hosts python-messaging.
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections 2>/dev/null || true
  "$here/apt.sh" tshark python3-venv
  # ImageMagick is the peer the picture benchmarks compare against.
  "$here/apt.sh" imagemagick
  "$here/venv.sh" python-messaging python-messaging==0.5.13 >/dev/null
  # Kannel (bearerbox, smsbox) is the SMPP peer our simulator's SMSC and the benchmark baseline; the npm smpp
  # package is an SMSC for our SMPP client.
  "$here/apt.sh" kannel
  "$here/node.sh"
fi
