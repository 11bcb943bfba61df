-- Steady state, workload C:
-- RAG / agent: a ~2,000-token system prompt shared by all + a ~50-token question.
-- The closed-loop steady-state framework (methodology §1): N in flight, fill 30 s (one slot a
-- second), stabilize 60 s, measure 120 s, drain 30 s; the grid of all six is steady/suite.lua.
-- Change N with --set arrival.concurrency=64.
local steady = require "steady_state"
return steady.scenario { workload = "C", batch_size = 32 }
