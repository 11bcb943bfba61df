#pragma once
// Reports that span several scenarios of a suite: llama-benchy's report (one per `report`
// name, its cells being scenarios), the Arena table and throughput–latency curves. Rewritten
// after every scenario, so a suite stopped half-way keeps the rows it finished.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "loadwright/runtime/llama_benchy.hpp"
#include "loadwright/runtime/runner.hpp"

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

class suite_reports {
 public:
  /// `note` labels every table (e.g. "emulated, time scale 0.05"). The Arena table shows the
  /// modelled machine's figures: times ÷ `time_scale`, rates × it (the per-tool reports keep
  /// what was measured).
  suite_reports(std::filesystem::path out_dir, std::string model, std::string note,
                double time_scale = 1.0);

  /// Adds a finished scenario and rewrites the reports it belongs to; returns the files written.
  std::vector<std::filesystem::path> add(const scenario_plan& plan, const scenario_outcome& o);
  /// Records a scenario the suite skipped (its Arena row says why).
  void skip(const scenario_plan& plan, const std::string& why);
  /// The text printed once the suite is over (Arena table, curves); empty when none.
  std::string closing_text() const;

 private:
  std::filesystem::path out_dir_;
  std::string model_, note_;
  double time_scale_ = 1.0;
  std::map<std::string, llama_benchy::report> benchy_;
  std::vector<arena_row> arena_;
  std::vector<std::string> skipped_;  // "07 ShareGPT: why"
  std::map<std::string, std::vector<curve_point>> curves_;
};

}  // namespace loadwright::runtime
