#include "loadwright/runtime/suite_reports.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <fstream>

#include "../result_io.hpp"
#include "loadwright/runtime/stats.hpp"
#include "pipe_table.hpp"

namespace loadwright::runtime {

namespace fs = std::filesystem;

namespace {

std::string utc_timestamp() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%SZ", &tm);
  return buf;
}

std::string f2(double x) {
  return fmt::format("{:.2f}", x);
}

// The llama-benchy metric of a cell's standard phase.
const llama_benchy::benchmark_run* standard_phase(const scenario_outcome& o) {
  for (const auto& b : o.llama_benchy_runs)
    if (!b.is_context_prefill_phase) return &b;
  return nullptr;
}

arena_row make_arena_row(const scenario_plan& plan, const scenario_outcome& o,
                         const std::string& model) {
  arena_row row;
  row.model = model;
  row.benchmark = plan.arena->benchmark;
  for (const auto& r : o.runs) row.failed += static_cast<std::uint64_t>(r.get("failed"));
  const auto* b = standard_phase(o);
  if (plan.arena->headline == "tg" && b && b->tg_throughput) {
    row.tokens_per_s = b->tg_throughput->mean;
    row.tokens_per_s_std = b->tg_throughput->std;
    if (b->tg_req_throughput) row.per_user_tps = b->tg_req_throughput->mean;
    if (b->e2e_ttft) {
      auto v = b->e2e_ttft->values;
      std::sort(v.begin(), v.end());
      row.ttft_p50_ms = numpy_percentile_sorted(v, 50);
    }
  } else {
    row.tokens_per_s = o.combined.get("output_throughput");
    row.tokens_per_s_std = o.std_across_runs.get("output_throughput");
    row.per_user_tps = o.combined.get("mean_user_tps");
    row.ttft_p50_ms = o.combined.get("median_ttft_ms");
    if (is_open_loop(plan.arrival)) {
      row.ttft_p95_ms = o.combined.get("p95_ttft_ms");
      row.ttft_p99_ms = o.combined.get("p99_ttft_ms");
    }
  }
  row.cv_percent = row.tokens_per_s > 0 ? 100.0 * row.tokens_per_s_std / row.tokens_per_s : 0;
  return row;
}

curve_point make_curve_point(const scenario_plan& plan, const scenario_outcome& o) {
  curve_point p;
  p.label = plan.curve->point;
  p.request_throughput = o.combined.get("request_throughput");
  p.output_throughput = o.combined.get("output_throughput");
  p.ttft_p50_ms = o.combined.get("median_ttft_ms");
  p.ttft_p99_ms = o.combined.get("p99_ttft_ms");
  p.e2el_p50_ms = o.combined.get("median_e2el_ms");
  p.e2el_p99_ms = o.combined.get("p99_e2el_ms");
  for (const auto& r : o.runs) p.failed += static_cast<std::uint64_t>(r.get("failed"));
  return p;
}

}  // namespace

std::string arena_table(const std::vector<arena_row>& rows, const std::string& note,
                        const std::vector<std::string>& skipped) {
  std::vector<std::vector<std::string>> cells;
  for (const auto& r : rows) {
    auto opt = [](const std::optional<double>& v) { return v ? f2(*v) : std::string("–"); };
    cells.push_back({r.model, r.benchmark,
                     fmt::format("{:.2f} ± {:.2f}", r.tokens_per_s, r.tokens_per_s_std),
                     f2(r.ttft_p50_ms), opt(r.ttft_p95_ms), opt(r.ttft_p99_ms), f2(r.per_user_tps),
                     fmt::format("{}", r.failed), fmt::format("{:.1f}", r.cv_percent)});
  }
  std::string out = "# Arena";
  if (!note.empty()) out += " (" + note + ")";
  out += "\n\n" +
         pipe_table({"model", "benchmark", "tokens/s", "TTFT p50 (ms)", "TTFT p95 (ms)",
                     "TTFT p99 (ms)", "per-user tok/s", "failed", "CV%"},
                    cells) +
         "\n";
  for (const auto& s : skipped) out += "\nskipped: " + s + "\n";
  return out;
}

std::string curve_csv(const std::vector<curve_point>& points) {
  std::string out =
      "point,request_throughput,output_throughput,ttft_p50_ms,ttft_p99_ms,e2el_p50_ms,e2el_p99_ms,"
      "failed\n";
  for (const auto& p : points)
    out +=
        fmt::format("{},{},{},{},{},{},{},{}\n", p.label, p.request_throughput, p.output_throughput,
                    p.ttft_p50_ms, p.ttft_p99_ms, p.e2el_p50_ms, p.e2el_p99_ms, p.failed);
  return out;
}

