-- arena.lua: the whole Arena suite (nine benchmarks, row 05 in both readings) and its table.
-- Runs every file of scenarios/arena/ in order and prints one row per benchmark: tokens/s
-- (mean ± std of 3 runs), TTFT p50 (p95/p99 for the open-loop rows), per-user tokens/s,
-- failed requests and the CV% of the headline number. Each row's own report is in the output
-- folder too: llama-benchy's table, JSON and CSV for 01–05, vllm bench serve's JSON for 06–09.
-- Against the built-in emulator, shaped like the Arena's machine and 50× faster:
--   loadwright run arena --emulator-profile spark --emulator-time-scale 0.02
-- Row 07 needs ShareGPT_V3_unfiltered_cleaned_split.json (see arena/07-sharegpt.lua); without
-- it the row is skipped and the rest still runs.
local arena = require "arena_suite"
return arena.suite {
  "01-chat",
  "02-rag-8k",
  "03-long-output",
  "04-large-context-25k",
  "05-multi-turn-depth4",
  "05-multi-turn-conversation",
  "06-office-baseline",
  "07-sharegpt",
  "08-monday-morning-peak",
  "09-reasoning",
}
