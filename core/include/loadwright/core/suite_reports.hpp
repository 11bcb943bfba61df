#pragma once
// The texts of the reports that span a suite's scenarios: the Arena table and the
// throughput–latency curves (suite_outputs in consumers.hpp writes them). Pure functions.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <cstdint>
#include <optional>

#include "loadwright/core/summary.hpp"

namespace loadwright::runtime {

/// One row of the Arena table.
struct arena_row {
  std::string model, benchmark;
  double tokens_per_s = 0, tokens_per_s_std = 0;
  double ttft_p50_ms = 0;
  std::optional<double> ttft_p95_ms, ttft_p99_ms;  // open-loop rows
  double per_user_tps = 0;
  std::uint64_t failed = 0;
  double cv_percent = 0;
};

/// p50, p90 and p99 of one latency series, in milliseconds.
struct latency_spread {
  double p50_ms = 0, p90_ms = 0, p99_ms = 0;
};

/// One point of a curve.
struct curve_point {
  std::string label;
  std::optional<double> asked;  // the load a sweep asked for (rate or concurrency)
  double request_throughput = 0, output_throughput = 0;
  latency_spread ttft, tpot, itl, e2el;
  std::optional<double> goodput;  // good requests per second, when the scenario has an slo
  std::uint64_t failed = 0;
  std::string verdict;  // a sweep's: "pass", or why the load failed
};

/// A curve's point from a scenario's summary (means over runs), labelled `label`, on the
/// modelled machine's clock (see modelled_value; 1.0: as measured).
curve_point curve_point_from(const summary& combined, std::string label, double time_scale);

/// The Arena table as Markdown (the console prints the same text).
std::string arena_table(const std::vector<arena_row>& rows, const std::string& note,
                        const std::vector<std::string>& skipped = {});
/// A curve as a table and a text chart (latency p50/p99 against achieved throughput).
std::string curve_text(const std::string& name, const std::vector<curve_point>& points,
                       const std::string& note = {});
std::string curve_csv(const std::vector<curve_point>& points);

}  // namespace loadwright::runtime
