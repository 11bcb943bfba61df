-- capacity.lua: a capacity plan on its own (methodology chapter §2, "Capacity planning").
-- One 8-GPU instance sustains 22 req/s under the SLOs (p99 TTFT 500 ms, p99 TBT 50 ms: read it
-- off a rate sweep such as examples/realistic-chat.lua or examples/find-rate.lua); how many
-- instances and GPUs serve 100 req/s, with 20 % headroom?
--   loadwright run examples/capacity.lua      (prints the plan, writes capacity.json and
--                                              capacity.md into results/; sends nothing)
-- The chapter's worked example: 5 instances, 40 GPUs, 48 with headroom. With the band the
-- sweep's repeats gave (19 to 24 req/s) the plan is given at both ends:
--   5 instances (5–6), 40 GPUs (40–48), 48 GPUs with 20 % headroom (48–58)
return capacity {
  target_rate = 100,       -- req/s to serve
  max_rate = 22,           -- req/s one instance sustains under the SLOs
  max_rate_low = 19,       -- the band around it (optional; both ends or neither)
  max_rate_high = 24,
  gpus_per_instance = 8,
  headroom = 0.2,          -- 20 % more GPUs than the plan needs
}
