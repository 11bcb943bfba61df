-- find-rate.lua: a suite that decides what to run next from what it saw. Double the request
-- rate until p99 TTFT breaks the target, then bisect between the last rate that passed and the
-- first that failed. Every run writes its results as usual (find-rate-RATE.json, …); the search
-- prints its steps and the answer.
--   loadwright run examples/find-rate.lua --emulator-profile spark --emulator-time-scale 0.05
local target_p99_ms = 2000

local function at(rate)
  return scenario {
    name = string.format("find-rate-%.2f", rate),
    dataset = random { input_tokens = 512, output_tokens = 64 },
    arrival = poisson { rate = rate },
    requests = 40,
    warmup = 4,
  }
end

return function(run)
  local function passes(rate)
    local result = run(at(rate))
    local p99 = result.summary.p99_ttft_ms
    print(string.format("rate %.2f/s: p99 TTFT %.1f ms, %s", rate, p99,
                        p99 < target_p99_ms and "passes" or "fails"))
    return p99 < target_p99_ms and result.summary.failed == 0
  end
  local good, bad = nil, nil
  local rate = 0.5
  while rate <= 64 do
    if passes(rate) then good = rate else bad = rate; break end
    rate = rate * 2
  end
  if not good then print("even 0.5 req/s misses the target") return end
  if not bad then print(string.format("passes up to %.1f req/s, the end of the search", good)) return end
  for _ = 1, 3 do   -- three halvings: within 1/8 of the bracket
    local mid = (good + bad) / 2
    if passes(mid) then good = mid else bad = mid end
  end
  print(string.format("highest rate meeting p99 TTFT < %d ms: %.2f req/s (next tried %.2f failed)",
                      target_p99_ms, good, bad))
end
