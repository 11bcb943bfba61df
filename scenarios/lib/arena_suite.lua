-- arena_suite.lua: what the Arena scenarios share (require "arena_suite").
-- The Arena's published method (reference/arena-suite.md): seed 42, 3 runs per number reported
-- as mean ± std, a warm-up before measuring, no prefix-caching tricks on the client, no latency
-- gate. Closed-loop rows are llama-benchy runs, open-loop rows vllm bench serve runs; each row
-- also feeds the Arena table printed after the suite (arena-table.md in the output folder).

local llama_benchy = require "llama_benchy"
local vllm_bench = require "vllm_bench"

local M = { seed = 42, runs = 3 }

local function with_defaults(o)
  local t = {}
  for k, v in pairs(o) do t[k] = v end
  t.seed = t.seed or M.seed
  t.runs = t.runs or M.runs
  t.arena = t.benchmark
  t.benchmark = nil
  return t
end

-- A llama-benchy row: one cell of pp × tg × depth × concurrency (a list of one scenario).
function M.closed_loop(o)
  return llama_benchy.sweep(with_defaults(o))
end

-- A vllm bench serve row, with vLLM's chat backend and a one-request warm-up.
function M.open_loop(o)
  local t = with_defaults(o)
  t.backend = t.backend or "openai-chat"
  t.num_warmups = t.num_warmups or 1
  return vllm_bench.serve(t)
end

-- The suite: the named files of scenarios/arena/, in order, as one list of scenarios.
function M.suite(names)
  local all = {}
  for _, name in ipairs(names) do
    local s = require("arena." .. name)
    if s.__kind == "scenario" then
      all[#all + 1] = s
    else
      for _, x in ipairs(s) do all[#all + 1] = x end
    end
  end
  return all
end

return M
