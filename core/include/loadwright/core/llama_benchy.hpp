#pragma once
// llama-benchy's metrics and reports (reference/llama-benchy.md §3–§5), computed from our
// request records: per-request pp/tg/peak t/s, TTFR, est_ppt and e2e TTFT; per-batch totals;
// mean ± population std across runs; its Markdown table, JSON and CSV (the CSV is what the
// Spark Arena leaderboard takes). They follow llama-benchy 0.4.0 (upstream commit 446dd42,
// src/llama_benchy/{client,results,runner}.py), the release Spark Arena's sparkrun runs:
// sparkrun pins `uvx llama-benchy@<version>` to what `uvx llama-benchy --version` resolves on
// a benchmark's first task (src/sparkrun/benchmarking/llama_benchy.py, scheduler.py), the
// newest release on PyPI, 0.4.0. Pure functions: no I/O.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "loadwright/core/request_record.hpp"

namespace loadwright::runtime {
struct engine_target;
}

namespace loadwright::runtime::llama_benchy {

/// One request as llama-benchy sees it: times in seconds on one clock (the run's).
struct request_view {
  double start_s = 0;
  std::optional<double> first_response_s;  // first event with non-empty choices
  std::optional<double> first_token_s;     // first content / reasoning event
  double end_s = 0;
  /// One timestamp per output token (client.py `_finalize_stream_tokens`): the count
  /// (`usage.completion_tokens`, else the record's own count of the text) spread evenly from
  /// the first to the last content event; one per content event when there is no count.
  std::vector<double> token_ts;
  std::int64_t total_tokens = 0;
  /// usage.prompt_tokens when within 20% of the expected count, else the expected count.
  std::int64_t prompt_tokens = 0;
};

/// The view of one successful record. `expected_prompt_tokens` (the adapted count llama-benchy
/// asked for) defaults to the record's own expected count.
request_view view_of(const request_record& r,
                     std::optional<std::int64_t> expected_prompt_tokens = std::nullopt);

/// Tokens after the first timestamp (every token sharing it is excluded) and their rate.
std::int64_t decode_tokens(const std::vector<double>& token_ts);
std::optional<double> decode_rate(const request_view& r);

/// Peak tokens/s in a trailing 1 s window (t − 1, t]; N/D when the span D is under 1 s.
std::optional<double> peak_throughput(std::vector<double> ts);
/// [[t − first, tokens in (t − 1, t]], …] for each token (the JSON's time series).
std::vector<std::pair<double, double>> throughput_series(std::vector<double> ts);

/// mean, population std (ddof 0) and the values; empty values make a null metric.
struct metric {
  double mean = 0, std = 0;
  std::vector<double> values;
};
std::optional<metric> make_metric(std::vector<double> values, double scale = 1.0);

/// One row group of the report (llama-benchy's BenchmarkRun): a cell's standard phase, or
/// its context phase in prefix-caching mode.
struct benchmark_run {
  int concurrency = 1;
  std::int64_t context_size = 0, prompt_size = 0, response_size = 0;
  bool is_context_prefill_phase = false;
  std::optional<metric> pp_throughput, pp_req_throughput, tg_throughput, tg_req_throughput,
      peak_throughput, peak_req_throughput, ttfr, est_ppt, e2e_ttft;
  std::optional<std::vector<std::vector<std::pair<double, double>>>> throughput_over_time;
  std::optional<std::vector<std::vector<std::vector<std::pair<double, double>>>>>
      requests_throughput_over_time;
};

struct cell {
  int concurrency = 1;
  std::int64_t pp = 0, tg = 0, depth = 0;
  bool context_phase = false;
  /// The cell sent each context alone first (--enable-prefix-caching with depth > 0): its
  /// standard phase then expects `pp` prompt tokens, not pp + depth (runner.py passes
  /// `expected_pp`), so the server's count is taken only within 20% of pp.
  bool prefix_caching = false;
  double latency_s = 0;  // subtracted from TTFR for est_ppt
  bool save_total_timeseries = false, save_all_timeseries = false;
};

/// Aggregates one cell from its batches (one batch per measured run: the records of that run
/// and phase; failed requests are left out as llama-benchy leaves them out).
benchmark_run aggregate(const cell& c, std::span<const std::vector<request_record>> batches);

struct report {
  std::string version = "loadwright";  // llama-benchy writes its own version ("0.4.0") here
  std::string timestamp;               // UTC "%Y-%m-%d %H:%M:%SZ"
  std::string latency_mode = "api";
  double latency_ms = 0;
  std::string model;
  bool prefix_caching_enabled = false;
  int max_concurrency = 1;
  std::vector<benchmark_run> benchmarks;
};

/// The report's rows as llama-benchy's `_generate_rows` makes them.
struct row {
  std::string test_name;
  bool pp_row = true;
  const metric *t_s = nullptr, *t_s_req = nullptr, *peak = nullptr, *peak_req = nullptr,
               *ttfr = nullptr, *est_ppt = nullptr, *e2e_ttft = nullptr;
};
std::vector<row> rows(const report& r);

/// tabulate's "pipe" table (no trailing newline), or llama-benchy's "No results" line.
std::string markdown(const report& r);
/// json.dumps(report, indent=2).
std::string json(const report& r);
/// csv.DictWriter output ("\r\n" line ends, floats as Python repr, missing values empty).
std::string csv(const report& r);

}  // namespace loadwright::runtime::llama_benchy
