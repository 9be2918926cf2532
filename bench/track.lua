-- wrk script for /track: one hot campaign, or Zipf-distributed clicks (s = 1) over BENCH_N
-- campaigns with ids BENCH_BASE+1 .. BENCH_BASE+BENCH_N; a random platform per click.
-- BENCH_DELAY_MS > 0 paces each connection (for a fixed click rate).
local mode = os.getenv("BENCH_MODE") or "hot"
local n = tonumber(os.getenv("BENCH_N") or "1")
local base = tonumber(os.getenv("BENCH_BASE") or "0")
local hot = os.getenv("BENCH_HOT_ID") or "1"
local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
local platforms = { "Android", "IPhone", "WindowsPhone" }
local cdf

function init(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
  if mode == "zipf" then
    cdf = {}
    local sum = 0
    for k = 1, n do
      sum = sum + 1 / k
      cdf[k] = sum
    end
    for k = 1, n do
      cdf[k] = cdf[k] / sum
    end
  end
end

local function zipf_rank()
  local u = math.random()
  local lo, hi = 1, n
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if cdf[mid] < u then lo = mid + 1 else hi = mid end
  end
  return lo
end

function request()
  local id = hot
  if mode == "zipf" then
    id = string.format("%d", base + zipf_rank())
  end
  return wrk.format("GET", "/track/" .. id .. "?platform=" .. platforms[math.random(3)])
end

if delay_ms > 0 then
  function delay()
    return delay_ms
  end
end

function done(summary, latency, requests)
  io.write(string.format(
    "RESULT requests=%d duration_us=%d errors=%d non3xx=%d p50_us=%d p99_us=%d p999_us=%d\n",
    summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50), latency:percentile(99), latency:percentile(99.9)))
end
