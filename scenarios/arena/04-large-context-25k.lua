-- Arena 04 Large context 25k: 25000-token prompts, 256-token answers, 10 at once (llama-benchy).
-- Where the prefill wall sits: ten 25k prompts arriving together are 250k tokens to prefill,
-- so TTFT jumps from hundreds of ms to many seconds while decode tokens/s barely moves.
-- Same as: llama-benchy --pp 25000 --tg 256 --depth 0 --concurrency 10 --runs 3
-- arrival = "batch" reproduces llama-benchy; "closed" is the steadier reading.
local arena = require "arena_suite"
return arena.closed_loop {
  benchmark = "04 Large context 25k",
  name = "arena-04-large-context-25k",
  pp = 25000, tg = 256, depth = 0, concurrency = 10,
  arrival = "batch",
}
