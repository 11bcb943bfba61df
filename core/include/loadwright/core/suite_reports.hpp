#pragma once
// The texts of the reports that span a suite's scenarios: the Arena table and the
// throughput–latency curves (suite_outputs in consumers.hpp writes them). Pure functions.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <cstdint>
#include <optional>

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

/// One point of a curve.
struct curve_point {
  std::string label;
  double request_throughput = 0, output_throughput = 0;
  double ttft_p50_ms = 0, ttft_p99_ms = 0, e2el_p50_ms = 0, e2el_p99_ms = 0;
  std::uint64_t failed = 0;
};

/// The Arena table as Markdown (the console prints the same text).
std::string arena_table(const std::vector<arena_row>& rows, const std::string& note,
                        const std::vector<std::string>& skipped = {});
/// A curve as a table and a text chart (latency p50/p99 against achieved throughput).
std::string curve_text(const std::string& name, const std::vector<curve_point>& points,
                       const std::string& note = {});
std::string curve_csv(const std::vector<curve_point>& points);

}  // namespace loadwright::runtime
