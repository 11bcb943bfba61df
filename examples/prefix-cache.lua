-- prefix-cache.lua: does the server reuse a cached prefix (shared system prompts)?
-- Four long system prompts (think: four customers' documents), each followed by many different
-- short questions. Compare TTFT
-- with the server's prefix caching on and off, or against `prefixes = 1000` (no sharing).
-- Try: loadwright run examples/prefix-cache.lua --tokenizer path/to/tokenizer.json
return scenario {
  name    = "prefix-cache",
  dataset = shared_prefix { system_tokens = 4000, question_tokens = 50, prefixes = 4, output_tokens = 32 },
  arrival = closed { concurrency = 4 },
  requests = 80,
  warmup  = 4,
}
