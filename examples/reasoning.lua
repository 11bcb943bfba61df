-- reasoning.lua: long chain-of-thought answers (4000 tokens) arriving while others still decode.
-- A reasoning model thinks for thousands of tokens before it answers, so every request holds
-- a decode slot for minutes and new arrivals join an ever larger batch. Two questions: does
-- the TTFT of new requests stay low while the batch is busy (the SLO below), and what decode
-- rate does each user get (per-user tok/s, 1000 / TPOT)? The answers' text counts as output
-- whether it streams as `content` or as `reasoning_content`.
-- Against the emulator, shaped like a DGX Spark and 20× faster:
--   loadwright run examples/reasoning.lua --emulator-profile spark --emulator-time-scale 0.05
return scenario {
  name    = "reasoning",
  dataset = random { input_tokens = 1000, output_tokens = 4000 },
  arrival = poisson { rate = 0.2 },   -- one new question every 5 s on average
  requests = 40,
  request = { ignore_eos = true },    -- think to the end: the output length is the workload
  timeout = "30m",
  slo     = { ttft = "2s", goodput = 0.9 },
}
