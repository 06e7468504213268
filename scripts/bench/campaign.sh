#!/usr/bin/env bash
# Campaigns end to end, on SQLite in a temporary data dir, each against its peer in the same run:
#   expansion msgs/s against SQLite's own INSERT…SELECT of the same rows (median of --runs);
#   1M personalised SMS through the worker and the simulator's SMSC, launch → completed, against the bare SMPP
#   connector (msgs/s, peak RSS, simulator accepted/duplicates);
#   100k personalised picture MMS over MM7 against the bare MM7 connector with one pre-rendered picture
#   (msgs/s, CPU per message).
# Usage: scripts/bench/campaign.sh [extra `canvass bench campaign` flags…]
#   e.g. scripts/bench/campaign.sh --contacts 100000 --mms 10000 --runs 1
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release -p canvass-cli
target=${CARGO_TARGET_DIR:-target}
"$target/release/canvass" bench campaign "$@"
