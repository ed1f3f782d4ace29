-- Collects non-2xx responses per thread and prints one JSON line at the end,
-- with the percentiles wrk's own summary leaves out (p95).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
  status5xx = 0
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
  if status >= 500 then
    status5xx = status5xx + 1
  end
end

function done(summary, latency, requests)
  local non, five = 0, 0
  for _, thread in ipairs(threads) do
    non = non + thread:get("non2xx")
    five = five + thread:get("status5xx")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, ' ..
    '"write": %d, "timeout": %d, "non2xx": %d, "status5xx": %d, "p50_us": %d, "p95_us": %d, ' ..
    '"p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.timeout,
    non, five, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max))
end
