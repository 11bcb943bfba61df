-- Steady state, workload D:
-- Multi-turn dialog: 5-turn conversations, the history growing with the real replies.
-- The closed-loop steady-state framework (methodology §1): N in flight, fill 30 s (one slot a
-- second), stabilize 60 s, measure 120 s, drain 30 s; the grid of all six is steady/suite.lua.
-- Change N with --set arrival.concurrency=64.
-- Real dialogs instead of book turns: copy this file and add dialogs = "dialogs.json" below (the
-- human turns of conversations in ShareGPT's JSON shape, e.g. converted from OpenAssistant oasst2).
local steady = require "steady_state"
return steady.scenario { workload = "D", batch_size = 32 }
