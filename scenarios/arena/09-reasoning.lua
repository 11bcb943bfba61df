-- Arena 09 Reasoning workload: 1000 in / 4000 out at 0.2 req/s, Poisson (vLLM).
-- Long chain-of-thought outputs eat the decode budget: every request decodes for minutes, so
-- new arrivals join a growing batch. Do long-running requests block the TTFT of new ones?
-- TTFT p50 and sustained output tokens/s are the numbers to read.
-- Same as: vllm bench serve --backend openai-chat --dataset-name random --random-input-len 1000
--   --random-output-len 4000 --request-rate 0.2 --burstiness 1.0 --num-prompts 50 --seed 42
local arena = require "arena_suite"
return arena.open_loop {
  benchmark = "09 Reasoning",
  name = "arena-09-reasoning",
  dataset_name = "random", random_input_len = 1000, random_output_len = 4000,
  request_rate = 0.2, burstiness = 1.0, num_prompts = 50,
}
