-- wrk script for scripts/bench/api.sh: POST Messages.json with Basic auth and an Idempotency-Key per request.
-- KEYS=0: every request has a key of its own (fresh sends). KEYS=N: keys drawn from N, so most requests are
-- retries of an earlier one (the retry storm); exactly N messages may be queued, however many requests land.
local account, token, from = os.getenv("ACCOUNT_SID"), os.getenv("AUTH_TOKEN"), os.getenv("FROM")
local keys = tonumber(os.getenv("KEYS") or "0")
local auth = "Basic " .. (os.getenv("BASIC") or "")
-- `thread_id` is a global that setup() gives each thread's own Lua state; a local here would shadow it, and
-- both threads would then make the same keys.
local counter = 0
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed((thread_id or 0) * 7919 + os.time())
end

request = function()
  counter = counter + 1
  local key, n
  if keys > 0 then
    -- A retry repeats its request exactly: the parameters follow from the key.
    n = math.random(1, keys)
    key = "storm-" .. n
  else
    n = counter
    key = "t" .. thread_id .. "-" .. counter .. "-" .. os.time()
  end
  local to = string.format("+1202555%04d", 2000 + (n % 7000))
  local body = "To=" .. to:gsub("+", "%%2B") .. "&From=" .. from:gsub("+", "%%2B") .. "&Body=Bench+message+" .. n
  return wrk.format("POST", "/2010-04-01/Accounts/" .. account .. "/Messages.json", {
    ["Authorization"] = auth,
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Idempotency-Key"] = key,
  }, body)
end

local statuses = {}
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  io.write(string.format("BENCH requests=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f non2xx=%d errors=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
