// The scenario runner: build nothing, decide nothing about formats; run the phases (warm-up,
// then each measured run) and tell the pipeline. Records reach the consumers on this thread
// in batches, as the engine's progress ticks hand them over.

#include "loadwright/app/runner.hpp"

#include <algorithm>
#include <mutex>
#include <optional>

namespace loadwright::runtime {

std::string file_stem(const std::string& name) {
  std::string out;
  for (const char c : name)
    out +=
        (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') ? c : '_';
  return out.empty() ? "scenario" : out;
}

namespace {

// Runs with more requests than this (or a duration) are summarized in bounded memory.
constexpr std::uint64_t kBoundedAbove = 100'000;

// Records from the engine's threads to the scenario's thread.
class record_handoff {
 public:
  void push(const request_record& r) {
    std::lock_guard lock(mu_);
    pending_.push_back(r);
  }
  std::vector<request_record> take() {
    std::vector<request_record> out;
    std::lock_guard lock(mu_);
    out.swap(pending_);
    return out;
  }

 private:
  std::mutex mu_;
  std::vector<request_record> pending_;
};

// One run's summary: exact from its records, or streamed in bounded memory.
class run_summarizer {
 public:
  run_summarizer(bool bounded, const summary_options& options) : options_(options) {
    if (bounded) stream_.emplace(options);
  }
  void add(std::vector<request_record>& batch) {
    if (stream_) {
      for (const auto& r : batch) stream_->add(r);
      return;
    }
    std::move(batch.begin(), batch.end(), std::back_inserter(records_));
  }
  // The records by sequence number (empty when streamed), then the summary.
  std::vector<request_record>& records() {
    std::sort(records_.begin(), records_.end(),
              [](const request_record& a, const request_record& b) {
                return a.seq != b.seq ? a.seq < b.seq : a.turn < b.turn;
              });
    return records_;
  }
  summary finish(std::int64_t peak_in_flight) {
    return stream_ ? stream_->finish(peak_in_flight) : summarize_run(records(), options_);
  }
  bool exact() const { return !stream_ || stream_->exact(); }

 private:
  summary_options options_;
  std::optional<streaming_summary> stream_;
  std::vector<request_record> records_;
};

struct phase_run {
  summary run_summary;
  bool interrupted = false;
  bool exact = true;
};

phase_run run_one(const prepared_scenario& prepared, const scenario_context& ctx,
                  const engine_options& engine, const run_context& run, record_pipeline& pipeline) {
  const auto& plan = *prepared.plan;
  pipeline.run_started(ctx, run);
  record_handoff handoff;
  summary_options options{plan.percentiles, plan.slo};
  if (const auto t = plan_timeline(plan, prepared.time_scale))
    options.origin_ns = timeline_ns(t->stabilize_end_s);  // the measure window's start
  run_summarizer summarizer(ctx.bounded, options);
  auto deliver = [&] {
    auto batch = handoff.take();
    pipeline.records(batch);
    summarizer.add(batch);
  };
  engine_options eo = engine;
  eo.retain_records = false;
  eo.on_record = [&](const request_record& r) {
    pipeline.record_live(r);
    handoff.push(r);
  };
  eo.on_progress = [&](const progress_snapshot& s) {
    deliver();
    pipeline.progress(run, s);
  };
  // Warm-up records say run 1, phase warmup (as they always have); run 0 is the pipeline's.
  const auto result = execute_phase(prepared, run.phase, std::max<std::uint32_t>(1, run.run), eo);
  deliver();
  phase_run out;
  out.interrupted = result.interrupted;
  run_outcome o;
  o.interrupted = result.interrupted;
  o.peak_in_flight = result.peak_in_flight;
  o.wall_start = result.wall_start;
  o.phases = result.phases;
  if (run.phase == run_phase::measure) {
    out.run_summary = summarizer.finish(result.peak_in_flight);
    out.exact = summarizer.exact();
    o.run_summary = &out.run_summary;
  }
  o.records = summarizer.records();
  pipeline.run_finished(ctx, run, o);
  return out;
}

bool stop_requested(const engine_options& e) {
  return e.stop && e.stop->requested();
}

}  // namespace

bool runs_bounded(const prepared_scenario& prepared) {
  const auto& plan = *prepared.plan;
  // The peers' reports need every record, and their runs are counted, so they keep them.
  return !plan.vllm_bench && !plan.llama_benchy &&
         (plan.duration || plan.phases || prepared.request_limit.value_or(0) > kBoundedAbove);
}

scenario_report run_scenario(const prepared_scenario& prepared, const engine_options& engine,
                             const output_options& out, record_pipeline& pipeline) {
  const auto& plan = *prepared.plan;
  std::filesystem::create_directories(out.out_dir);
  const scenario_context ctx{prepared, engine.target, out, file_stem(plan.name),
                             runs_bounded(prepared)};
  scenario_report report;
  pipeline.scenario_started(ctx);
  if (plan.warmup > 0 && !stop_requested(engine))
    report.interrupted =
        run_one(prepared, ctx, engine, run_context{0, run_phase::warmup, plan.runs}, pipeline)
            .interrupted;
  for (int run = 1; run <= plan.runs && !report.interrupted; ++run) {
    if (stop_requested(engine)) {
      report.interrupted = true;
      break;
    }
    auto r = run_one(prepared, ctx, engine,
                     run_context{static_cast<std::uint32_t>(run), run_phase::measure, plan.runs},
                     pipeline);
    report.interrupted = r.interrupted;
    report.percentiles_from_histogram = report.percentiles_from_histogram || !r.exact;
    report.runs.push_back(std::move(r.run_summary));
  }
  if (report.runs.empty()) report.runs.push_back(summarize_run({}, {plan.percentiles, plan.slo}));
  auto [means, stds] = combine_runs(report.runs);
  report.combined = std::move(means);
  report.std_across_runs = std::move(stds);
  pipeline.scenario_finished(ctx, report);
  return report;
}

scenario_report run_scenario(const prepared_scenario& prepared, const engine_options& engine,
                             const output_options& out) {
  suite_outputs suite(out.out_dir, engine.target.model, "", out.time_scale);
  record_pipeline pipeline;
  standard_consumers(*prepared.plan, out, file_stem(prepared.plan->name), &suite, {}, pipeline);
  return run_scenario(prepared, engine, out, pipeline);
}

}  // namespace loadwright::runtime
