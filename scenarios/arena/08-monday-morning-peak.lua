-- Arena 08 Monday-morning peak: 4000 in / 500 out at 1.5 req/s, Poisson, at most 25 in flight (vLLM).
-- Everybody logs in at once: five times the baseline's rate. Does the queue grow? Watch TTFT
-- p95/p99 and the peak concurrency; with the cap at 25 the client-side wait is recorded
-- (client_queue_time) rather than hidden in the latency.
-- Same as: vllm bench serve --backend openai-chat --dataset-name random --random-input-len 4000
--   --random-output-len 500 --request-rate 1.5 --burstiness 1.0 --num-prompts 300
--   --max-concurrency 25 --seed 42
local arena = require "arena_suite"
return arena.open_loop {
  benchmark = "08 Monday-morning peak",
  name = "arena-08-monday-morning-peak",
  dataset_name = "random", random_input_len = 4000, random_output_len = 500,
  request_rate = 1.5, burstiness = 1.0, num_prompts = 300, max_concurrency = 25,
  percentile_metrics = "ttft,tpot,itl,client_queue_time",
  metric_percentiles = "95,99",
}
