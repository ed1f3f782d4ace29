-- report.lua plus pacing: `wrk ... -s bench/paced.lua -- RATE CONNECTIONS` makes
-- each connection wait so that together they send about RATE requests per
-- second. wrk has no open-loop mode (wrk2 is not packaged): a slow response
-- delays the next request, so latency under overload is understated.
dofile("bench/report.lua")

local report_init = init

function init(args)
  report_init(args)
  pause = 1000 * tonumber(args[2]) / tonumber(args[1])
end

function delay()
  return math.floor(pause * (0.8 + 0.4 * math.random()))
end
