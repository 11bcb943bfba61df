// Which consumers a scenario gets, in the order they run: the only place that looks at a
// plan's outputs. What comes later sees what came earlier (custom metrics before thresholds,
// every file before the console lists them).

#include "loadwright/app/consumers.hpp"

namespace loadwright::runtime {

void standard_consumers(const scenario_plan& plan, const output_options& out,
                        const std::string& stem, suite_outputs* suite,
                        std::vector<std::unique_ptr<record_consumer>> extra,
                        record_pipeline& pipeline) {
  // Sinks: raw records always; console and the JSON summary unless the scenario lists its own.
  std::filesystem::path jsonl = out.out_dir / (stem + ".requests.jsonl");
  std::filesystem::path json = out.out_dir / (stem + ".json");
  std::optional<std::filesystem::path> csv;
  bool console = out.console != nullptr, summary = true;
  if (!plan.sinks.empty()) {
    console = summary = false;
    for (const auto& s : plan.sinks) {
      switch (s.kind) {
        case sink_kind::console:
          console = out.console != nullptr;
          break;
        case sink_kind::json:
          summary = true;
          if (!s.path.empty()) json = out.out_dir / s.path;
          break;
        case sink_kind::jsonl:
          if (!s.path.empty()) jsonl = out.out_dir / s.path;
          break;
        case sink_kind::csv:
          csv = out.out_dir / (s.path.empty() ? stem + ".csv" : s.path);
          break;
      }
    }
  }
  pipeline.add(make_records_file(jsonl, csv));
  if (out.progress) pipeline.add(make_progress_line());
  pipeline.add(make_timeseries_file(out.out_dir / (stem + ".timeseries.csv")));
  if (plan.phases) pipeline.add(make_steady_state_report());
  if (plan.vllm_bench) pipeline.add(make_vllm_bench_output());
  if (suite) suite->add_consumers(plan, pipeline);
  for (auto& e : extra) pipeline.add(std::move(e));
  pipeline.add(make_run_checks());
  if (!plan.thresholds.empty()) pipeline.add(make_thresholds());
  if (summary) pipeline.add(make_summary_file(json));
  if (console) pipeline.add(make_console_block(plan.vllm_bench.has_value()));
}

}  // namespace loadwright::runtime
