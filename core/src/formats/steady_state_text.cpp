// The steady-state figures as NAME.json's "steady_state" object and as the console's block.

#include <fmt/format.h>

#include <cmath>

#include "loadwright/core/steady_state.hpp"

namespace loadwright::runtime {

namespace {

constexpr const char* kMeasuredSet =
    "requests sent in the measure window and completed by the end of the drain";

void mean_std(json_writer& w, std::string_view key, double mean, double sd) {
  w.key(key).begin_object().field("mean", mean).field("std", sd).end_object();
}

bool all_steady(std::span<const steady_state_run> runs) {
  for (const auto& r : runs)
    if (!r.figures.steady) return false;
  return !runs.empty();
}

}  // namespace

void write_steady_state_json(json_writer& w, std::span<const steady_state_run> runs) {
  w.key("steady_state").begin_object();
  w.field("measured_set", kMeasuredSet);
  w.field("window_tokens", "output tokens whose timestamps fall inside the measure window");
  w.field("steady", all_steady(runs));
  std::string reason;
  for (const auto& r : runs)
    if (!r.figures.steady)
      reason +=
          fmt::format("{}run {}: {}", reason.empty() ? "" : "; ", r.run, r.figures.steady_reason);
  w.field("steady_reason", reason);
  w.key("runs").begin_array();
  for (const auto& r : runs) {
    const auto& f = r.figures;
    w.begin_object().field("run", static_cast<std::int64_t>(r.run));
    w.field("start", r.wall_start).field("total_wall_s", r.total_wall_s);
    w.key("phases").begin_array();
    for (std::size_t i = 0; i < r.phases.size(); ++i) {
      w.begin_object()
          .field("phase", phase_name(r.phases[i].phase))
          .field("start", i < r.phase_start.size() ? r.phase_start[i] : "")
          .field("end", i < r.phase_end.size() ? r.phase_end[i] : "")
          .field("start_s", r.phases[i].start_s)
          .field("end_s", r.phases[i].end_s)
          .end_object();
    }
    w.end_array();
    w.key("concurrency");
    if (f.concurrency > 0)
      w.value(f.concurrency);
    else
      w.null();
    w.field("window_s", f.window_s)
        .field("sent_in_window", f.sent_in_window)
        .field("measured_requests", f.measured)
        .field("cut_by_drain", f.cut_by_drain)
        .field("measured_output_tokens", f.measured_output_tokens);
    mean_std(w, "user_tps", f.user_tps_mean, f.user_tps_std);
    mean_std(w, "generation_tps", f.generation_tps_mean, f.generation_tps_std);
    w.field("server_tps", f.server_tps)
        .field("window_output_tps", f.window_output_tps)
        .field("itl_p50_ms_index", f.itl_p50_ms)
        .field("itl_p99_ms_index", f.itl_p99_ms)
        .field("jitter_ratio", f.jitter_ratio)
        .field("jitter_ratio_interpolated", f.jitter_ratio_interpolated)
        .field("mean_in_flight", f.mean_in_flight)
        .field("full_load_share", f.full_load_share)
        .field("first_half_output_tps", f.first_half_tps)
        .field("second_half_output_tps", f.second_half_tps)
        .field("drift", f.drift)
        .field("drift_noise", f.drift_noise)
        .field("steady", f.steady)
        .field("steady_reason", f.steady_reason);
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

std::string steady_state_console(std::span<const steady_state_run> runs) {
  std::string out;
  auto it = std::back_inserter(out);
  auto row = [&](std::string_view label, const std::string& value) {
    fmt::format_to(it, "{:<40} {}\n", label, value);
  };
  auto num = [](double v) { return std::isnan(v) ? std::string("n/a") : fmt::format("{:.2f}", v); };
  for (const auto& r : runs) {
    const auto& f = r.figures;
    const std::string title =
        runs.size() > 1 ? fmt::format(" Steady state, run {} ", r.run) : " Steady state ";
    const std::size_t pad = title.size() >= 50 ? 0 : 50 - title.size();
    out.append(pad / 2, '-');
    out += title;
    out.append(pad - pad / 2, '-');
    out += '\n';
    std::string phases;
    for (const auto& p : r.phases)
      phases += fmt::format("{}{} {:.1f}-{:.1f} s", phases.empty() ? "" : ", ", phase_name(p.phase),
                            p.start_s, p.end_s);
    fmt::format_to(it, "Phases: {}\n", phases);
    fmt::format_to(it, "Started {}, wall time {:.1f} s\n", r.wall_start, r.total_wall_s);
    row("Measured requests:", fmt::format("{} of {} sent in the window ({} cut by the drain)",
                                          f.measured, f.sent_in_window, f.cut_by_drain));
    row("User throughput (tok/s):", num(f.user_tps_mean) + " ± " + num(f.user_tps_std));
    row("Generation throughput (tok/s):",
        num(f.generation_tps_mean) + " ± " + num(f.generation_tps_std));
    if (f.concurrency > 0)
      row(fmt::format("Server throughput (user × {}) (tok/s):", f.concurrency), num(f.server_tps));
    row("Output tok/s counted in the window:", num(f.window_output_tps));
    row("Jitter ratio (ITL p99/p50, index):",
        num(f.jitter_ratio) + " (interpolated " + num(f.jitter_ratio_interpolated) + ")");
    if (f.concurrency > 0)
      row("In flight (mean, share ≥ 0.95 × N):",
          fmt::format("{} of {}, {:.1f} %", num(f.mean_in_flight), f.concurrency,
                      100 * f.full_load_share));
    row("Drift, 2nd vs 1st half of the window:",
        std::isnan(f.drift)
            ? std::string("n/a")
            : fmt::format("{:+.1f} % (noise ±{:.1f} %)", 100 * f.drift, 100 * f.drift_noise));
    row("Steady:", f.steady ? "yes" : "no");
    if (!f.steady)
      fmt::format_to(it, "WARNING: {}not steady: {}\n",
                     runs.size() > 1 ? fmt::format("run {} was ", r.run) : "the run was ",
                     f.steady_reason);
  }
  return out;
}

}  // namespace loadwright::runtime
