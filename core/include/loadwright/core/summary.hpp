#pragma once
// A run's summary: an ordered list of named numbers, keyed as `vllm bench serve
// --save-result` names them where the metric exists there (DESIGN §5), plus errors by class.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "loadwright/core/bounded_series.hpp"
#include "loadwright/core/request_record.hpp"
#include "loadwright/core/scenario_plan.hpp"

namespace loadwright::runtime {

struct summary_field {
  std::string key;
  double value = 0;
  bool integer = false;  // print without a fraction
};

struct summary {
  std::vector<summary_field> fields;
  std::vector<std::pair<std::string, std::uint64_t>> errors;  // class → count, failures only
  std::vector<std::string> error_examples;                    // up to 10 distinct messages

  void add(std::string key, double value, bool integer = false);
  const summary_field* find(std::string_view key) const;
  double get(std::string_view key, double fallback = 0) const;
};

/// What the summary needs besides the records.
struct summary_options {
  std::vector<double> percentiles{50, 90, 95, 99};
  slo_spec slo;
  /// Where the measurement starts, since the run's start: the duration (and the streamed
  /// token buckets) count from here. 0, or the measure window's start with `phases`.
  std::int64_t origin_ns = 0;
};

/// The methodology chapter's tail report: p99.9 is reported for every series that has at least
/// tail_min_values values (as `p99.9_ttft_ms`, after the percentiles asked for; with 99.9 among
/// the asked percentiles it is always reported), and the tail ratio p99 / p50 of TTFT and ITL
/// as `tail_ratio_ttft` and `tail_ratio_itl` (NaN, written null, without values).
inline constexpr double tail_percentile = 99.9;
inline constexpr std::size_t tail_min_values = 1000;

/// A percentile's key prefix as vLLM writes it: "p" + int(p) when integral, else str(p)
/// ("p99", "p99.9").
std::string percentile_label(double p);

/// The latency series reported (in this order) with mean/median/std/pP keys.
/// Each entry: (metric name, unit suffix): "ttft" → mean_ttft_ms, "user_tps" → mean_user_tps.
std::span<const std::pair<const char*, const char*>> reported_series();

/// Counts and totals of one run's measured records, and the summary fields they give.
struct run_totals {
  std::uint64_t completed = 0, failed = 0, good = 0;
  std::int64_t input_tokens = 0, output_tokens = 0;
  std::uint64_t input_estimated = 0, output_estimated = 0;
  std::uint64_t connections_opened = 0, connections_reused = 0, connections_found_dead = 0;
  std::int64_t end_ns = 0;  // the last response's end, since the run's start
  std::map<std::string, std::uint64_t> errors;
  std::vector<std::string> error_examples;  // up to 10 distinct messages

  void add(const request_record& r, const summary_options& options);
  /// `series(name)` gives the stats of each reported series.
  summary to_summary(const summary_options& options, double max_output_tokens_per_s,
                     std::int64_t max_concurrent,
                     const std::function<series_stats(const char*)>& series) const;
};

/// Every key a summary with these options can have, including those reported only when a
/// series has enough values (p99.9): what a threshold may name.
std::vector<std::string> possible_summary_keys(const summary_options& options);

/// Summarizes the measured records of one run (warm-up records are ignored), exactly.
summary summarize_run(std::span<const request_record> records, const summary_options& options);

/// The same summary, built as records arrive, in memory that does not grow with the run:
/// each series is exact up to `exact_limit` values, then a 0.1% log histogram (see
/// bounded_series). Two fields differ from summarize_run's by definition: tokens are
/// bucketed per second from the run's start (not from the first send), and the peak
/// concurrency is the engine's count of requests in flight (given to finish()).
class streaming_summary {
 public:
  explicit streaming_summary(summary_options options,
                             std::size_t exact_limit = bounded_series::default_exact_limit);
  void add(const request_record& r);
  summary finish(std::int64_t max_concurrent) const;
  /// True while no series has been folded into a histogram.
  bool exact() const;

 private:
  summary_options options_;
  std::size_t exact_limit_;
  run_totals totals_;
  std::map<std::string, bounded_series> series_;
  std::vector<double> token_buckets_;
};

/// Mean and population std of every field across runs: {means, stds}. A key some run lacks
/// (p99.9 of a run with fewer than tail_min_values values) is left out.
std::pair<summary, summary> combine_runs(std::span<const summary> runs);

}  // namespace loadwright::runtime
