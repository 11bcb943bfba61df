#include "loadwright/runtime/runner.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <mutex>
#include <optional>

#include "loadwright/runtime/result_files.hpp"
#include "loadwright/runtime/vllm_bench.hpp"
#include "result_io.hpp"

namespace loadwright::runtime {

namespace fs = std::filesystem;

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

std::string now_date() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &tm);
  return buf;
}

summary_setup make_setup(const prepared_scenario& p, const engine_options& e,
                         const output_options& out, bool interrupted) {
  const auto& plan = *p.plan;
  summary_setup s;
  s.date = now_date();
  s.scenario = plan.name;
  s.source = plan.source;
  s.base_url = e.target.url.to_string();
  s.model_id = e.target.model;
  s.endpoint_type = plan.request.api == api_kind::chat ? "openai-chat" : "openai";
  s.seed = plan.seed;
  s.arrival = arrival_kind(plan.arrival);
  if (const auto* po = std::get_if<poisson_arrival>(&plan.arrival)) {
    s.has_rate = s.has_burstiness = true;
    s.request_rate = po->rate;
    s.burstiness = po->burstiness;
  } else if (const auto* c = std::get_if<constant_arrival>(&plan.arrival)) {
    s.has_rate = true;
    s.request_rate = c->rate;
  }
  if (plan.max_concurrency)
    s.max_concurrency = *plan.max_concurrency;
  else if (const auto* cl = std::get_if<closed_arrival>(&plan.arrival))
    s.max_concurrency = cl->concurrency;
  else if (const auto* b = std::get_if<batch_arrival>(&plan.arrival))
    s.max_concurrency = b->size;
  s.num_prompts = p.request_limit.value_or(0);
  s.warmup = plan.warmup;
  s.dataset = p.dataset_description;
  s.token_counter = out.token_counter;
  s.interrupted = interrupted;
  s.emulated = out.emulated;
  s.time_scale = out.time_scale;
  s.emulator_faults = out.emulator_faults;
  s.unsafe = out.unsafe;
  return s;
}

vllm_bench::setup make_vllm_setup(const prepared_scenario& p, const engine_options& e,
                                  const output_options& out) {
  const auto& plan = *p.plan;
  vllm_bench::setup s;
  s.date = now_date();
  s.model_id = e.target.model;
  s.tokenizer_id = out.tokenizer_name;
  s.num_prompts = p.request_limit.value_or(0);
  if (const auto* po = std::get_if<poisson_arrival>(&plan.arrival)) {
    s.request_rate = po->rate;
    s.burstiness = po->burstiness;
    s.ramp_up_strategy = po->ramp_up;
    s.ramp_up_start_rps = po->ramp_from;
    s.ramp_up_end_rps = po->ramp_to;
  }
  if (plan.max_concurrency) s.max_concurrency = *plan.max_concurrency;
  s.slo = plan.slo;
  if (out.emulated)
    s.metadata.emplace_back(
        "emulated", fmt::format("loadwright's built-in emulator, time scale {}: the numbers "
                                "describe the emulator, not a real model",
                                out.time_scale));
  return s;
}

// Coherence and latency before a llama-benchy cell; throws when the model is incoherent.
double llama_benchy_preflight(const scenario_plan& plan, const engine_options& e,
                              const output_options& out) {
  const auto& spec = *plan.llama_benchy;
  if (spec.coherence) {
    std::string reply;
    if (!llama_benchy::coherence_check(e.target, &reply))
      throw std::runtime_error(fmt::format(
          "coherence test FAILED: asked the capital of France, the answer has no \"paris\": {}",
          reply.substr(0, 200)));
    if (out.console) *out.console << "loadwright: coherence test passed\n";
  }
  const double latency_s = llama_benchy::measure_latency(e.target, spec.latency_mode);
  if (out.console)
    *out.console << fmt::format("loadwright: latency mode {}: {:.2f} ms\n", spec.latency_mode,
                                latency_s * 1000);
  return latency_s;
}

}  // namespace

