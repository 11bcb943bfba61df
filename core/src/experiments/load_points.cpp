#include "loadwright/core/load_points.hpp"

#include <fmt/format.h>

#include <cmath>
#include <variant>

namespace loadwright::runtime {

std::string format_load(double load) {
  return fmt::format("{:.4g}", load);
}

std::string describe_load(load_axis axis, double load) {
  return axis == load_axis::rate ? fmt::format("rate {} req/s", format_load(load))
                                 : fmt::format("concurrency {}", format_load(load));
}

scenario_plan plan_at_load(const scenario_plan& base, load_axis axis, double load,
                           const std::string& name) {
  scenario_plan p = base;
  p.name = name;
  if (axis == load_axis::concurrency) {
    p.arrival = closed_arrival{static_cast<int>(std::lround(load))};
  } else if (auto* poisson = std::get_if<poisson_arrival>(&p.arrival)) {
    poisson->rate = load;
  } else if (auto* constant = std::get_if<constant_arrival>(&p.arrival)) {
    constant->rate = load;
  } else {
    p.arrival = poisson_arrival{load, 1.0};
  }
  p.curve.reset();
  return p;
}

namespace {

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

}  // namespace

double modelled_value(const summary& s, std::string_view key, double time_scale) {
  const double v = s.get(key, std::nan(""));
  if (time_scale == 1.0 || std::isnan(v)) return v;
  if (ends_with(key, "_ms") || key == "duration") return v / time_scale;
  if (ends_with(key, "_throughput") || ends_with(key, "_goodput") || ends_with(key, "_tps") ||
      ends_with(key, "_per_s"))
    return v * time_scale;
  return v;
}

load_verdict judge_load(const summary& s, load_axis axis, double asked,
                        const std::vector<slo_bound>& slo, const saturation_limits& limits,
                        double allowed_failure_ratio, double time_scale) {
  load_verdict v;
  auto fail = [&](std::string why, bool saturation) {
    v.passed = false;
    v.saturated = v.saturated || saturation;
    v.reasons.push_back(std::move(why));
  };
  const double completed = s.get("completed"), failed = s.get("failed");
  const double allowance = limits.max_error_rate.value_or(allowed_failure_ratio);
  const double error_rate = completed + failed > 0 ? failed / (completed + failed) : 0;
  if (completed <= 0)
    fail("no request completed", true);
  else if (error_rate > allowance)
    fail(fmt::format("errors {:.1f} % above the allowance {:.1f} %", 100 * error_rate,
                     100 * allowance),
         true);
  for (const auto& b : slo) {
    const double value = modelled_value(s, b.summary_key, time_scale);
    if (std::isnan(value))
      fail(fmt::format("{}: no value (nothing measured)", b.name), false);
    else if (value > b.limit_ms)
      fail(fmt::format("{} {:.1f} ms > {} (SLO)", b.name, value, b.text), false);
  }
  const double p99_ttft = modelled_value(s, "p99_ttft_ms", time_scale);
  if (!std::isnan(p99_ttft) && p99_ttft > limits.max_p99_ttft_ms)
    fail(fmt::format("p99 TTFT {:.2f} s over {:.0f} s: saturated", p99_ttft / 1000,
                     limits.max_p99_ttft_ms / 1000),
         true);
  if (axis == load_axis::rate && completed > 0) {
    const double achieved = modelled_value(s, "request_throughput", time_scale);
    if (achieved < limits.min_achieved_ratio * asked)
      fail(fmt::format("achieved {:.3g} req/s, under {:.0f} % of the asked {}: saturated", achieved,
                       100 * limits.min_achieved_ratio, format_load(asked)),
           true);
  }
  return v;
}

load_search::load_search(load_axis axis, double from, double to, double precision)
    : axis_(axis), to_(to), precision_(precision), next_(from) {}

std::optional<double> load_search::next() const {
  return next_;
}

double load_search::midpoint() const {
  const double mid = (*good_ + *bad_) / 2;
  if (axis_ == load_axis::concurrency) return std::floor(mid);
  return std::stod(fmt::format("{:.4g}", mid));
}

void load_search::record(double load, bool passed) {
  (passed ? good_ : bad_) = load;
  if (!bisecting_) {
    if (passed && load < to_) {
      double up = std::min(to_, load * 2);
      if (axis_ == load_axis::concurrency) up = std::min(to_, std::max(load + 1, std::round(up)));
      next_ = up;
      return;
    }
    bisecting_ = true;
  }
  if (!good_ || !bad_) {  // the first load already fails, or the last passes: nothing to bisect
    next_.reset();
    return;
  }
  const double gap = *bad_ - *good_;
  const bool close = axis_ == load_axis::concurrency ? gap <= 1 : gap <= precision_ * *good_;
  const double mid = close ? 0 : midpoint();
  if (close || mid <= *good_ || mid >= *bad_)
    next_.reset();
  else
    next_ = mid;
}

}  // namespace loadwright::runtime
