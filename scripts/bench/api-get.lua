-- wrk script for scripts/bench/api.sh: the peer in the same run, GET /healthz (one database round trip, no
-- auth): what the same server, listener and store answer when a request writes nothing.
done = function(summary, latency, requests)
  io.write(string.format("BENCH requests=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f non2xx=%d errors=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
