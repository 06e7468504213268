#!/usr/bin/env bash
# The Twilio-compatible API under load: POST Messages.json with Basic auth and an Idempotency-Key per request,
# each message durably queued (SQLite, WAL) before the 201, measured with wrk on loopback against
# `canvass serve --role api`; the peer in the same run is GET /healthz on the same server. Then a retry storm:
# requests whose keys repeat from a set of 1,000, after which the queue must hold exactly one message per key.
# Runs RUNS times (default 3); quote the medians. wrk and the server share the machine's cores.
# Usage: scripts/bench/api.sh [RUNS] [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}
seconds=${2:-15}
connections=${3:-64}
scripts/setup/apt.sh wrk sqlite3
cargo build --release -p canvass-cli
bin=${CARGO_TARGET_DIR:-target}/release/canvass
work=$(mktemp -d)
trap 'kill "${server:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
data="$work/data"
account=$("$bin" --data-dir "$data" accounts create Bench --json 2>/dev/null)
sid=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["account_sid"])' "$account")
token=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["auth_token"])' "$account")
"$bin" --data-dir "$data" numbers add +12025551000 --account "$sid" >/dev/null 2>&1
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
CANVASS_API_RATE_LIMIT=1000000 RUST_LOG=warn "$bin" --data-dir "$data" serve --role api --http "127.0.0.1:$port" \
  >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do "$bin" healthcheck --http "127.0.0.1:$port" >/dev/null 2>&1 && break; sleep 0.1; done
export ACCOUNT_SID=$sid AUTH_TOKEN=$token FROM=+12025551000
BASIC=$(printf '%s:%s' "$sid" "$token" | base64 -w0)
export BASIC
url="http://127.0.0.1:$port"
rows() { sqlite3 "$data/canvass.db" "SELECT COUNT(*) FROM api_messages"; }
for run in $(seq 1 "$runs"); do
  echo "== run $run of $runs"
  before=$(rows)
  post=$(KEYS=0 wrk -t2 -c"$connections" -d"${seconds}s" -s scripts/bench/api-post.lua "$url" | grep '^BENCH')
  queued=$(( $(rows) - before ))
  get=$(wrk -t2 -c"$connections" -d"${seconds}s" -s scripts/bench/api-get.lua "$url/healthz" | grep '^BENCH')
  echo "post:    $post queued=$queued"
  echo "healthz: $get"
  python3 - "$post" "$get" <<'PY'
import sys
def parse(line):
    return dict(kv.split("=") for kv in line.split()[1:])
post, get = parse(sys.argv[1]), parse(sys.argv[2])
print(f"ratio POST/healthz req/s: {float(post['rps']) / float(get['rps']):.2f}")
PY
  before=$(rows)
  storm=$(KEYS=1000 wrk -t2 -c"$connections" -d"${seconds}s" -s scripts/bench/api-post.lua "$url" | grep '^BENCH')
  made=$(( $(rows) - before ))
  echo "storm:   $storm new_messages=$made (keys: 1000; more would be duplicate sends)"
  # The next run's storm must not replay this run's keys.
  sqlite3 "$data/canvass.db" "DELETE FROM idempotency_keys WHERE key LIKE 'storm-%'"
done
