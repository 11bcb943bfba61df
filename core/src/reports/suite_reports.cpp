#include "loadwright/core/suite_reports.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>

#include "pipe_table.hpp"

namespace loadwright::runtime {

namespace fs = std::filesystem;

namespace {

std::string f2(double x) {
  return fmt::format("{:.2f}", x);
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

}  // namespace loadwright::runtime
