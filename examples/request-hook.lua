-- request-hook.lua: shape each request from Lua, like wrk's request(): a tenant header per
-- user, tool definitions on every third request, a sampled temperature. The hook runs once per
-- request before the clock starts (bodies stay pre-serialized, Lua stays off the hot path),
-- and math.random inside it is seeded from the scenario's seed: the same file and seed send
-- byte-identical requests.
--   loadwright run examples/request-hook.lua --emulator-log requests.jsonl   (then look at it)
local tools = {
  { type = "function", ["function"] = {
      name = "get_weather", description = "The weather in a city",
      parameters = { type = "object", properties = { city = { type = "string" } },
                     required = { "city" } } } },
}

return scenario {
  name = "request-hook",
  dataset = random { input_tokens = 128, output_tokens = 32 },
  arrival = poisson { rate = 20 },
  requests = 30,
  -- sample: messages, prompt, input_tokens, max_tokens, turns, phase, index; i: 1, 2, …
  request_hook = function(sample, i)
    local body = { temperature = math.floor(math.random() * 100) / 100, user = "user-" .. (i % 5) }
    if i % 3 == 0 then body.tools = tools end
    return { body = body, headers = { ["X-Tenant"] = "tenant-" .. (i % 5) } }
  end,
}
