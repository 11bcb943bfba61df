// The reports that span a suite: each scenario that is a llama-benchy cell, an Arena row or a
// point on a curve gets a consumer that adds itself to the suite's report and rewrites it.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ctime>

#include "loadwright/app/consumers.hpp"
#include "loadwright/app/llama_benchy_preflight.hpp"
#include "loadwright/core/stats.hpp"
#include "loadwright/core/steady_report.hpp"
#include "loadwright/core/suite_reports.hpp"
#include "result_io.hpp"
#include "time_text.hpp"

namespace loadwright::runtime {

namespace fs = std::filesystem;

struct suite_outputs::state {
  fs::path out_dir;
  std::string model, note;
  double time_scale = 1.0;
  std::map<std::string, llama_benchy::report> benchy;
  std::vector<arena_row> arena;
  std::vector<std::string> skipped;  // "07 ShareGPT: why"
  std::map<std::string, std::vector<curve_point>> curves;
  std::map<std::string, std::vector<steady_cell>> steady;  // report → its grid's cells
};

namespace {

// Coherence and latency before a llama-benchy cell's requests.
double llama_benchy_preflight(const scenario_context& ctx) {
  const auto& spec = *ctx.plan().llama_benchy;
  auto* out = ctx.out.console;
  if (spec.coherence) {
    std::string reply;
    if (!llama_benchy::coherence_check(ctx.target, &reply))
      throw scenario_refused(fmt::format(
          "coherence test FAILED: asked the capital of France, the answer has no \"paris\": {}",
          reply.substr(0, 200)));
    if (out) *out << "loadwright: coherence test passed\n";
  }
  const double latency_s = llama_benchy::measure_latency(ctx.target, spec.latency_mode);
  if (out)
    *out << fmt::format("loadwright: latency mode {}: {:.2f} ms\n", spec.latency_mode,
                        latency_s * 1000);
  return latency_s;
}

// One cell of a llama-benchy grid: its batches per run, then its rows in the shared report.
class llama_benchy_cell final : public record_consumer {
 public:
  explicit llama_benchy_cell(suite_outputs::state& s) : s_(s) {}
  std::string name() const override { return "llama-benchy report"; }

  void scenario_started(const scenario_context& ctx) override {
    latency_s_ = llama_benchy_preflight(ctx);
  }
  void run_finished(const scenario_context& ctx, const run_context& run,
                    const run_outcome& o) override {
    if (run.phase != run_phase::measure) return;
    std::vector<request_record> measured, context;
    for (const auto& r : o.records)
      (r.phase == run_phase::context ? context : measured).push_back(r);
    measured_.push_back(std::move(measured));
    if (ctx.plan().context_first) context_.push_back(std::move(context));
  }
  void scenario_finished(const scenario_context& ctx, scenario_report& report) override {
    const auto& plan = ctx.plan();
    const auto& spec = *plan.llama_benchy;
    llama_benchy::cell c;
    c.concurrency = spec.concurrency;
    c.pp = spec.pp;
    c.tg = spec.tg;
    c.depth = spec.depth;
    c.latency_s = latency_s_;
    c.save_total_timeseries = spec.save_total_timeseries;
    c.save_all_timeseries = spec.save_all_timeseries;
    c.prefix_caching = plan.context_first;  // the standard phase then expects pp prompt tokens
    auto& g = s_.benchy[spec.report];
    if (plan.context_first) {
      auto ctx_cell = c;
      ctx_cell.context_phase = true;
      g.benchmarks.push_back(llama_benchy::aggregate(ctx_cell, context_));
    }
    const auto standard = llama_benchy::aggregate(c, measured_);
    g.benchmarks.push_back(standard);
    // For the Arena row and thresholds: the cell's headline figures.
    if (standard.tg_throughput) {
      report.derived.emplace_back("llama_benchy.tg", standard.tg_throughput->mean);
      report.derived.emplace_back("llama_benchy.tg_std", standard.tg_throughput->std);
    }
    if (standard.tg_req_throughput)
      report.derived.emplace_back("llama_benchy.tg_req", standard.tg_req_throughput->mean);
    if (standard.pp_throughput)
      report.derived.emplace_back("llama_benchy.pp", standard.pp_throughput->mean);
    if (standard.ttfr) report.derived.emplace_back("llama_benchy.ttfr_ms", standard.ttfr->mean);
    if (standard.e2e_ttft && !standard.e2e_ttft->values.empty()) {
      auto v = standard.e2e_ttft->values;
      std::sort(v.begin(), v.end());
      report.derived.emplace_back("llama_benchy.e2e_ttft_p50_ms", numpy_percentile_sorted(v, 50));
    }
    g.model = s_.model;
    g.latency_mode = spec.latency_mode;
    g.latency_ms = latency_s_ * 1000.0;
    g.prefix_caching_enabled =
        g.prefix_caching_enabled || plan.context_first || spec.prefix_caching;
    g.max_concurrency = std::max(g.max_concurrency, spec.grid_max_concurrency);
    g.timestamp = app::utc_timestamp();
    if (!s_.note.empty()) g.version = "loadwright (" + s_.note + ")";
    const auto md = s_.out_dir / (spec.report + ".md"), json = s_.out_dir / (spec.report + ".json"),
               csv = s_.out_dir / (spec.report + ".csv");
    write_atomically(md, llama_benchy::markdown(g));
    write_atomically(json, llama_benchy::json(g));
    write_atomically(csv, llama_benchy::csv(g));
    report.files.insert(report.files.end(), {md, json, csv});
  }

