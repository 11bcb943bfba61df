-- Arena 06 Realistic office baseline: 4000 in / 500 out at 0.3 req/s, burstiness 0.7 (vLLM).
-- A quiet office: a few people at once, average lengths, arrivals a little burstier than
-- Poisson (gamma gaps, CV 1.2). The baseline for every open-loop test: TTFT p50/p95 and the
-- tokens/s each user sees. 200 prompts, so a run lasts about 200 / 0.3 = 11 minutes.
-- Same as: vllm bench serve --backend openai-chat --dataset-name random --random-input-len 4000
--   --random-output-len 500 --request-rate 0.3 --burstiness 0.7 --num-prompts 200 --seed 42
-- (the send times are vLLM's own for seed 42: see vllm_bench.lua).
local arena = require "arena_suite"
return arena.open_loop {
  benchmark = "06 Office baseline",
  name = "arena-06-office-baseline",
  dataset_name = "random", random_input_len = 4000, random_output_len = 500,
  request_rate = 0.3, burstiness = 0.7, num_prompts = 200,
}
