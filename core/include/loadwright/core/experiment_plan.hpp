#pragma once
// Experiments over runs (methodology chapter §2): `sweep { … }` walks a list of loads and
// stops at the knee; `find_max { … }` searches the highest load that meets an SLO, with a
// band; `ab { … }` runs the A/B protocol against two servers. Validated from the DSL by scripting;
// run by app (app/src/experiments/). Each load is one scenario: the experiment's own `scenario`
// with its arrival set to the load.

#include <cstddef>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "loadwright/core/capacity_spec.hpp"
#include "loadwright/core/scenario_plan.hpp"

namespace loadwright::runtime {

/// What a load is: an open-loop rate (requests/s; the scenario's poisson or constant arrival)
/// or a closed loop's concurrency.
enum class load_axis { rate, concurrency };

/// One SLO bound of an experiment: `p99_ttft = "500ms"` is the summary key p99_ttft_ms at most
/// 500. Always a latency percentile (or mean) of TTFT, TPOT, ITL or E2EL, in milliseconds of
/// the modelled machine (the emulator's time scale is undone before comparing).
struct slo_bound {
  std::string name;                  // as written: "p99_ttft"
  std::string summary_key;           // "p99_ttft_ms"
  std::string metric;                // "ttft", "tpot", "itl" or "e2el"
  std::optional<double> percentile;  // 99; none for "mean"
  double limit_ms = 0;
  std::string text;  // as written: "500ms"
};

/// When a load is past the knee even without an SLO (the "clearly saturated").
struct saturation_limits {
  double max_p99_ttft_ms = 10'000;       // p99 TTFT over 10 s
  double min_achieved_ratio = 0.9;       // achieved rate under 90 % of the asked (rate loads)
  std::optional<double> max_error_rate;  // none: the scenario's allowed_failures (default 0)
};

struct sweep_plan {
  std::string name;    // the curve's file stem and the points' name prefix
  std::string source;  // "file.lua:3"
  scenario_plan base;
  std::size_t hooks = 0;  // the base scenario's hooks in the script session
  load_axis axis = load_axis::rate;
  std::vector<double> loads;  // in the order run
  std::vector<slo_bound> slo;
  saturation_limits limits;
  bool stop_at_knee = true;  // false: every load is run, the knee is still named
};

struct find_max_plan {
  std::string name;
  std::string source;
  scenario_plan base;
  std::size_t hooks = 0;
  load_axis axis = load_axis::rate;
  std::vector<slo_bound> slo;  // at least one
  saturation_limits limits;
  double from = 1, to = 64;
  /// Bisection stops when (first failing − last passing) ≤ precision × last passing
  /// (concurrency: also when they are neighbours).
  double precision = 0.05;
  int repeats = 3;                        // runs per probe
  double confidence = 0.95;               // of each probe's bootstrap interval
  std::optional<seconds_d> confirm{300};  // the sustained run at the answer; none: skipped
  std::optional<capacity_spec> capacity;  // a plan fed with the answer and its band
};

/// One side of an A/B: where it is and what it is called.
struct ab_side {
  std::string label;     // "A" / "B", or as written
  std::string base_url;  // empty: from the command line (--base-url, --base-url-b)
  std::string model;     // empty: --model or the server's /v1/models
  std::string api_key_env;
};

/// `ab { a, b, scenario, rounds, pause, warmup, margin }`: the methodology chapter's A/B
/// protocol. The same requests (one seed) to both, `rounds` times, the order alternating per
/// round (A first in odd rounds), each run warmed just before it, a pause between any two runs;
/// then `loadwright compare`'s tests over all rounds (request pairs and Welch across rounds).
struct ab_plan {
  std::string name;
  std::string source;
  scenario_plan base;
  std::size_t hooks = 0;
  ab_side a, b;
  int rounds = 5;
  seconds_d pause{10};
  std::uint64_t warmup = 10;  // at least this many warm-up requests before each run
  double margin = 0.05;       // equivalence margin (±5 %)
  double alpha = 0.05;
};

using experiment_plan = std::variant<sweep_plan, find_max_plan, ab_plan>;

}  // namespace loadwright::runtime
