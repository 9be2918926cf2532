-- wrk script for the flood case (bench/run, "flood"): two roles.
-- BENCH_ROLE=steady: the hot campaign (BENCH_HOT_ID) with one known User-Agent, each connection
--   paced by BENCH_DELAY_MS: a real visitor whose verdict and campaign are cached.
-- BENCH_ROLE=flood: as fast as it can, alternately the hot campaign with a fresh random User-Agent
--   per request (a parse each, since no verdict is cached) and a random made-up campaign id (a
--   lookup each: memcached, then PostgreSQL, since no id repeats).
--   BENCH_FLOOD_IDS_ONLY=1: made-up ids only. BENCH_FLOOD_CONTROL=1: the steady client's own request
--   (cached User-Agent, hot campaign) as fast as it can, to tell the cost of a request from the
--   cost of what a made-up one makes the service do.
local role = os.getenv("BENCH_ROLE") or "steady"
local hot = os.getenv("BENCH_HOT_ID") or "1"
local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
local known = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36"
local shapes = {
  "Mozilla/5.0 (Linux; Android %d; %s) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.%d.%d Mobile Safari/537.36",
  "Mozilla/5.0 (iPhone; CPU iPhone OS %d_%s like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/%d.%d Mobile/%dE148 Safari/604.1",
  "%d-%s/%d.%d.%d (compatible; crawler)",
}
local n = 0

function init(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1000000) + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0) % 100000)
end

local function word()
  local t = {}
  for i = 1, math.random(4, 12) do t[i] = string.char(math.random(97, 122)) end
  return table.concat(t)
end

function request()
  if role == "steady" then
    return wrk.format("GET", "/track/" .. hot, { ["User-Agent"] = known })
  end
  n = n + 1
  if os.getenv("BENCH_FLOOD_CONTROL") == "1" then
    return wrk.format("GET", "/track/" .. hot, { ["User-Agent"] = known })
  end
  if os.getenv("BENCH_FLOOD_IDS_ONLY") == "1" or n % 2 == 0 then
    -- 13 digits from 3 * 10^12 up: no campaign of the benchmark has such an id.
    local id = string.format("%d%09d", math.random(3000, 9999), math.random(0, 999999999))
    return wrk.format("GET", "/track/" .. id .. "?platform=Android")
  end
  local agent = string.format(shapes[math.random(#shapes)], math.random(5, 99), word(), math.random(10, 999),
    math.random(0, 9999), math.random(0, 999))
  return wrk.format("GET", "/track/" .. hot, { ["User-Agent"] = agent })
end

if delay_ms > 0 then
  function delay()
    return delay_ms
  end
end

-- The RESULT line bench/run reads (bench/run runs wrk from the repository's root).
dofile("bench/result.lua")
