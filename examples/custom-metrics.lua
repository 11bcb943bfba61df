-- custom-metrics.lua: compute your own metric from every record, report it, and let it decide
-- the exit code, like k6's handleSummary and thresholds. on_record sees each finished request
-- (every field of NAME.requests.jsonl); on_done sees the summary and can read the records back
-- from disk, return metrics (merged into NAME.json under "custom", printed after the summary)
-- and write its own files into the output folder.
--   loadwright run examples/custom-metrics.lua ; echo "exit $?"
local slow, stalls = 0, 0
return scenario {
  name = "custom-metrics",
  dataset = random { input_tokens = 256, output_tokens = 64 },
  arrival = closed { concurrency = 4 },
  requests = 40,
  on_record = function(rec)
    if rec.phase ~= "measure" or rec.status ~= "ok" then return end
    if rec.ttft_ms > 5 then slow = slow + 1 end
    for _, gap in ipairs(rec.itl_ms) do
      if gap > 100 then stalls = stalls + 1 end   -- a visible pause in the stream
    end
  end,
  on_done = function(result)
    local by_worker = {}
    for rec in result.records() do   -- read back from the records file, one at a time
      by_worker[rec.worker] = (by_worker[rec.worker] or 0) + 1
    end
    local lines = { "p99 TTFT " .. result.summary.p99_ttft_ms .. " ms" }
    for w, n in pairs(by_worker) do lines[#lines + 1] = "worker " .. w .. ": " .. n .. " requests" end
    out.write("custom-metrics.txt", table.concat(lines, "\n") .. "\n")
    return { slow_requests = slow, stalls = stalls,
             tail_ratio = result.summary.p99_ttft_ms / result.summary.median_ttft_ms }
  end,
  thresholds = {
    p99_ttft_ms = "< 2000",
    error_rate = "< 0.01",
    output_throughput = "> 100",
    ["custom.stalls"] = "< 5",
  },
}
