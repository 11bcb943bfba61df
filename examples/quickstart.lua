-- quickstart.lua: a short closed-loop run that finishes in seconds against the emulator.
-- Try: loadwright run examples/quickstart.lua   (then look in results/)
return scenario {
  name    = "quickstart",
  seed    = 42,
  dataset = random { input_tokens = 256, output_tokens = 64 },
  arrival = closed { concurrency = 4 },
  requests = 40,
  warmup  = 4,
  slo     = { ttft = "500ms", tpot = "50ms" },
}
