-- long-context.lua: 8k tokens of book context per request, prefilled in full (llama-benchy depth).
-- Each request reads 8k tokens of a book as prior context (a system message), then a 512-token
-- prompt; a unique suffix defeats the prefix cache, so every prompt is prefilled in full.
-- The book is Sherlock Holmes (Debian's pg1661.txt), or give path = / url = your own.
return scenario {
  name    = "long-context",
  dataset = gutenberg { depth_tokens = 8192, prompt_tokens = 512, output_tokens = 128, no_cache = true },
  arrival = poisson { rate = 0.2 },
  requests = 30,
}
