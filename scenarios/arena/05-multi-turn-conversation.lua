-- Arena 05 Multi-turn, as the description means: ten five-turn conversations in parallel.
-- Office work: each conversation sends 5 turns, every turn carrying the whole history with
-- the server's real replies, so the context grows by ~2.5k tokens a turn (2048 new prompt
-- tokens + the 512-token reply). With a working prefix cache only the new tokens are
-- prefilled and TTFT stays flat across turns; without one it climbs turn by turn.
-- Not comparable with the board's 05 numbers (that is 05-multi-turn-depth4.lua); the headline
-- is output tokens/s over all turns, closed loop: a finished conversation is replaced at once.
local arena = require "arena_suite"
return scenario {
  name = "arena-05-multi-turn-conversation",
  seed = arena.seed,
  dataset = conversations {
    turns = 5,
    prompt_tokens = 2048,     -- the first question
    followup_tokens = 2048,   -- each later question: new tokens per turn, as pp = 2048
    output_tokens = 512,
  },
  arrival = closed { concurrency = 10 },
  requests = 10,              -- conversations per run (50 requests)
  runs = arena.runs,
  warmup = 10,
  fresh_prompts = true,
  timeout = "1h",
  percentiles = { 50, 95, 99 },
  arena = { benchmark = "05 Multi-turn (5 turns)", headline = "output_throughput" },
}
