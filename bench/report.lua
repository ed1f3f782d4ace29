-- Collects non-2xx responses and page-cache answers per thread and prints one
-- JSON line at the end, with the percentiles wrk's own summary leaves out (p95).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
  status5xx = 0
  cache_hits = 0
  cache_misses = 0
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
  if status >= 500 then
    status5xx = status5xx + 1
  end
  -- Set by the public page cache; absent when it is off or not involved.
  local cache = headers["X-Page-Cache"]
  if cache == "hit" then
    cache_hits = cache_hits + 1
  elseif cache == "miss" then
    cache_misses = cache_misses + 1
  end
end

function done(summary, latency, requests)
  local non, five, hits, misses = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    non = non + thread:get("non2xx")
    five = five + thread:get("status5xx")
    hits = hits + thread:get("cache_hits")
    misses = misses + thread:get("cache_misses")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, ' ..
    '"write": %d, "timeout": %d, "non2xx": %d, "status5xx": %d, "cache_hits": %d, ' ..
    '"cache_misses": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.timeout,
    non, five, hits, misses, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max))
end
