#pragma once
// The pure parts of an experiment over loads: a scenario at one load, how a load's result is
// judged against the SLO and the saturation limits, and find_max's search (coarse doubling,
// then bisection). No I/O; app/src/experiments/ runs them.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loadwright/core/experiment_plan.hpp"
#include "loadwright/core/summary.hpp"

namespace loadwright::runtime {

/// A load as written in names and tables: "2.5", "8", "0.125" (at most 4 significant digits).
std::string format_load(double load);
/// "rate 2.5 req/s" or "concurrency 8".
std::string describe_load(load_axis axis, double load);

/// `base` at `load`: the arrival's rate (poisson, constant) or a closed loop of `load`
/// requests, named `name`. The experiment writes its own curve: the point has none.
scenario_plan plan_at_load(const scenario_plan& base, load_axis axis, double load,
                           const std::string& name);

/// A summary's value on the modelled machine's clock: milliseconds ÷ time scale, rates and
/// throughputs × time scale (the emulator runs `1 / time_scale` times faster than it models).
double modelled_value(const summary& s, std::string_view key, double time_scale);

/// How one load did.
struct load_verdict {
  bool passed = true;                // met every SLO bound and no saturation limit was crossed
  bool saturated = false;            // a saturation limit (not only the SLO) was crossed
  std::vector<std::string> reasons;  // why it failed: "p99_ttft 612 ms > 500 ms (SLO)"
};

/// Judges one run's summary at `asked` (modelled units). The error allowance is
/// limits.max_error_rate or else `allowed_failure_ratio` (the scenario's).
load_verdict judge_load(const summary& s, load_axis axis, double asked,
                        const std::vector<slo_bound>& slo, const saturation_limits& limits,
                        double allowed_failure_ratio, double time_scale);

/// find_max's search over loads: doubling from `from` (capped at `to`) until a load fails, then
/// bisection between the last passing and the first failing load until they are within
/// `precision` (relative to the passing one) or, for concurrency, neighbours.
class load_search {
 public:
  load_search(load_axis axis, double from, double to, double precision);
  /// The next load to probe; none when the search is over.
  std::optional<double> next() const;
  /// The outcome of probing `load` (the value next() gave).
  void record(double load, bool passed);
  bool bisecting() const { return bisecting_; }
  std::optional<double> last_pass() const { return good_; }
  std::optional<double> first_fail() const { return bad_; }

 private:
  load_axis axis_;
  double to_, precision_;
  std::optional<double> good_, bad_;
  std::optional<double> next_;
  bool bisecting_ = false;
  double midpoint() const;
};

}  // namespace loadwright::runtime
