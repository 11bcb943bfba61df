-- Arena 02 RAG 8k context: 8192-token prompts, 512-token answers, 10 at once (llama-benchy).
-- A typical RAG pipeline stuffs 4–8 document chunks into the prompt: prefill becomes
-- noticeable (TTFT in seconds when ten arrive together) but decode still dominates tokens/s.
-- Same as: llama-benchy --pp 8192 --tg 512 --depth 0 --concurrency 10 --runs 3
-- arrival = "batch" reproduces llama-benchy; "closed" is the steadier reading.
local arena = require "arena_suite"
return arena.closed_loop {
  benchmark = "02 RAG 8k",
  name = "arena-02-rag-8k",
  pp = 8192, tg = 512, depth = 0, concurrency = 10,
  arrival = "batch",
}
