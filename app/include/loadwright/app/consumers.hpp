#pragma once
// The record consumers loadwright ships, and the one place that decides which of them a
// scenario gets (standard_consumers). A new output is a new consumer in its own file,
// named here and added there.

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "loadwright/core/llama_benchy.hpp"
#include "loadwright/core/record_pipeline.hpp"

namespace loadwright::runtime {

/// NAME.requests.jsonl (always) and the CSV sink's file: one whole line per request as it
/// ends, on the engine's threads.
std::unique_ptr<record_consumer> make_records_file(const std::filesystem::path& jsonl,
                                                   std::optional<std::filesystem::path> csv);
/// The live "[NAME run 1/3] 12 done, 0 failed, 4 in flight, 3.2 s" line on stderr.
std::unique_ptr<record_consumer> make_progress_line();
/// NAME.json: setup keys, the metrics, errors, custom metrics, per-run summaries.
std::unique_ptr<record_consumer> make_summary_file(std::filesystem::path path);
/// The console block after the scenario (vLLM's layout), custom metrics, checks, files.
/// `vllm_style`: the scenario printed vLLM's block per run; ours only adds the spread.
std::unique_ptr<record_consumer> make_console_block(bool vllm_style);
/// Failed requests over `allowed_failures` and goodput under `slo.goodput` fail the run.
std::unique_ptr<record_consumer> make_run_checks();
/// `thresholds = { p99_ttft_ms = "< 2000", … }`: each checked, printed pass/fail.
std::unique_ptr<record_consumer> make_thresholds();
/// NAME.timeseries.csv: every run second by second (timeseries.hpp).
std::unique_ptr<record_consumer> make_timeseries_file(std::filesystem::path path);
/// `phases`: the steady-state figures and phases of each run (report.steady_state).
std::unique_ptr<record_consumer> make_steady_state_report();
/// `vllm_bench`: vLLM's --save-result file (one object per run) and its console block.
std::unique_ptr<record_consumer> make_vllm_bench_output();

/// The reports that span a suite's scenarios, rewritten after every scenario (a suite
/// stopped half-way keeps its finished rows): llama-benchy's report per `report` name, the
/// Arena table, the throughput–latency curves. One per `loadwright run`.
class suite_outputs {
 public:
  /// `note` labels every table (e.g. "emulated, time scale 0.05"). The Arena table shows the
  /// modelled machine's figures: times ÷ `time_scale`, rates × it.
  suite_outputs(std::filesystem::path out_dir, std::string model, std::string note,
                double time_scale = 1.0);
  ~suite_outputs();
  /// The consumers a scenario gets from the suite (a llama-benchy cell, its Arena row, its
  /// point on a curve), as the plan asks.
  void add_consumers(const scenario_plan& plan, record_pipeline& pipeline);
  /// Records a scenario the suite skipped (its Arena row says why).
  void skip(const scenario_plan& plan, const std::string& why);
  /// What is printed once the suite is over (llama-benchy reports, curves, the Arena table).
  std::string closing_text() const;

  struct state;

 private:
  std::unique_ptr<state> state_;
};

/// Builds the pipeline for `plan`: the records file, the peers' formats, the suite's reports,
/// checks, thresholds, then `extra` (a script's hooks), then the summary file and console.
void standard_consumers(const scenario_plan& plan, const output_options& out,
                        const std::string& stem, suite_outputs* suite,
                        std::vector<std::unique_ptr<record_consumer>> extra,
                        record_pipeline& pipeline);

}  // namespace loadwright::runtime
