-- Arena 01 Chat: 1024-token prompts, 1024-token answers, 10 at once (llama-benchy).
-- Short prompt, long answer: "does it feel snappy?" Little prefill, long decode, so tokens/s
-- is the decode rate of ten sequences batched together and TTFT stays in the hundreds of ms.
-- Same as: llama-benchy --pp 1024 --tg 1024 --depth 0 --concurrency 10 --runs 3
-- arrival = "batch" is what llama-benchy does (fire 10, wait for all, repeat) and what its
-- published numbers mean; "closed" (a finished request is replaced at once) is the steadier
-- reading the Arena's prose describes.
local arena = require "arena_suite"
return arena.closed_loop {
  benchmark = "01 Chat",
  name = "arena-01-chat",
  pp = 1024, tg = 1024, depth = 0, concurrency = 10,
  arrival = "batch",
}
