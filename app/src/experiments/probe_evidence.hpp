#pragma once
// find_max's evidence at one load: each SLO bound measured on the requests of all the
// probe's repeats pooled, with a bootstrap interval, and the load classified as a pass or a
// fail, each either sure (the interval is on one side of the limit) or not. Pure: the records
// come in as values (probe_values reads them from the records files).

#include <map>
#include <string>
#include <vector>

#include "loadwright/analysis/types.hpp"
#include "loadwright/core/experiment_plan.hpp"
#include "loadwright/core/request_record.hpp"

namespace loadwright::app {

/// One metric's values over the measured, successful requests, in modelled milliseconds:
/// "ttft", "tpot", "e2el" per request, "itl" per gap (as the summary's ITL).
using metric_values = std::map<std::string, std::vector<double>>;
void add_record_values(const runtime::request_record& r, double time_scale, metric_values& out);

struct bound_evidence {
  std::string name;  // "p99_ttft"
  std::size_t n = 0;
  double estimate_ms = 0;
  analysis::interval ci_ms;  // the bootstrap interval of the statistic
  double limit_ms = 0;
  bool pass = false;  // estimate within the limit
  bool sure = false;  // the interval on the same side as the estimate
};

struct probe_evidence {
  double load = 0;
  std::string stage;  // "coarse", "bisect"
  int repeats = 0;
  std::vector<bound_evidence> bounds;
  double achieved_mean = 0;  // modelled req/s or concurrency reached, mean over repeats
  double error_rate = 0;     // failed / sent over all repeats
  int saturated_repeats = 0;
  std::vector<std::string> reasons;    // why it failed (first repeat's saturation, SLO bounds)
  std::vector<std::string> scenarios;  // the repeats' scenario names (their result files)
  bool passed = false;
  bool sure_pass = false, sure_fail = false;
};

/// The bounds measured on `values` (bootstrap with `confidence`, `seed`).
std::vector<bound_evidence> measure_bounds(const std::vector<runtime::slo_bound>& slo,
                                           const metric_values& values, double confidence,
                                           std::uint64_t seed);

/// Classifies a probe from its bounds and how many of its repeats were saturated: it passes
/// when fewer than half were saturated and every bound's estimate is within its limit; a sure
/// pass has no saturated repeat and every interval within; a sure fail has every repeat
/// saturated or a bound whose whole interval is over its limit.
void classify_probe(probe_evidence& p);

/// The answer's band from the probes: [the largest sure pass at or below `answer`, the smallest
/// sure fail above it]; an end is missing when no probe is sure on that side.
struct load_band {
  std::optional<double> low, high;
};
load_band band_of(const std::vector<probe_evidence>& probes, double answer);

}  // namespace loadwright::app
