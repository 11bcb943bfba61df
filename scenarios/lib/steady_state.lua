-- steady_state.lua: the closed-loop steady-state framework (AIInferenceBenchmark,
-- reference/methodology.md §1) as a building block (require "steady_state").
--
-- N slots each send their next request the moment the last one ends, so the server always has
-- N in flight ("batch size" N), over one timeline: fill (one slot more per second up to N),
-- stabilize (full load, not measured), measure (every figure comes from it), drain (nothing
-- new; what is still in flight at its end is cancelled). See docs/dsl.md, "Steady state".
--
-- The six workloads, from the datasets loadwright has:
--   A1 same short     ~50-token prompt, identical for every request (one Gutenberg slice)
--   A2 same long      ~2,500-token prompt, identical for every request
--   B1 diverse short  ~50-token prompts, all different (random Gutenberg slices)
--   B2 diverse long   ~2,500-token prompts, all different (Gutenberg slices, or LongBench-v2
--                     documents from a local JSONL: longbench = "file.jsonl", field "context",
--                     each cut to its first 2,500 tokens)
--   C  RAG / agent    one ~2,000-token system prompt shared by all + a ~50-token question
--   D  multi-turn     5-turn conversations, each turn carrying the whole history with the
--                     server's real replies (book turns, or dialogs = "file.json" in ShareGPT's
--                     shape, or oasst = "…trees.jsonl" from OpenAssistant oasst2: the human
--                     turns of real conversations)
--
-- steady_state.scenario { workload = "A1", batch_size = 32, … } is one cell (a scenario);
-- steady_state.suite { scenarios = { "A1", … }, batch_sizes = { 1, 2, 8, … }, … } expands the
-- grid, workload by workload, batch size by batch size, every cell of it writing into one
-- report: NAME.steady.md and NAME.steady.csv (a table of every cell and the difficulty matrix:
-- each workload's server throughput against A1's at the same N).
--
-- Fields (the framework's defaults):
--   name          the report's name and the prefix of every cell's name ["steady"]
--   scenarios     workload ids [all six]; workload = one id for steady_state.scenario
--   batch_sizes   [{ 1, 2, 8, 16, 32, 64, 128, 256 }]; batch_size = one N for .scenario
--   fill, stabilize, measure, drain, fill_interval   ["30s", "60s", "120s", "30s", "1s"]
--   max_tokens    output tokens asked of every request [512]
--   seed          [42]
--   longbench     B2's documents (JSONL, one object a line, text in "context"; each document
--                 is cut to its first 2,500 tokens)
--   dialogs       D's conversations (ShareGPT's JSON shape)
--   oasst         D's conversations from OpenAssistant oasst2 (its *.trees.jsonl, unzipped):
--                 the prompter's turns along each tree's best-ranked replies
--   context       the report context (gpu, model, engine, …) of every cell
--   targets       several engines: { vllm = "http://…/v1", sglang = "http://…/v1" }, or names
--                 whose URLs come from --target NAME=URL; the grid runs on each (name order)
--   target, base_url   one cell's named target (steady_state.scenario)
-- Identical requests on every engine: the samples depend only on the seed and the workload.

local M = {}

M.workloads = { "A1", "A2", "B1", "B2", "C", "D" }
M.batch_sizes = { 1, 2, 8, 16, 32, 64, 128, 256 }

local function copy(t)
  local c = {}
  for k, v in pairs(t) do c[k] = v end
  return c
end

local known = {}
for _, id in ipairs(M.workloads) do known[id] = true end