std::string curve_text(const std::string& name, const std::vector<curve_point>& points,
                       const std::string& note) {
  std::vector<std::vector<std::string>> cells;
  for (const auto& p : points)
    cells.push_back({p.label, f2(p.request_throughput), f2(p.output_throughput), f2(p.ttft_p50_ms),
                     f2(p.ttft_p99_ms), f2(p.e2el_p50_ms), f2(p.e2el_p99_ms),
                     fmt::format("{}", p.failed)});
  std::string out = fmt::format("# {}: throughput against latency{}\n\n", name,
                                note.empty() ? "" : " (" + note + ")") +
                    pipe_table({"point", "req/s", "output tok/s", "TTFT p50 (ms)", "TTFT p99 (ms)",
                                "E2EL p50 (ms)", "E2EL p99 (ms)", "failed"},
                               cells) +
                    "\n";
  if (points.size() < 2) return out;

  // A text chart: achieved req/s across, E2EL down ('o' p50, '*' p99), one mark per point.
  constexpr int width = 60, height = 16;
  double x_max = 0, y_max = 0;
  for (const auto& p : points) {
    x_max = std::max(x_max, p.request_throughput);
    y_max = std::max({y_max, p.e2el_p99_ms, p.e2el_p50_ms});
  }
  if (x_max <= 0 || y_max <= 0) return out;
  std::vector<std::string> grid(height + 1, std::string(width + 1, ' '));
  auto plot = [&](double x, double y, char mark) {
    const int col = static_cast<int>(std::lround(x / x_max * width));
    const int line = height - static_cast<int>(std::lround(y / y_max * height));
    char& cell = grid[static_cast<std::size_t>(line)][static_cast<std::size_t>(col)];
    cell = (cell == ' ' || cell == mark) ? mark : '#';
  };
  for (const auto& p : points) {
    plot(p.request_throughput, p.e2el_p50_ms, 'o');
    plot(p.request_throughput, p.e2el_p99_ms, '*');
  }
  out += fmt::format("\nE2EL (ms; o p50, * p99, # both) against achieved req/s\n");
  for (int line = 0; line <= height; ++line) {
    const double y = y_max * (height - line) / height;
    out += fmt::format("{:>10.0f} |{}\n", y, grid[static_cast<std::size_t>(line)]);
  }
  out += fmt::format("{:>10} +{}\n{:>10}  0{:>{}}\n", "", std::string(width + 1, '-'), "",
                     f2(x_max), width);
  return out;
}

suite_reports::suite_reports(fs::path out_dir, std::string model, std::string note,
                             double time_scale)
    : out_dir_(std::move(out_dir)),
      model_(std::move(model)),
      note_(std::move(note)),
      time_scale_(time_scale) {}

std::vector<fs::path> suite_reports::add(const scenario_plan& plan, const scenario_outcome& o) {
  std::vector<fs::path> written;
  if (plan.llama_benchy) {
    auto& g = benchy_[plan.llama_benchy->report];
    g.model = model_;
    g.latency_mode = plan.llama_benchy->latency_mode;
    g.latency_ms = o.llama_benchy_latency_s * 1000.0;
    g.prefix_caching_enabled =
        g.prefix_caching_enabled || plan.context_first || plan.llama_benchy->prefix_caching;
    g.max_concurrency = std::max(g.max_concurrency, plan.llama_benchy->grid_max_concurrency);
    g.timestamp = utc_timestamp();
    if (!note_.empty()) g.version = "loadwright (" + note_ + ")";
    for (const auto& b : o.llama_benchy_runs) g.benchmarks.push_back(b);
    const std::string stem = plan.llama_benchy->report;
    const auto md = out_dir_ / (stem + ".md"), json = out_dir_ / (stem + ".json"),
               csv = out_dir_ / (stem + ".csv");
    write_atomically(md, llama_benchy::markdown(g));
    write_atomically(json, llama_benchy::json(g));
    write_atomically(csv, llama_benchy::csv(g));
    written.insert(written.end(), {md, json, csv});
  }
  if (plan.arena) {
    auto row = make_arena_row(plan, o, model_);
    // Back to the modelled machine's time: rates × scale, times ÷ scale.
    row.tokens_per_s *= time_scale_;
    row.tokens_per_s_std *= time_scale_;
    row.per_user_tps *= time_scale_;
    row.ttft_p50_ms /= time_scale_;
    if (row.ttft_p95_ms) *row.ttft_p95_ms /= time_scale_;
    if (row.ttft_p99_ms) *row.ttft_p99_ms /= time_scale_;
    arena_.push_back(row);
    const auto md = out_dir_ / "arena-table.md";
    write_atomically(md, arena_table(arena_, note_, skipped_));
    written.push_back(md);
  }
  if (plan.curve) {
    auto& points = curves_[plan.curve->report];
    points.push_back(make_curve_point(plan, o));
    const auto txt = out_dir_ / (plan.curve->report + ".curve.md"),
               csv = out_dir_ / (plan.curve->report + ".curve.csv");
    write_atomically(txt, curve_text(plan.curve->report, points, note_));
    write_atomically(csv, curve_csv(points));
    written.insert(written.end(), {txt, csv});
  }
  return written;
}

void suite_reports::skip(const scenario_plan& plan, const std::string& why) {
  if (plan.arena) skipped_.push_back(plan.arena->benchmark + ": " + why);
}

std::string suite_reports::closing_text() const {
  std::string out;
  for (const auto& [name, g] : benchy_)
    out += fmt::format("\nllama-benchy report {}:\n\n{}\n", name, llama_benchy::markdown(g));
  for (const auto& [name, points] : curves_) out += "\n" + curve_text(name, points, note_);
  if (!arena_.empty() || !skipped_.empty()) out += "\n" + arena_table(arena_, note_, skipped_);
  return out;
}

}  // namespace loadwright::runtime
