-- monday-morning.lua: a quiet start, a burst at nine, then a long tail (stages of Poisson arrivals).
-- The real thing lasts ten minutes; against the emulator try:
--   loadwright run examples/monday-morning.lua --set arrival.1.duration=10s --set arrival.2.duration=20s --set arrival.3.duration=10s
return scenario {
  name    = "monday-morning",
  seed    = 42,
  dataset = random { input_tokens = 4000, output_tokens = 500 },
  arrival = stages {
    { poisson { rate = 0.3, burstiness = 0.7 }, duration = "2m" },
    { poisson { rate = 1.5, burstiness = 1.0 }, duration = "5m" },
    { poisson { rate = 0.5 },                  duration = "3m" },
  },
  max_concurrency = 25,
  request = { ignore_eos = true, temperature = 0 },
  slo     = { ttft = "2s", tpot = "100ms" },
}
