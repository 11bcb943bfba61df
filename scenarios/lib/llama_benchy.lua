-- llama_benchy.lua: llama-benchy's methodology as a building block (require "llama_benchy").
--
-- llama_benchy.sweep { … } expands a depth × pp × tg × concurrency grid into one scenario per
-- cell, in llama-benchy's loop order (depth, then pp, then tg, then concurrency). Each cell:
--   * prompts from a Project Gutenberg book: `depth` tokens of context as a system message,
--     `pp` tokens as the user message, `tg` as max_tokens; a new random slice per request
--     and a new batch of prompts per run (llama-benchy draws them afresh each iteration);
--   * the chat template's overhead measured first and taken off the prompt (or, with depth,
--     the context) so the server counts pp + depth tokens (--adapt-prompt, on by default);
--   * a coherence question first ("capital of France"), and the latency (api / generation /
--     none) measured and subtracted from TTFR to give est_ppt;
--   * one warm-up run (results discarded), then `runs` measured runs; each run fires
--     `concurrency` requests at the same instant and waits for all of them (a batch);
--   * with prefix_caching, each run first sends the contexts alone (user message ".") and then
--     the full prompts: the report has ctx_pp / ctx_tg rows beside pp / tg.
-- All cells of one sweep write one report: NAME.md (llama-benchy's table), NAME.json and
-- NAME.csv (its JSON and CSV: the CSV is what the Spark Arena takes as a submission), beside
-- loadwright's own per-cell results.
-- The formulas and formats are llama-benchy 0.4.0's (upstream commit 446dd42): the release
-- Spark Arena's sparkrun runs, as it pins `uvx llama-benchy@<version>` to the newest release
-- when a benchmark starts. In 0.4.0 a tg row shows when there is a decode rate or a peak;
-- decode t/s counts the tokens after the first timestamp over the span of the timestamps;
-- est_ppt = TTFR − latency; output tokens are usage.completion_tokens spread evenly from the
-- first to the last content event.
--
-- Fields, with llama-benchy's flag in brackets and its default:
--   name            report name, and the prefix of every cell's scenario name (required)
--   pp, tg, depth, concurrency   numbers or lists [--pp 2048] [--tg 32] [--depth 0] [--concurrency 1]
--   runs            measured runs per cell [--runs 3]
--   warmup          a warm-up run per cell [true; --no-warmup]
--   latency_mode    "api" | "generation" | "none" [--latency-mode api]
--   prefix_caching  the two-step context-then-prompt mode [--enable-prefix-caching]
--   no_cache        a unique suffix on every prompt, and cache_prompt = false [--no-cache]
--   adapt_prompt    [true; --no-adapt-prompt]
--   coherence       [true; --skip-coherence]
--   exact_tg        max_tokens = min_tokens = tg and ignore_eos [--exact-tg]
--   book / book_url the text [--book-url; default Debian's copy of Sherlock Holmes, pg1661]
--   extra_body      fields merged into every request body [--extra-body]
--   arrival         "batch" (llama-benchy: fire c, wait for all) or "closed" (keep c in
--                   flight: the steadier reading; then `requests_per_run` per run, default 4c)
--   seed, timeout, save_total_timeseries, save_all_timeseries, arena (a row name)

local M = {}

local function list(v, default)
  if v == nil then return { default } end
  if type(v) == "number" then return { v } end
  if type(v) ~= "table" or #v == 0 then
    error("llama_benchy: expected a number or a list of numbers, got " .. tostring(v), 3)
  end
  return v
end

local function max_of(t)
  local m = t[1]
  for _, v in ipairs(t) do if v > m then m = v end end
  return m
end

-- One cell of the grid as a loadwright scenario.
function M.cell(o)
  local c = o.concurrency
  local arrival, requests
  if (o.arrival or "batch") == "batch" then
    arrival, requests = batch { size = c }, c
  elseif o.arrival == "closed" then
    arrival, requests = closed { concurrency = c }, o.requests_per_run or 4 * c
  else
    error("llama_benchy: arrival must be \"batch\" or \"closed\", got " .. tostring(o.arrival), 3)
  end
  local body = { return_token_ids = true }
  if o.no_cache then body.cache_prompt = false end
  for k, v in pairs(o.extra_body or {}) do body[k] = v end
  local request = { body = body }
  if o.exact_tg then
    body.min_tokens = o.tg
    request.ignore_eos = true
  end
  local name = string.format("%s-pp%d-tg%d-d%d-c%d", o.name, o.pp, o.tg, o.depth, c)
  return scenario {
    name = name,
    description = o.description,
    seed = o.seed or 42,
    dataset = gutenberg {
      path = o.book, url = o.book_url,
      prompt_tokens = o.pp, depth_tokens = o.depth, output_tokens = o.tg,
      no_cache = o.no_cache or false,
      adapt_prompt = o.adapt_prompt ~= false,
    },
    arrival = arrival,
    requests = requests,
    runs = o.runs or 3,
    warmup = (o.warmup ~= false) and requests or 0,
    fresh_prompts = true,
    context_first = o.prefix_caching and o.depth > 0 or nil,
    timeout = o.timeout or "1h",
    request = request,
    percentiles = { 50, 95, 99 },
    llama_benchy = {
      report = o.name,
      pp = o.pp, tg = o.tg, depth = o.depth, concurrency = c,
      latency_mode = o.latency_mode or "api",
      coherence = o.coherence ~= false,
      grid_max_concurrency = o.grid_max_concurrency or c,
      save_total_timeseries = o.save_total_timeseries,
      save_all_timeseries = o.save_all_timeseries,
      prefix_caching = o.prefix_caching and true or nil,
    },
    arena = o.arena and { benchmark = o.arena, headline = "tg" } or nil,
    tokenizer = o.tokenizer,
  }
end

-- The whole grid: a list of cells, in llama-benchy's order.
function M.sweep(o)
  if type(o) ~= "table" or type(o.name) ~= "string" then
    error("llama_benchy.sweep { name = \"…\", pp = …, tg = …, … }: name is required", 2)
  end
  local depths, pps, tgs = list(o.depth, 0), list(o.pp, 2048), list(o.tg, 32)
  local cs = list(o.concurrency, 1)
  local grid_max = max_of(cs)
  local cells = {}
  for _, d in ipairs(depths) do
    for _, pp in ipairs(pps) do
      for _, tg in ipairs(tgs) do
        for _, c in ipairs(cs) do
          local cell = {}
          for k, v in pairs(o) do cell[k] = v end
          cell.depth, cell.pp, cell.tg, cell.concurrency = d, pp, tg, c
          cell.grid_max_concurrency = grid_max
          cells[#cells + 1] = M.cell(cell)
        end
      end
    end
  end
  return cells
end

return M
