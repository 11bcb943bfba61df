-- Arena 05 Multi-turn, as the command reads: --depth 4 is 4 tokens of context (llama-benchy).
-- This is the Arena's published command exactly, for numbers comparable with the board:
-- llama-benchy's --depth counts context *tokens*, so each request is a 4-token system message
-- plus a 2048-token prompt and a 512-token answer, ten at once. It is not five turns of a
-- conversation; 05-multi-turn-conversation.lua is the reading the description means.
-- Same as: llama-benchy --pp 2048 --tg 512 --depth 4 --concurrency 10 --runs 3
local arena = require "arena_suite"
return arena.closed_loop {
  benchmark = "05 Multi-turn (depth 4)",
  name = "arena-05-multi-turn-depth4",
  pp = 2048, tg = 512, depth = 4, concurrency = 10,
  arrival = "batch",
}
