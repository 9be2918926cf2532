-- wrk script for /postback: each connection reports conversions of signed click ids collected
-- beforehand (bench/run makes the clicks and keeps the ids their redirects carried, one a line,
-- in BENCH_IDS). Each wrk thread takes its own share of lines BENCH_FROM .. BENCH_FROM+BENCH_COUNT-1
-- and posts each id once, in order (half of them with revenue); BENCH_DUP_SHARE of the postbacks
-- (0.1 unless set) resend an id this thread posted before instead, as a partner's retries do. A
-- thread that has posted all its ids sends only such retries from then on (counted in `exhausted`).
-- The key (postback scope) goes in X-Api-Key. BENCH_THREADS: wrk's -t.
local ids_file = os.getenv("BENCH_IDS")
local from = tonumber(os.getenv("BENCH_FROM") or "1")
local count = tonumber(os.getenv("BENCH_COUNT") or "0")
local key = os.getenv("BENCH_KEY")
local dup_share = tonumber(os.getenv("BENCH_DUP_SHARE") or "0.1")
local thread_count = tonumber(os.getenv("BENCH_THREADS") or "2")

local threads = {}
local next_index = 0
function setup(thread)
  thread:set("index", next_index)
  next_index = next_index + 1
  threads[#threads + 1] = thread
end

local ids = {}
local pos = 0
-- Read by done() through thread:get, so globals of each thread's state.
fresh = 0
retries = 0
exhausted = 0

function init(args)
  math.randomseed(os.time() + index * 7919 + math.floor(os.clock() * 1000000))
  local share = math.floor(count / thread_count)
  local first = from + index * share
  local last = first + share - 1
  local line = 0
  for id in io.lines(ids_file) do
    line = line + 1
    if line > last then break end
    if line >= first then ids[#ids + 1] = id end
  end
end

function request()
  local id, n
  if pos > 0 and (pos >= #ids or math.random() < dup_share) then
    n = math.random(pos)
    id = ids[n]
    retries = retries + 1
    if pos >= #ids then exhausted = exhausted + 1 end
  else
    pos = pos + 1
    n = pos
    id = ids[pos]
    fresh = fresh + 1
  end
  local query = "/postback?click_id=" .. id .. "&event=install"
  if n % 2 == 0 then query = query .. "&revenue=1.25&currency=EUR" end
  return wrk.format("GET", query, { ["X-Api-Key"] = key })
end

dofile("bench/result.lua")
local result_done = done
function done(summary, latency, requests)
  result_done(summary, latency, requests)
  local f, r, e = 0, 0, 0
  for _, thread in ipairs(threads) do
    f = f + thread:get("fresh"); r = r + thread:get("retries"); e = e + thread:get("exhausted")
  end
  io.write(string.format("POSTBACKS fresh=%d retries=%d exhausted=%d\n", f, r, e))
end