 private:
  suite_outputs::state& s_;
  double latency_s_ = 0;
  std::vector<std::vector<request_record>> measured_, context_;
};

std::uint64_t failed_over_runs(const scenario_report& r) {
  std::uint64_t n = 0;
  for (const auto& run : r.runs) n += static_cast<std::uint64_t>(run.get("failed"));
  return n;
}

// The scenario's row of the Arena table, in the modelled machine's time.
class arena_row_output final : public record_consumer {
 public:
  explicit arena_row_output(suite_outputs::state& s) : s_(s) {}
  std::string name() const override { return "Arena table"; }

  void scenario_finished(const scenario_context& ctx, scenario_report& report) override {
    const auto& plan = ctx.plan();
    arena_row row;
    row.model = s_.model;
    row.benchmark = plan.arena->benchmark;
    row.failed = failed_over_runs(report);
    if (plan.arena->headline == "tg" && report.value("llama_benchy.tg")) {
      row.tokens_per_s = *report.value("llama_benchy.tg");
      row.tokens_per_s_std = report.value("llama_benchy.tg_std").value_or(0);
      row.per_user_tps = report.value("llama_benchy.tg_req").value_or(0);
      row.ttft_p50_ms = report.value("llama_benchy.e2e_ttft_p50_ms").value_or(0);
    } else {
      row.tokens_per_s = report.combined.get("output_throughput");
      row.tokens_per_s_std = report.std_across_runs.get("output_throughput");
      row.per_user_tps = report.combined.get("mean_user_tps");
      row.ttft_p50_ms = report.combined.get("median_ttft_ms");
      if (is_open_loop(plan.arrival)) {
        row.ttft_p95_ms = report.combined.get("p95_ttft_ms");
        row.ttft_p99_ms = report.combined.get("p99_ttft_ms");
      }
    }
    row.cv_percent = row.tokens_per_s > 0 ? 100.0 * row.tokens_per_s_std / row.tokens_per_s : 0;
    // Back to the modelled machine's time: rates × scale, times ÷ scale.
    const double k = s_.time_scale;
    row.tokens_per_s *= k;
    row.tokens_per_s_std *= k;
    row.per_user_tps *= k;
    row.ttft_p50_ms /= k;
    if (row.ttft_p95_ms) *row.ttft_p95_ms /= k;
    if (row.ttft_p99_ms) *row.ttft_p99_ms /= k;
    s_.arena.push_back(row);
    const auto md = s_.out_dir / "arena-table.md";
    write_atomically(md, arena_table(s_.arena, s_.note, s_.skipped));
    report.files.push_back(md);
  }

 private:
  suite_outputs::state& s_;
};

// The scenario's point on a throughput–latency curve.
class curve_point_output final : public record_consumer {
 public:
  explicit curve_point_output(suite_outputs::state& s) : s_(s) {}
  std::string name() const override { return "curve"; }

  void scenario_finished(const scenario_context& ctx, scenario_report& report) override {
    const auto& spec = *ctx.plan().curve;
    curve_point p;
    p = curve_point_from(report.combined, spec.point, 1.0);
    p.failed = failed_over_runs(report);
    auto& points = s_.curves[spec.report];
    points.push_back(p);
    const auto txt = s_.out_dir / (spec.report + ".curve.md"),
               csv = s_.out_dir / (spec.report + ".curve.csv");
    write_atomically(txt, curve_text(spec.report, points, s_.note));
    write_atomically(csv, curve_csv(points));
    report.files.insert(report.files.end(), {txt, csv});
  }

