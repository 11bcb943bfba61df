-- max-under-slo.lua: the highest request rate that still meets the SLO, with a band, and the
-- GPUs 100 req/s would take. A coarse doubling from 0.5 req/s, then bisection to 10 %; every
-- probe is run twice, its requests pooled and each bound bootstrapped, so the answer comes with
-- the range the evidence supports ("2.1 req/s (band 1–2.25 req/s)"); then a sustained run at
-- the answer confirms it, and a capacity plan is computed at the answer and both ends of the
-- band. max-under-slo.find_max.md holds the evidence table.
-- Against the emulator, shaped like a DGX Spark and 20× faster (about half a minute):
--   loadwright run examples/max-under-slo.lua --emulator-profile spark --emulator-time-scale 0.05
return find_max {
  name = "max-under-slo",
  scenario = scenario {
    name = "max-under-slo",
    dataset = random { input_tokens = 512, output_tokens = 64 },
    arrival = poisson { rate = 1 },
    requests = 40,
    warmup = 4,
  },
  slo = { p99_ttft = "1.5s", p99_itl = "400ms" },
  from = 0.5, to = 16, precision = 0.1, repeats = 2,
  confirm = "20s",
  capacity = { target_rate = 100, gpus_per_instance = 1, headroom = 0.2 },
}
