#include "loadwright/core/suite_reports.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>

#include "loadwright/core/load_points.hpp"
#include "pipe_table.hpp"

namespace loadwright::runtime {

namespace fs = std::filesystem;

namespace {

std::string f2(double x) {
  return fmt::format("{:.2f}", x);
}

// A CSV field, quoted (RFC 4180) when it holds a comma, a quote or a line break.
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
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

curve_point curve_point_from(const summary& c, std::string label, double time_scale) {
  auto value = [&](const std::string& key) {
    const double v = modelled_value(c, key, time_scale);
    return std::isnan(v) ? 0.0 : v;
  };
  auto spread = [&](const char* metric) {
    return latency_spread{value(fmt::format("p50_{}_ms", metric)),
                          value(fmt::format("p90_{}_ms", metric)),
                          value(fmt::format("p99_{}_ms", metric))};
  };
  curve_point p;
  p.label = std::move(label);
  p.request_throughput = value("request_throughput");
  p.output_throughput = value("output_throughput");
  p.ttft = spread("ttft");
  p.tpot = spread("tpot");
  p.itl = spread("itl");
  p.e2el = spread("e2el");
  if (c.find("request_goodput")) p.goodput = modelled_value(c, "request_goodput", time_scale);
  p.failed = static_cast<std::uint64_t>(std::llround(c.get("failed")));
  return p;
}

std::string curve_csv(const std::vector<curve_point>& points) {
  std::string out =
      "point,asked,request_throughput,output_throughput,ttft_p50_ms,ttft_p90_ms,ttft_p99_ms,"
      "tpot_p50_ms,tpot_p90_ms,tpot_p99_ms,itl_p50_ms,itl_p90_ms,itl_p99_ms,e2el_p50_ms,"
      "e2el_p90_ms,e2el_p99_ms,goodput,failed,verdict\n";
  auto spread = [](const latency_spread& l) {
    return fmt::format("{},{},{}", l.p50_ms, l.p90_ms, l.p99_ms);
  };
  auto optional = [](const std::optional<double>& v) {
    return v ? fmt::format("{}", *v) : std::string();
  };
  for (const auto& p : points)
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{}\n", csv_field(p.label), optional(p.asked),
                       p.request_throughput, p.output_throughput, spread(p.ttft), spread(p.tpot),
                       spread(p.itl), spread(p.e2el), optional(p.goodput), p.failed,
                       csv_field(p.verdict));
  return out;
}

std::string curve_text(const std::string& name, const std::vector<curve_point>& points,
                       const std::string& note) {
  std::vector<std::vector<std::string>> cells;
  bool any_goodput = false, any_verdict = false;
  for (const auto& p : points) {
    any_goodput = any_goodput || p.goodput.has_value();
    any_verdict = any_verdict || !p.verdict.empty();
  }
  auto spread = [](const latency_spread& l) {
    return fmt::format("{} / {} / {}", f2(l.p50_ms), f2(l.p90_ms), f2(l.p99_ms));
  };
  for (const auto& p : points) {
    std::vector<std::string> row{p.label,
                                 f2(p.request_throughput),
                                 f2(p.output_throughput),
                                 spread(p.ttft),
                                 spread(p.tpot),
                                 spread(p.itl),
                                 spread(p.e2el),
                                 fmt::format("{}", p.failed)};
    if (any_goodput) row.push_back(p.goodput ? f2(*p.goodput) : "");
    if (any_verdict) row.push_back(p.verdict);
    cells.push_back(std::move(row));
  }
  std::vector<std::string> header{"point",
                                  "req/s",
                                  "output tok/s",
                                  "TTFT p50/p90/p99 (ms)",
                                  "TPOT p50/p90/p99 (ms)",
                                  "ITL p50/p90/p99 (ms)",
                                  "E2EL p50/p90/p99 (ms)",
                                  "failed"};
  if (any_goodput) header.push_back("goodput (req/s)");
  if (any_verdict) header.push_back("verdict");
  std::string out = fmt::format("# {}: throughput against latency{}\n\n", name,
                                note.empty() ? "" : " (" + note + ")") +
                    pipe_table(header, cells) + "\n";
  if (points.size() < 2) return out;

  // A text chart: achieved req/s across, E2EL down ('o' p50, '*' p99), one mark per point.
  constexpr int width = 60, height = 16;
  double x_max = 0, y_max = 0;
  for (const auto& p : points) {
    x_max = std::max(x_max, p.request_throughput);
    y_max = std::max({y_max, p.e2el.p99_ms, p.e2el.p50_ms});
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
    plot(p.request_throughput, p.e2el.p50_ms, 'o');
    plot(p.request_throughput, p.e2el.p99_ms, '*');
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
