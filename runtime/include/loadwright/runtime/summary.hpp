#pragma once
// A run's summary: an ordered list of named numbers, keyed as `vllm bench serve
// --save-result` names them where the metric exists there (DESIGN §5), plus errors by class.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "loadwright/runtime/request_record.hpp"
#include "loadwright/runtime/scenario_plan.hpp"

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
};

/// The latency series reported (in this order) with mean/median/std/pP keys.
/// Each entry: (metric name, unit suffix): "ttft" → mean_ttft_ms, "user_tps" → mean_user_tps.
std::span<const std::pair<const char*, const char*>> reported_series();

/// Summarizes the measured records of one run (warm-up records are ignored).
summary summarize_run(std::span<const request_record> records, const summary_options& options);

/// Mean and population std of every field across runs: {means, stds}.
std::pair<summary, summary> combine_runs(std::span<const summary> runs);

}  // namespace loadwright::runtime
