-- Steady state, workload B1:
-- Diverse short: ~50-token prompts, all different (no caching: raw throughput).
-- The closed-loop steady-state framework (methodology §1): N in flight, fill 30 s (one slot a
-- second), stabilize 60 s, measure 120 s, drain 30 s; the grid of all six is steady/suite.lua.
-- Change N with --set arrival.concurrency=64.
local steady = require "steady_state"
return steady.scenario { workload = "B1", batch_size = 32 }