-- What workload `id` sends, with `max_tokens` output tokens a request.
function M.dataset(id, o)
  local out = o.max_tokens or 512
  if id == "A1" then return gutenberg { prompt_tokens = 50, output_tokens = out }, 1 end
  if id == "A2" then return gutenberg { prompt_tokens = 2500, output_tokens = out }, 1 end
  if id == "B1" then return gutenberg { prompt_tokens = 50, output_tokens = out } end
  if id == "B2" then
    if o.longbench then
      -- The framework's documents run to two million words: each is cut to its first 2,500.
      return jsonl { path = o.longbench, field = "context", prompt_tokens = 2500,
                     output_tokens = out, shuffle = true }
    end
    return gutenberg { prompt_tokens = 2500, output_tokens = out }
  end
  if id == "C" then
    return shared_prefix { system_tokens = 2000, question_tokens = 50, prefixes = 1,
                           output_tokens = out }
  end
  if id == "D" then
    return conversations { turns = 5, prompt_tokens = 200, followup_tokens = 100,
                           output_tokens = out, sharegpt = o.dialogs, oasst = o.oasst }
  end
  error("steady_state: unknown workload '" .. tostring(id) ..
        "' (A1, A2, B1, B2, C or D)", 3)
end

-- One cell: workload `o.workload` at batch size `o.batch_size`.
function M.scenario(o)
  if type(o) ~= "table" then error("steady_state.scenario: expected a table", 2) end
  local id = o.workload
  if not known[id] then
    error("steady_state: unknown workload '" .. tostring(id) .. "' (A1, A2, B1, B2, C or D)", 2)
  end
  local n = o.batch_size
  if type(n) ~= "number" or n < 1 or n ~= math.floor(n) then
    error("steady_state: batch_size must be a whole number >= 1, got " .. tostring(n), 2)
  end
  local report = o.name or "steady"
  local dataset, pool = M.dataset(id, o)
  return scenario {
    name = report .. "-" .. id .. "-n" .. n,
    description = "steady state, workload " .. id .. ", " .. n .. " in flight",
    seed = o.seed or 42,
    dataset = dataset,
    sample_pool = pool,  -- A1 and A2: one sample, sent by every request
    arrival = closed { concurrency = n },
    phases = {
      fill = o.fill or "30s",
      stabilize = o.stabilize or "60s",
      measure = o.measure or "120s",
      drain = o.drain or "30s",
      fill_interval = o.fill_interval or "1s",
    },
    request = { max_tokens = o.max_tokens or 512 },
    context = o.context,
    timeout = o.timeout,
    target = o.target and { name = o.target, base_url = o.base_url } or nil,
    steady_report = { report = report, scenario = id, target = o.target },
  }
end

-- `targets = { vllm = "http://…", sglang = "http://…" }` (or a list of names, their URLs
-- from --target NAME=URL) as sorted (name, url) pairs; { { nil } } without targets.
local function each_target(targets)
  if targets == nil then return { {} } end
  if type(targets) ~= "table" then
    error("steady_state.suite: targets: expected { name = \"http://…/v1\", … } or a list of " ..
          "names", 3)
  end
  local out = {}
  for k, v in pairs(targets) do
    if type(k) == "number" then
      out[#out + 1] = { name = v }
    elseif type(v) == "string" then
      out[#out + 1] = { name = k, url = v }
    else
      error("steady_state.suite: targets." .. tostring(k) .. ": expected a URL string", 3)
    end
  end
  table.sort(out, function(a, b) return tostring(a.name) < tostring(b.name) end)
  return out
end

-- The grid: every workload at every batch size, one report.
function M.suite(o)
  if type(o) ~= "table" then error("steady_state.suite: expected a table", 2) end
  local all = {}
  for _, t in ipairs(each_target(o.targets)) do
    for _, id in ipairs(o.scenarios or M.workloads) do
      for _, n in ipairs(o.batch_sizes or M.batch_sizes) do
        local cell = copy(o)
        cell.workload, cell.batch_size = id, n
        cell.scenarios, cell.batch_sizes, cell.targets = nil, nil, nil
        cell.target, cell.base_url = t.name, t.url
        local s = M.scenario(cell)
        -- One file, several engines: the cells' names say which.
        if t.name then s.name = (o.name or "steady") .. "-" .. t.name .. "-" .. id .. "-n" .. n end
        all[#all + 1] = s
      end
    end
  end
  return all
end

return M
