#!/usr/bin/env bash
# Starts PostgreSQL and NATS JetStream when they are down, with Debian's own tools, and waits until they answer.
set -euo pipefail
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if ! port_open 5432; then
  echo "services: starting PostgreSQL" >&2
  for version in $(ls /etc/postgresql 2>/dev/null); do
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  done
fi
if ! port_open 4222 && command -v nats-server >/dev/null; then
  echo "services: starting NATS JetStream" >&2
  mkdir -p /var/lib/nats-server
  start-stop-daemon --start --oknodo --background --exec "$(command -v nats-server)" -- \
    -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
fi
for _ in $(seq 1 60); do
  port_open 5432 && break
  sleep 0.5
done
port_open 5432 || { echo "services: PostgreSQL did not come up on 127.0.0.1:5432" >&2; exit 1; }
