-- vllm_bench.lua: `vllm bench serve`'s methodology as a building block (require "vllm_bench").
--
-- vllm_bench.serve { … } takes vllm bench serve's flags as fields (dashes become underscores)
-- and returns one scenario that sends what vLLM would send and reports what vLLM reports:
--   * arrivals: gamma gaps of shape `burstiness` and mean 1/request_rate, drawn from numpy's
--     legacy MT19937 seeded with `seed`, one draw per request, the first request waiting too,
--     the schedule scaled so the last arrival lands at num_prompts / request_rate: the same
--     send offsets as vLLM's for the same seed (request_rate = math.huge sends all at once);
--   * max_concurrency: a FIFO cap; the wait is recorded (client_queue_time), not hidden;
--   * datasets: random (vLLM's RandomDataset: exact token counts with the model's tokenizer,
--     ignore_eos on) or sharegpt (first turn as the prompt, the reply's length as max tokens,
--     vLLM's filters);
--   * results: vLLM's "Serving Benchmark Result" block per run, and its --save-result JSON
--     (one object per run on its own line, "\n" between them and none after the last, as
--     --append-result writes), beside loadwright's own. TTFT there is vLLM's (the first event
--     with choices, our TTFR), ITL is per event. Without a tokenizer (tokenizer_id null)
--     vLLM leaves out the token rows (generated tokens, token throughputs, TTFT, TPOT, ITL);
--     client_queue_time needs max_concurrency, e2el_including_client_queue max_concurrency
--     and a finite request_rate.
-- The formats are those of vLLM's vllm/benchmarks/serve.py (main, commit 009e6d4a).
--
-- Fields (vllm bench serve's default in brackets):
--   name                  names the result files (required)
--   backend               "openai-chat" | "openai" | "vllm" [openai]
--   dataset_name          "random" | "sharegpt" [random]
--   random_input_len, random_output_len, random_range_ratio, random_prefix_len [1024, 128, 0, 0]
--   dataset_path, sharegpt_output_len, disable_shuffle   (sharegpt)
--   num_prompts [1000], request_rate [math.huge], burstiness [1.0], max_concurrency [none]
--   ramp_up_strategy ("linear" | "exponential"), ramp_up_start_rps, ramp_up_end_rps: request i
--                         draws its gap at its own rate, as vLLM's --ramp-up-* (no request_rate)
--   seed [0], num_warmups [0], ignore_eos, temperature, top_p, top_k, min_p,
--   frequency_penalty, presence_penalty, repetition_penalty, extra_body
--   percentile_metrics ["ttft,tpot,itl"], metric_percentiles ["99"]
--   goodput               { ttft = "2s", tpot = "100ms", e2el = … } [none]
--   label, save_detailed, metadata { K = V }, result_filename
--   runs                  loadwright: repeat the whole run N times (Arena: 3) [1]
--   arena                 a row name for the Arena table

local M = {}

local function split(s)
  if type(s) == "table" then return s end
  local out = {}
  for part in string.gmatch(tostring(s), "[^,%s]+") do out[#out + 1] = part end
  return out
end

function M.serve(o)
  if type(o) ~= "table" or type(o.name) ~= "string" then
    error("vllm_bench.serve { name = \"…\", … }: name is required", 2)
  end
  if o.ramp_up_strategy ~= nil and o.request_rate ~= nil and o.request_rate ~= math.huge then
    error("vllm_bench.serve: ramp_up_strategy needs request_rate left unset (vLLM keeps it at inf)", 2)
  end
  local backend = o.backend or "openai"
  local dataset_name = o.dataset_name or "random"
  local dataset
  if dataset_name == "random" then
    dataset = random {
      input_tokens = o.random_input_len or o.input_len or 1024,
      output_tokens = o.random_output_len or o.output_len or 128,
      range_ratio = o.random_range_ratio or 0,
      prefix_tokens = o.random_prefix_len or 0,
    }
  elseif dataset_name == "sharegpt" then
    dataset = sharegpt {
      path = o.dataset_path or "ShareGPT_V3_unfiltered_cleaned_split.json",
      output_tokens = o.sharegpt_output_len or o.output_len,
      shuffle = not o.disable_shuffle,
    }
  else
    error("vllm_bench.serve: dataset_name must be \"random\" or \"sharegpt\", got "
          .. tostring(dataset_name), 2)
  end

  local body = {}
  for _, k in ipairs { "top_p", "top_k", "min_p", "frequency_penalty", "presence_penalty",
                       "repetition_penalty" } do
    if o[k] ~= nil then body[k] = o[k] end
  end
  for k, v in pairs(o.extra_body or {}) do body[k] = v end

  local percentiles = {}
  for i, p in ipairs(split(o.metric_percentiles or "99")) do percentiles[i] = tonumber(p) end

  return scenario {
    name = o.name,
    description = o.description,
    seed = o.seed or 0,
    dataset = dataset,
    arrival = poisson {
      rate = o.ramp_up_strategy == nil and (o.request_rate or math.huge) or nil,
      burstiness = o.burstiness or 1.0,
      normalize = o.ramp_up_strategy == nil,
      ramp_up = o.ramp_up_strategy,
      ramp_from = o.ramp_up_start_rps,
      ramp_to = o.ramp_up_end_rps,
    },
    requests = o.num_prompts or 1000,
    max_concurrency = o.max_concurrency,
    warmup = o.num_warmups or 0,
    runs = o.runs or 1,
    timeout = o.timeout or "6h",  -- aiohttp's total timeout in vLLM
    request = {
      api = backend == "openai-chat" and "chat" or "completions",
      ignore_eos = o.ignore_eos,
      temperature = o.temperature,
      body = body,
      style = "vllm",   -- vLLM's body shape: content parts, max_completion_tokens, key order
    },
    slo = o.goodput,
    sinks = o.sinks,
    skip_without_data = o.skip_without_data,
    percentiles = { 50, 90, 95, 99 },
    vllm_bench = {
      label = o.label,
      backend = backend,
      result_filename = o.result_filename,
      save_detailed = o.save_detailed,
      metadata = o.metadata,
      percentile_metrics = split(o.percentile_metrics or "ttft,tpot,itl"),
      metric_percentiles = percentiles,
    },
    arena = o.arena and { benchmark = o.arena, headline = "output_throughput" } or nil,
    tokenizer = o.tokenizer,
  }
end

return M
