#!/usr/bin/env bash
# The reliability run at full size: a 100k-message campaign sent by `canvass serve --role worker` to `canvass sim`,
# the worker killed with SIGKILL 20 times and restarted each time. Every message must end terminal, every
# recipient must get it, and duplicates stay within the in-flight window per crash. CI runs the same test at
# 3,000 messages and 5 kills.
set -euo pipefail
cd "$(dirname "$0")/../.."
CANVASS_CRASH_CONTACTS="${1:-100000}" CANVASS_CRASH_KILLS="${2:-20}" \
  cargo test --release -p canvass-cli --test campaign_crash -- --nocapture
