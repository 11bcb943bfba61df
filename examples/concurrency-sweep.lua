-- concurrency-sweep.lua: the throughput-latency curve, the same workload at 1 to 64 in flight.
-- The single most useful picture for capacity planning: each point keeps c requests in flight
-- (a closed loop), and the curve shows what each step of concurrency buys in throughput and
-- costs in latency. Where E2EL p99 climbs while req/s flattens, the server is saturated. After
-- the sweep loadwright prints the table and a text chart, and writes
-- concurrency-sweep.curve.md and .curve.csv (one row per point) in the output folder.
-- Against the emulator, shaped like a DGX Spark and 20× faster:
--   loadwright run examples/concurrency-sweep.lua --emulator-profile spark --emulator-time-scale 0.05
local points = {}
for _, c in ipairs { 1, 2, 4, 8, 16, 32, 64 } do
  points[#points + 1] = scenario {
    name     = "sweep-c" .. c,
    dataset  = random { input_tokens = 1024, output_tokens = 128 },
    arrival  = closed { concurrency = c },
    requests = math.max(16, 4 * c),   -- enough requests for each slot to turn over a few times
    warmup   = c,
    curve    = { report = "concurrency-sweep", point = "c=" .. c },
  }
end
return points
