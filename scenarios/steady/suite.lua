-- The steady-state framework's grid (methodology §1): six workloads × eight batch sizes, each
-- cell fill 30 s (or one slot a second up to N), stabilize 60 s, measure 120 s, drain up to
-- 30 s: about 4 hours against one server (`--dry-run` prints the total). One report:
-- steady.steady.md / .csv (every cell, and the difficulty matrix against A1). For a quick look
-- against the emulator: --emulator-time-scale 0.01.
local steady = require "steady_state"
return steady.suite {
  name = "steady",
  scenarios = { "A1", "A2", "B1", "B2", "C", "D" },
  batch_sizes = { 1, 2, 8, 16, 32, 64, 128, 256 },
  measure = "120s",
  stabilize = "60s",
  max_tokens = 512,
}
