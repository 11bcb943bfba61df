-- Arena 07 Real conversations (ShareGPT V3) at 0.3 req/s, burstiness 0.7 (vLLM).
-- Real conversation lengths (short, long, code, prose; about 228 tokens a turn on average),
-- not a synthetic distribution: first human turn as the prompt, the recorded reply's length
-- as max tokens, vLLM's filters (prompt 4–1024 tokens, prompt + reply at most 2048).
-- Same as: vllm bench serve --backend openai-chat --dataset-name sharegpt --dataset-path
--   ShareGPT_V3_unfiltered_cleaned_split.json --request-rate 0.3 --burstiness 0.7
--   --num-prompts 250 --seed 42
-- The file (642 MB, from the Hugging Face dataset anon8231489123/ShareGPT_Vicuna_unfiltered)
-- is looked for in the folder of the file you run, then in ~/.cache/loadwright/datasets/; or pass
-- --set dataset.path=/path/to/it. Without it, the suite skips this row and says so.
local arena = require "arena_suite"
return arena.open_loop {
  benchmark = "07 ShareGPT",
  name = "arena-07-sharegpt",
  dataset_name = "sharegpt", dataset_path = "ShareGPT_V3_unfiltered_cleaned_split.json",
  request_rate = 0.3, burstiness = 0.7, num_prompts = 250,
  skip_without_data = true,
}
