#pragma once
// Reports in the peers' own formats (reference/llama-benchy.md §5, vllm-bench-serve.md §6)
// and the Arena table (reference/arena-suite.md). A scenario carries the tags; the Lua
// modules `llama_benchy`, `vllm_bench` and `arena` set them.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace loadwright::runtime {

/// `llama_benchy = { … }`: this scenario is one cell (depth × pp × tg × concurrency) of a
/// llama-benchy test grid; cells with the same `report` share one Markdown, JSON and CSV report.
struct llama_benchy_spec {
  std::string report;  // file stem of the shared report
  std::int64_t pp = 0, tg = 0, depth = 0;
  int concurrency = 1;
  /// "api" (GET /models), "generation" (a 1-token stream) or "none": subtracted from TTFR.
  std::string latency_mode = "api";
  bool coherence = true;  // ask "capital of France" first; stop unless the answer has "paris"
  /// The largest concurrency of the whole grid: above 1, test names carry " (cN)".
  int grid_max_concurrency = 1;
  bool save_total_timeseries = false;  // throughput_over_time in the JSON
  bool save_all_timeseries = false;    // requests_throughput_over_time in the JSON
  bool prefix_caching =
      false;  // --enable-prefix-caching as given (the JSON says so even at depth 0)
};

/// `vllm_bench = { … }`: write `vllm bench serve --save-result` JSON and print its summary block.
struct vllm_bench_spec {
  std::string label;                    // --label (also the file name's first part)
  std::string backend = "openai-chat";  // what the JSON's backend/endpoint_type say
  std::string result_filename;          // --result-filename; empty: vLLM's own naming
  bool save_detailed = false;           // --save-detailed: keep the per-request arrays
  std::vector<std::pair<std::string, std::string>> metadata;  // --metadata K=V
  std::vector<std::string> percentile_metrics{"ttft", "tpot", "itl"};
  std::vector<double> metric_percentiles{99};
};

/// `arena = { … }`: one row of the Arena table printed after a suite.
struct arena_spec {
  std::string benchmark;  // "01 Chat"
  /// The headline tokens/s: "tg" (llama-benchy's total decode t/s) or "output_throughput".
  std::string headline = "tg";
};

/// `curve = { … }`: one point of a sweep; the points of one report make a throughput–latency
/// curve (a table, a CSV and a chart) printed after the suite.
struct curve_spec {
  std::string report;  // file stem of the curve
  std::string point;   // this point's label ("c=8"); default: the scenario's name
};

/// `steady_report = { … }`: one cell of a steady-state grid (scenario × batch size, per
/// target); the cells of one report make NAME.steady.md / .csv after the suite. Set by
/// `require "steady_state"`. The batch size is the closed loop's N.
struct steady_report_spec {
  std::string report;    // file stem
  std::string scenario;  // the workload's id ("A1", "B2", …)
  std::string target;    // the engine's label; empty: one target
};

}  // namespace loadwright::runtime
