-- wrk script for /track: one hot campaign, or Zipf-distributed clicks (s = 1) over BENCH_N
-- campaigns with ids BENCH_BASE+1 .. BENCH_BASE+BENCH_N; a random platform per click.
-- BENCH_UA=1: no ?platform=, but a realistic User-Agent per click instead (phones and tablets,
-- desktops, about 5% bots and link previews), from some 700 distinct strings.
-- BENCH_DELAY_MS > 0 paces each connection (for a fixed click rate).
-- BENCH_DIMS=1: each click also says where it came from: a Referer from 1,000 hosts, utm_source,
-- utm_medium and utm_campaign, an Accept-Language, and a client address from the file
-- BENCH_ADDRESSES (one per country) in X-Forwarded-For, which the service trusts from loopback.
-- The requests are made in init (4,096 of them, drawn at random), so the client's cost per
-- request stays that of the hot case.
local mode = os.getenv("BENCH_MODE") or "hot"
local n = tonumber(os.getenv("BENCH_N") or "1")
local base = tonumber(os.getenv("BENCH_BASE") or "0")
local hot = os.getenv("BENCH_HOT_ID") or "1"
local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
local with_ua = os.getenv("BENCH_UA") == "1"
local with_dims = os.getenv("BENCH_DIMS") == "1"
local dim_requests = {}
local platforms = { "Android", "IPhone", "WindowsPhone" }
local cdf
local humans, bots = {}, {}

-- Real User-Agent shapes; %d is a build or model number, so the strings vary as in real traffic.
local human_shapes = {
  "Mozilla/5.0 (Linux; Android 14; Pixel %d) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.%d Mobile Safari/537.36",
  "Mozilla/5.0 (Linux; Android 13; SM-S91%dB) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.%d Mobile Safari/537.36",
  "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/13%d.0.0.%d Mobile Safari/537.36",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_%d like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.%d Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_%d like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0.6367.%d Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (iPad; CPU OS 16_%d like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.%d Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/12%d.0.0.%d Safari/537.36",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:12%d.0) Gecko/20100101 Firefox/12%d.0",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_%d) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.%d Safari/605.1.15",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.%d.%d",
}
local bot_agents = {
  "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
  "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
  "Twitterbot/1.0",
  "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
  "WhatsApp/2.23.20.0",
  "TelegramBot (like TwitterBot)",
  "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
  "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
  "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
}

function init(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
  for _, shape in ipairs(human_shapes) do
    for a = 1, 7 do
      for b = 1, 10 do
        humans[#humans + 1] = string.format(shape, a, b * 7)
      end
    end
  end
  bots = bot_agents
  if with_dims then
    local addresses = {}
    for line in io.lines(os.getenv("BENCH_ADDRESSES")) do addresses[#addresses + 1] = line end
    local sources = { "newsletter", "google", "facebook", "twitter", "partner-a", "partner-b" }
    local mediums = { "email", "cpc", "social", "referral" }
    local languages = { "de-AT,de;q=0.9,en;q=0.8", "en-US,en;q=0.9", "fr-FR,fr;q=0.9", "es", "it-IT", "pt-BR,pt;q=0.9",
      "sl-SI,sl;q=0.9,en;q=0.5", "ja", "zh-CN,zh;q=0.9", "pl", "nl-NL", "sv-SE" }
    for i = 1, 4096 do
      local query = string.format("?platform=%s&utm_source=%s&utm_medium=%s&utm_campaign=spring-%d",
        platforms[math.random(3)], sources[math.random(#sources)], mediums[math.random(#mediums)], math.random(50))
      dim_requests[i] = wrk.format("GET", "/track/" .. hot .. query, {
        ["Referer"] = string.format("https://site%d.example.com/articles/%d", math.random(1000), math.random(100000)),
        ["Accept-Language"] = languages[math.random(#languages)],
        ["X-Forwarded-For"] = addresses[math.random(#addresses)],
      })
    end
  end
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
  if with_dims then
    return dim_requests[math.random(#dim_requests)]
  end
  local id = hot
  if mode == "zipf" then
    id = string.format("%d", base + zipf_rank())
  end
  if with_ua then
    local agent
    if math.random() < 0.05 then agent = bots[math.random(#bots)] else agent = humans[math.random(#humans)] end
    return wrk.format("GET", "/track/" .. id, { ["User-Agent"] = agent })
  end
  return wrk.format("GET", "/track/" .. id .. "?platform=" .. platforms[math.random(3)])
end

if delay_ms > 0 then
  function delay()
    return delay_ms
  end
end

-- The RESULT line bench/run reads (bench/run runs wrk from the repository's root).
dofile("bench/result.lua")
