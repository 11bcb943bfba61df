#include "loadwright/core/phase_timeline.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace loadwright::runtime {

run_phase phase_timeline::phase_at(double t_s) const {
  if (t_s < fill_end_s) return run_phase::fill;
  if (t_s < stabilize_end_s) return run_phase::stabilize;
  if (t_s < measure_end_s) return run_phase::measure;
  return run_phase::drain;
}

std::vector<phase_span> phase_timeline::spans() const {
  std::vector<phase_span> out;
  if (slots > 0) out.push_back({run_phase::fill, 0, fill_end_s});
  out.push_back({run_phase::stabilize, fill_end_s, stabilize_end_s});
  out.push_back({run_phase::measure, stabilize_end_s, measure_end_s});
  out.push_back({run_phase::drain, measure_end_s, drain_end_s});
  return out;
}

phase_timeline make_phase_timeline(const phases_spec& spec, std::optional<int> closed_slots,
                                   double time_scale) {
  phase_timeline t;
  t.slots = closed_slots.value_or(0);
  t.fill_interval_s = spec.fill_interval.count() * time_scale;
  double fill_s = 0;
  if (t.slots > 0)
    fill_s = std::max(spec.fill.count() * time_scale, (t.slots - 1) * t.fill_interval_s);
  t.fill_end_s = fill_s;
  t.stabilize_end_s = t.fill_end_s + spec.stabilize.count() * time_scale;
  t.measure_end_s = t.stabilize_end_s + spec.measure.count() * time_scale;
  t.drain_end_s = t.measure_end_s + spec.drain.count() * time_scale;
  return t;
}

std::optional<phase_timeline> plan_timeline(const scenario_plan& plan, double time_scale) {
  if (!plan.phases) return std::nullopt;
  const auto* closed = std::get_if<closed_arrival>(&plan.arrival);
  return make_phase_timeline(
      *plan.phases, closed ? std::optional<int>(closed->concurrency) : std::nullopt, time_scale);
}

std::int64_t timeline_ns(double s) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::duration_cast<std::chrono::steady_clock::duration>(seconds_d(s)))
      .count();
}

std::string describe_timeline(const phase_timeline& t) {
  std::string out;
  if (t.slots > 0)
    out = fmt::format("fill {:g} s (one slot every {:g} s up to {}), ", t.fill_end_s,
                      t.fill_interval_s, t.slots);
  out += fmt::format(
      "stabilize {:g} s, measure {:g} s, drain up to {:g} s: {:g} s at most "
      "(measure window {:g}..{:g} s)",
      t.stabilize_end_s - t.fill_end_s, t.measure_s(), t.drain_end_s - t.measure_end_s,
      t.drain_end_s, t.stabilize_end_s, t.measure_end_s);
  return out;
}

}  // namespace loadwright::runtime
