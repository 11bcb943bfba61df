-- knee.lua: where does the server saturate? One open-loop run per rate, each with its warm-up,
-- stopping at the first rate whose p99 TTFT passes 2 s or that is clearly saturated (p99 TTFT
-- over 10 s, under 90 % of the asked rate achieved, errors). The reason is printed; the curve
-- (p50/p90/p99 of TTFT, TPOT, ITL, E2EL, achieved rate, output tokens/s, verdict) goes to
-- knee.curve.md / .curve.csv and every load's verdict to knee.sweep.json.
-- Against the emulator, shaped like a DGX Spark and 20× faster (a few seconds):
--   loadwright run examples/knee.lua --emulator-profile spark --emulator-time-scale 0.05
-- On a real server, measure each rate for a minute: --set duration=60s --set warmup=50
return sweep {
  name = "knee",
  scenario = scenario {
    name = "knee",
    dataset = random { input_tokens = 512, output_tokens = 64 },
    arrival = poisson { rate = 1 },
    requests = 40,
    warmup = 4,
  },
  rates = { 0.5, 1, 2, 4, 8, 16 },
  slo = { p99_ttft = "2s" },
}