scenario_outcome run_scenario(const prepared_scenario& prepared, const engine_options& engine,
                              const output_options& out) {
  const auto& plan = *prepared.plan;
  scenario_outcome outcome;
  fs::create_directories(out.out_dir);
  const std::string stem = file_stem(plan.name);

  // Sinks: raw records always; console + JSON summary unless the scenario lists its own.
  fs::path jsonl_path = out.out_dir / (stem + ".requests.jsonl");
  fs::path json_path = out.out_dir / (stem + ".json");
  std::optional<fs::path> csv_path;
  bool console = out.console != nullptr, json = true;
  if (!plan.sinks.empty()) {
    console = json = false;
    for (const auto& s : plan.sinks) {
      switch (s.kind) {
        case sink_kind::console:
          console = out.console != nullptr;
          break;
        case sink_kind::json:
          json = true;
          if (!s.path.empty()) json_path = out.out_dir / s.path;
          break;
        case sink_kind::jsonl:
          if (!s.path.empty()) jsonl_path = out.out_dir / s.path;
          break;
        case sink_kind::csv:
          csv_path = out.out_dir / (s.path.empty() ? stem + ".csv" : s.path);
          break;
      }
    }
  }
  for (const auto* p : {&jsonl_path, &json_path}) fs::create_directories(p->parent_path());
  if (csv_path) fs::create_directories(csv_path->parent_path());
  // Each record goes to disk as its request ends: an interrupted or crashed run keeps them.
  record_log records(jsonl_path, csv_path);
  outcome.files.push_back(jsonl_path);
  auto progress_for = [&](std::string label) -> std::function<void(const progress_snapshot&)> {
    if (!out.progress) return nullptr;
    return [label](const progress_snapshot& s) {
      std::fprintf(stderr, "\r\033[K%s %llu done, %llu failed, %llu in flight, %.1f s",
                   label.c_str(), static_cast<unsigned long long>(s.completed),
                   static_cast<unsigned long long>(s.failed),
                   static_cast<unsigned long long>(s.in_flight()), s.elapsed_s);
      std::fflush(stderr);
    };
  };
  auto end_progress = [&] {
    if (out.progress) std::fprintf(stderr, "\r\033[K");
  };

  engine_options eo = engine;
  // Long runs keep measurements, not records: memory stays flat however long they go. The
  // peers' reports need every record, and their runs are counted, so they keep them.
  const bool bounded = !plan.vllm_bench && !plan.llama_benchy &&
                       (plan.duration || prepared.request_limit.value_or(0) > kBoundedAbove);
  summary_options so{plan.percentiles, plan.slo};
  std::mutex stream_mu;
  std::optional<streaming_summary> stream;  // the current run's, when bounded
  eo.retain_records = !bounded;
  eo.on_record = [&](const request_record& r) {
    records.add(r);
    if (!bounded) return;
    std::lock_guard lock(stream_mu);
    if (stream) stream->add(r);
  };
  if (plan.llama_benchy) outcome.llama_benchy_latency_s = llama_benchy_preflight(plan, engine, out);
  // Per measured run: its records by phase, for the peers' reports.
  std::vector<std::vector<request_record>> measured_runs, context_runs;
  std::optional<append_file> vllm_file;  // one whole line per write(2), like the records
  bool vllm_file_empty = true;           // vLLM writes "\n" before each object but the first
  const auto vllm_setup = make_vllm_setup(prepared, engine, out);
  if (plan.vllm_bench) {
    const auto path = out.out_dir / vllm_bench::result_filename(vllm_setup, *plan.vllm_bench);
    vllm_file.emplace(path);
    outcome.files.push_back(path);
  }
  if (plan.warmup > 0 && !(engine.stop && engine.stop->load())) {
    eo.on_progress = progress_for(fmt::format("[{} warm-up]", plan.name));
    auto warm = execute_phase(prepared, run_phase::warmup, 1, eo);
    end_progress();
    outcome.interrupted = warm.interrupted;
  }
  bool histogram_used = false;
  for (int run = 1; run <= plan.runs && !outcome.interrupted; ++run) {
    if (engine.stop && engine.stop->load()) {
      outcome.interrupted = true;
      break;
    }
    eo.on_progress =
        progress_for(plan.runs > 1 ? fmt::format("[{} run {}/{}]", plan.name, run, plan.runs)
                                   : fmt::format("[{}]", plan.name));
    if (bounded) {
      std::lock_guard lock(stream_mu);
      stream.emplace(so);
    }
    auto result = execute_phase(prepared, run_phase::measure, static_cast<std::uint32_t>(run), eo);
    end_progress();
    outcome.interrupted = result.interrupted;
    if (bounded) {
      std::lock_guard lock(stream_mu);
      outcome.runs.push_back(stream->finish(result.peak_in_flight));
      histogram_used = histogram_used || !stream->exact();
    } else {
      outcome.runs.push_back(summarize_run(result.records, so));
    }
    if (plan.vllm_bench) {
      // One JSON object per run, one per line (vLLM's --append-result), and its summary block.
      const auto m =
          vllm_bench::calculate(result.records, outcome.runs.back().get("duration"), vllm_setup);
      vllm_file->append(vllm_bench::appended_result(
          vllm_bench::save_result_json(vllm_setup, *plan.vllm_bench, m), vllm_file_empty));
      vllm_file_empty = false;
      if (out.console) *out.console << vllm_bench::console_block(vllm_setup, *plan.vllm_bench, m);
    }
    if (plan.llama_benchy) {
      std::vector<request_record> measured, context;
      for (auto& r : result.records)
        (r.phase == run_phase::context ? context : measured).push_back(std::move(r));
      measured_runs.push_back(std::move(measured));
      if (plan.context_first) context_runs.push_back(std::move(context));
    }
  }
  if (plan.llama_benchy) {
    const auto& spec = *plan.llama_benchy;
    llama_benchy::cell c;
    c.concurrency = spec.concurrency;
    c.pp = spec.pp;
    c.tg = spec.tg;
    c.depth = spec.depth;
    c.latency_s = outcome.llama_benchy_latency_s;
    c.save_total_timeseries = spec.save_total_timeseries;
    c.save_all_timeseries = spec.save_all_timeseries;
    c.prefix_caching = plan.context_first;  // the standard phase then expects pp prompt tokens
    if (plan.context_first) {
      auto ctx = c;
      ctx.context_phase = true;
      outcome.llama_benchy_runs.push_back(llama_benchy::aggregate(ctx, context_runs));
    }
    outcome.llama_benchy_runs.push_back(llama_benchy::aggregate(c, measured_runs));
  }
  if (outcome.runs.empty()) outcome.runs.push_back(summarize_run({}, so));
  auto [means, stds] = combine_runs(outcome.runs);
  outcome.combined = std::move(means);
  outcome.std_across_runs = std::move(stds);

  if (json) {
    auto setup = make_setup(prepared, engine, out, outcome.interrupted);
    setup.bounded_memory = bounded;
    setup.percentiles_from_histogram = histogram_used;
    write_atomically(json_path,
                     summary_json(setup, outcome.combined, outcome.runs,
                                  outcome.runs.size() > 1 ? &outcome.std_across_runs : nullptr));
    outcome.files.push_back(json_path);
  }
  if (csv_path) outcome.files.push_back(*csv_path);

  // Checks that decide the exit code, on the requests of every run together (the combined
  // summary holds means per run, which are not counts).
  double sent = 0, failed = 0;
  for (const auto& r : outcome.runs) {
    sent += r.get("completed") + r.get("failed");
    failed += r.get("failed");
  }
  if (sent > 0 && failed / sent > plan.allowed_failure_ratio) {
    outcome.failed_checks.push_back(fmt::format(
        "{:.0f} of {:.0f} requests{} failed ({:.1f}%), above the allowed {:.1f}%", failed, sent,
        outcome.runs.size() > 1 ? fmt::format(" of {} runs", outcome.runs.size()) : "",
        100 * failed / sent, 100 * plan.allowed_failure_ratio));
  }
  if (plan.slo.min_goodput_ratio) {
    const double ratio = outcome.combined.get("goodput_ratio");
    if (ratio < *plan.slo.min_goodput_ratio)
      outcome.failed_checks.push_back(fmt::format(
          "goodput {:.1f}% of completed requests met the SLO, below the required {:.1f}%",
          100 * ratio, 100 * *plan.slo.min_goodput_ratio));
  }

  if (console) {
    std::string title =
        plan.runs > 1 ? fmt::format("{} (mean ± std of {} runs)", plan.name, outcome.runs.size())
                      : plan.name;
    // vllm_bench scenarios printed vLLM's block per run; ours adds the spread across runs.
    if (!plan.vllm_bench || plan.runs > 1)
      *out.console << console_summary(title, outcome.combined,
                                      outcome.runs.size() > 1 ? &outcome.std_across_runs : nullptr,
                                      plan.percentiles);
    for (const auto& f : outcome.files) *out.console << "wrote " << f.string() << '\n';
    for (const auto& c : outcome.failed_checks) *out.console << "FAILED: " << c << '\n';
    if (outcome.interrupted)
      *out.console << "INTERRUPTED: results hold what completed before the stop\n";
  }
  return outcome;
}

}  // namespace loadwright::runtime