 private:
  suite_outputs::state& s_;
};

// The steady-state report's note: its cells are in the modelled machine's time when emulated.
std::string steady_note(const suite_outputs::state& s) {
  if (s.time_scale == 1.0) return s.note;
  return fmt::format(
      "emulated, time scale {0}: figures in the modelled machine's time (rates × {0}, times ÷ "
      "{0}); the per-cell files as measured",
      s.time_scale);
}

// The scenario's cell of a steady-state grid (its steady-state figures, TTFT and TPOT).
class steady_cell_output final : public record_consumer {
 public:
  explicit steady_cell_output(suite_outputs::state& s) : s_(s) {}
  std::string name() const override { return "steady-state report"; }

  void scenario_finished(const scenario_context& ctx, scenario_report& report) override {
    const auto& spec = *ctx.plan().steady_report;
    steady_cell c;
    c.target = spec.target;
    c.scenario = spec.scenario;
    if (const auto* closed = std::get_if<closed_arrival>(&ctx.plan().arrival))
      c.batch_size = closed->concurrency;
    const auto& runs = report.steady_state;
    const double n = runs.empty() ? 1.0 : static_cast<double>(runs.size());
    c.steady = !runs.empty();
    for (const auto& r : runs) {
      c.server_tps += r.figures.server_tps / n;
      c.user_tps += r.figures.user_tps_mean / n;
      c.user_tps_std += r.figures.user_tps_std / n;
      c.window_output_tps += r.figures.window_output_tps / n;
      c.jitter_ratio += r.figures.jitter_ratio / n;
      c.steady = c.steady && r.figures.steady;
    }
    // Latencies of the measured set; none when nothing was measured.
    const bool measured = report.combined.get("completed") > 0;
    c.ttft_p50_ms = measured ? report.combined.get("median_ttft_ms") : std::nan("");
    c.ttft_p99_ms = measured ? report.combined.get("p99_ttft_ms") : std::nan("");
    c.tpot_ms = measured ? report.combined.get("median_tpot_ms") : std::nan("");
    auto& cells = s_.steady[spec.report];
    cells.push_back(in_modelled_time(c, s_.time_scale));
    const auto md = s_.out_dir / (spec.report + ".steady.md"),
               csv = s_.out_dir / (spec.report + ".steady.csv");
    write_atomically(md, steady_report_markdown(spec.report, cells, steady_note(s_)));
    write_atomically(csv, steady_report_csv(cells));
    report.files.insert(report.files.end(), {md, csv});
  }

 private:
  suite_outputs::state& s_;
};

}  // namespace

suite_outputs::suite_outputs(fs::path out_dir, std::string model, std::string note,
                             double time_scale)
    : state_(std::make_unique<state>()) {
  state_->out_dir = std::move(out_dir);
  state_->model = std::move(model);
  state_->note = std::move(note);
  state_->time_scale = time_scale;
}

suite_outputs::~suite_outputs() = default;

void suite_outputs::add_consumers(const scenario_plan& plan, record_pipeline& pipeline) {
  if (plan.llama_benchy) pipeline.add(std::make_unique<llama_benchy_cell>(*state_));
  if (plan.arena) pipeline.add(std::make_unique<arena_row_output>(*state_));
  if (plan.curve) pipeline.add(std::make_unique<curve_point_output>(*state_));
  if (plan.steady_report) pipeline.add(std::make_unique<steady_cell_output>(*state_));
}

void suite_outputs::skip(const scenario_plan& plan, const std::string& why) {
  if (plan.arena) state_->skipped.push_back(plan.arena->benchmark + ": " + why);
}

std::string suite_outputs::closing_text() const {
  std::string out;
  for (const auto& [name, g] : state_->benchy)
    out += fmt::format("\nllama-benchy report {}:\n\n{}\n", name, llama_benchy::markdown(g));
  for (const auto& [name, points] : state_->curves)
    out += "\n" + curve_text(name, points, state_->note);
  for (const auto& [name, cells] : state_->steady)
    out += "\n" + steady_report_markdown(name, cells, steady_note(*state_));
  if (!state_->arena.empty() || !state_->skipped.empty())
    out += "\n" + arena_table(state_->arena, state_->note, state_->skipped);
  return out;
}

}  // namespace loadwright::runtime
