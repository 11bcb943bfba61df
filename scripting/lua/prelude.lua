-- loadwright DSL prelude (embedded in the binary; DESIGN §3).
-- Constructors build plain tables tagged with their kind (__kind) and the place they were
-- written (__where, "file.lua:line"); the C++ side validates them into a scenario plan, so
-- every error can name the file, line and field.

local API_VERSION = 1
local getinfo = debug.getinfo  -- the script itself gets no `debug` library
local type, pairs, error, tostring, select = type, pairs, error, tostring, select

-- "file:line" of the code `level` frames above the caller. A constructor reached by a tail
-- call (`return scenario { ... }`) has lost its caller's frame: then "" and the host finds
-- the place from the file's text.
local function where(level)
  local info = getinfo(level + 1, "Sl")
  if not info or info.what == "C" or (info.currentline or -1) <= 0 then return "" end
  return info.short_src .. ":" .. info.currentline
end

-- A shallow copy of `t` tagged with `kind`; `t` must be a table.
local function tagged(kind, t, level)
  if t == nil then t = {} end
  if type(t) ~= "table" then
    error(kind .. " { ... } expects a table, got " .. type(t), level + 1)
  end
  local r = {}
  for k, v in pairs(t) do r[k] = v end
  r.__kind = kind
  r.__where = where(level + 1)
  return r
end

local function constructor(kind)
  return function(t)
    local r = tagged(kind, t, 2)
    return r  -- not a tail call: `tagged` must see the caller's frame
  end
end

-- Scenarios and composition
scenario = constructor("scenario")
parallel = constructor("parallel")

-- Arrival processes
closed = constructor("closed")
batch = constructor("batch")
poisson = constructor("poisson")
constant = constructor("constant")
ramp = constructor("ramp")
stages = constructor("stages")
trace = constructor("trace")

-- Datasets
random = constructor("random")
sharegpt = constructor("sharegpt")
gutenberg = constructor("gutenberg")
shared_prefix = constructor("shared_prefix")
conversations = constructor("conversations")

-- prompts { "a", "b", system = "...", output_tokens = N } or prompts { list = {...} }
prompts = constructor("prompts")

-- Length distributions: random { input_tokens = lognormal { median, sigma, min, max } }
lognormal = constructor("lognormal")

-- Experiments over loads of one scenario: sweep { scenario, rates | concurrency, slo } stops at
-- the knee; find_max { scenario, slo, from, to, precision, repeats } searches the highest load
-- that meets the SLO, with a band.
sweep = constructor("sweep")
find_max = constructor("find_max")
-- ab { a = { base_url }, b = { base_url }, scenario, rounds = 5 }: the A/B protocol.
ab = constructor("ab")

-- A capacity plan on its own: return capacity { target_rate, max_rate, gpus_per_instance, … }
capacity = constructor("capacity")

-- Sinks: console(), json "file.json", csv "file.csv", jsonl "file.jsonl".
-- `jsonl` is also the dataset constructor: jsonl { path = "...", field = "prompt" }.
local function sink(kind)
  return function(path)
    if path ~= nil and type(path) ~= "string" then
      error(kind .. " expects a file name (a string), got " .. type(path), 2)
    end
    local r = { __kind = "sink", __sink = kind, __where = where(2), path = path }
    return r
  end
end
console = function()
  local r = { __kind = "sink", __sink = "console", __where = where(2) }
  return r
end
json = sink("json")
csv = sink("csv")
local jsonl_sink = sink("jsonl")
jsonl = function(arg)
  if type(arg) == "string" or arg == nil then
    local r = jsonl_sink(arg)
    return r
  end
  local r = tagged("jsonl", arg, 2)
  return r
end

loadwright = { api_version = API_VERSION, version = "0.1.0" }

-- The value a script returns, copied into plain tables: no metatables (so no __index or
-- other code can run while loadwright reads it), shared tables copied once, cycles kept.
-- Runs under the same instruction and memory limits as the script.
local next_, type_, error_ = next, type, error
local MAX_DEPTH = 200  -- a real plan nests a dozen tables; this keeps the C++ reader's stack safe
local function plain_copy(v, seen, depth)
  if type_(v) ~= "table" then return v end
  seen, depth = seen or {}, depth or 1
  if seen[v] then return seen[v] end
  if depth > MAX_DEPTH then error_("tables nested more than " .. MAX_DEPTH .. " deep", 0) end
  local out = {}
  seen[v] = out
  local k, x = next_(v)
  while k ~= nil do
    out[plain_copy(k, seen, depth + 1)] = plain_copy(x, seen, depth + 1)
    k, x = next_(v, k)
  end
  return out
end
return plain_copy
