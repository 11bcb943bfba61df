-- Arena 03 Long output / agents: 256-token prompts, 4096-token answers, 10 at once (llama-benchy).
-- Code generation, JSON reports, agent traces: almost no prefill, so tokens/s is pure decode
-- throughput at batch 10, and the run is long (4096 decode steps per batch).
-- Same as: llama-benchy --pp 256 --tg 4096 --depth 0 --concurrency 10 --runs 3
-- arrival = "batch" reproduces llama-benchy; "closed" is the steadier reading.
local arena = require "arena_suite"
return arena.closed_loop {
  benchmark = "03 Long output",
  name = "arena-03-long-output",
  pp = 256, tg = 4096, depth = 0, concurrency = 10,
  arrival = "batch",
}
