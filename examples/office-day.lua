-- office-day.lua: multi-turn chat sessions with think time, all day long.
-- People chat with an assistant: each session is a conversation of several turns, every turn
-- carries the whole history with the server's real replies, and people pause to read before
-- they answer. A shared system prompt (the company's
-- instructions) is the same in every session, so a prefix cache can help.
-- Try: loadwright run examples/office-day.lua --tokenizer path/to/tokenizer.json
return scenario {
  name    = "office-day",
  dataset = conversations {
    turns           = 4,      -- user messages per session
    system_tokens   = 600,    -- shared instructions at the top of every session
    prompt_tokens   = 300,    -- the first question (book text as a stand-in)
    followup_tokens = 60,     -- each later message
    output_tokens   = 150,
    think_time      = "3s",   -- reading the reply before answering
  },
  arrival = poisson { rate = 0.5 },   -- a new session every 2 s on average
  requests = 20,                      -- sessions (each sends `turns` requests)
  request = { temperature = 0.7 },
  slo     = { ttft = "1s" },
}
