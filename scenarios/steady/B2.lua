-- Steady state, workload B2 — diverse long: ~2,500-token prompts, all different (no caching:
-- the stress test).
-- The closed-loop steady-state framework (methodology §1): N in flight, fill 30 s (one slot a
-- second), stabilize 60 s, measure 120 s, drain 30 s; the grid of all six is steady/suite.lua.
-- Change N with --set arrival.concurrency=64.
-- LongBench-v2 documents instead of book slices, as the framework sends: copy this file and add
-- longbench = "longbench_v2.jsonl" below (one JSON object a line, the text in "context"; each
-- document is cut to its first 2,500 tokens, by the run's tokenizer).
local steady = require "steady_state"
return steady.scenario { workload = "B2", batch_size = 32 }
