#!/usr/bin/env bash
# The whole test suite: installs the external validators when missing, starts PostgreSQL and NATS when they are
# down, and runs every test on SQLite and on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup/system.sh --test
scripts/setup/services.sh
export CANVASS_TEST_POSTGRES="${CANVASS_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}"
export CANVASS_TEST_NATS="${CANVASS_TEST_NATS:-nats://127.0.0.1:4222}"
cargo build --workspace --all-targets
exec cargo test --workspace --all-targets
