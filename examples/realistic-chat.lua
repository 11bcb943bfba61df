-- realistic-chat.lua: the methodology chapter's protocol in one file. Chat-shaped lengths
-- (lognormal, the chapter's "chat" preset), 50 warm-up requests, open-loop Poisson arrivals
-- at several rates, a minute at each, the hardware named in every summary, and the tail
-- report (p99.9 of every series with at least 1000 values, and the tail ratio p99/p50 of TTFT
-- and ITL). `loadwright validate` lists the chapter's checks a file fails: here only that a
-- minute at 5 and 10 req/s holds fewer than 1000 requests, too few for a TTFT p99.9 (ITL, with
-- hundreds of gaps per request, gets its p99.9 at every rate).
-- The points form one throughput-latency curve (realistic-chat.curve.md / .curve.csv).
--   loadwright run examples/realistic-chat.lua --emulator-time-scale 0.1   (about 20 s)
--   loadwright run examples/realistic-chat.lua --base-url http://gpu-box:8000/v1
local rates = { 5, 10, 20 }

-- Say what it runs on: written under "context" in every NAME.json, beside what the server
-- reports about itself (its model id and version). Against the emulator, say so.
local context = {
  gpu = "none (the built-in emulator)", gpus = 1, quantization = "none",
  engine = "loadwright emulator",
}

local suite = {}
for _, rate in ipairs(rates) do
  suite[#suite + 1] = scenario {
    name = "realistic-chat-" .. rate,
    seed = 42,
    -- prompts lognormal(median 500, sigma 0.8) clipped to 50..4000 tokens, replies
    -- lognormal(median 200) clipped to 10..2000: random { workload = "chat" } is short for
    --   input_tokens  = lognormal { median = 500, sigma = 0.8, min = 50, max = 4000 },
    --   output_tokens = lognormal { median = 200, sigma = 0.8, min = 10, max = 2000 },
    dataset = random { workload = "chat" },
    arrival = poisson { rate = rate },
    duration = "60s",
    warmup = 50,
    context = context,
    slo = { ttft = "2s", tpot = "100ms" },
    curve = { report = "realistic-chat", point = rate .. " req/s" },
  }
end
return suite
