-- soak.lua: a long closed-loop run against a server that sometimes misbehaves, to show
-- that loadwright's memory stays put over tens of thousands of requests (bench/soak.sh).
return scenario {
  name = "soak",
  seed = 7,
  dataset = random { input_tokens = 128, output_tokens = 64 },
  arrival = closed { concurrency = 8 },
  duration = "20m",
  request = { ignore_eos = true },
  idle_timeout = "2s",     -- stalled streams end quickly
  allowed_failures = 0.1,  -- the injected faults are expected
}
