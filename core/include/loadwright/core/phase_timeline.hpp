#pragma once
// The timeline of a scenario with `phases` (methodology §1, the closed-loop steady-state
// framework): fill, stabilize, measure, drain, in seconds from the run's start. Pure: the
// engine sends by it, the summary and the time series read it, `--dry-run` prints it.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "loadwright/core/request_record.hpp"
#include "loadwright/core/scenario_plan.hpp"

namespace loadwright::runtime {

/// One phase of a run, in seconds from the run's start.
struct phase_span {
  run_phase phase = run_phase::measure;
  double start_s = 0;
  double end_s = 0;
};

struct phase_timeline {
  int slots = 0;               // a closed loop's N; 0 for open loops (no fill)
  double fill_interval_s = 0;  // one slot more every this many seconds
  double fill_end_s = 0;       // = the stabilize phase's start
  double stabilize_end_s = 0;  // = the measure window's start
  double measure_end_s = 0;    // = the drain's start: nothing is sent from here on
  double drain_end_s = 0;      // what is still in flight is cancelled here

  /// When closed-loop slot k (0-based) sends its first request: k × fill_interval.
  double slot_start_s(int k) const { return k * fill_interval_s; }
  /// The phase of a request sent at `t_s`: fill, stabilize, measure, or drain from the
  /// measure window's end on (nothing is sent then).
  run_phase phase_at(double t_s) const;
  /// The four phases as planned (an open loop's fill is empty and left out).
  std::vector<phase_span> spans() const;
  double measure_s() const { return measure_end_s - stabilize_end_s; }
};

/// The timeline of `spec` for a closed loop of `closed_slots` (nullopt: an open loop), with
/// every duration multiplied by `time_scale`. The fill lasts at least (N − 1) × fill_interval,
/// so that every slot has started before the stabilize phase (the framework's rule: one slot
/// per interval until N).
phase_timeline make_phase_timeline(const phases_spec& spec, std::optional<int> closed_slots,
                                   double time_scale = 1.0);

/// The timeline of a plan's `phases` (N from a closed arrival), or nullopt without phases.
std::optional<phase_timeline> plan_timeline(const scenario_plan& plan, double time_scale = 1.0);

/// The engine's nanoseconds for `s` seconds of a timeline (as the engine's clock truncates).
std::int64_t timeline_ns(double s);

/// "fill 30 s, stabilize 60 s, measure 120 s, drain ≤ 30 s: 240 s in all" (one line).
std::string describe_timeline(const phase_timeline& t);

}  // namespace loadwright::runtime
